import type { MarketDecision, ReceiptProof } from "./receipt-rules";

/** One line of a market's 进货台账 as exported. */
export interface LedgerLine {
  receivedAt: Date;
  productName: string;
  quantity: number;
  unit: string;
  sellerName: string;
  sellerCreditCode: string | null;
  /** Present only in a regulator's export. */
  sellerIdNumber?: string | null;
  sellerPhone: string | null;
  certificateCode: string | null;
  decision: MarketDecision;
  reason: string | null;
  voucherNo: string | null;
  proof: ReceiptProof;
  rapidTestId: string | null;
  marketName?: string;
}

export interface LedgerColumn {
  header: string;
  width: number;
  value: (line: LedgerLine) => string | number;
}

const DECISION_ZH: Record<MarketDecision, string> = { accept: "准许进场", hold: "暂扣", reject: "拒绝进场" };
const PROOF_ZH: Record<ReceiptProof, string> = { certificate: "合格证", rapid_test: "市场快检合格", none: "无" };

/** Date and time as the clerk lived it: China time, minutes. */
export function chinaDateTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace("T", " ");
}

/** XXXX-XXXX-XXX, as printed on the certificate. */
function groupedCode(code: string): string {
  return code.length === 11 ? `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}` : code;
}

/**
 * The ledger's columns: the eleven a market's 进货台账 keeps, in the order inspectors expect, then what the
 * receipt was let in on. Regulators' exports add the market and the seller's ID number; nobody else ever sees it.
 */
export function ledgerColumns(audience: "market" | "regulator"): LedgerColumn[] {
  const columns: LedgerColumn[] = [
    { header: "日期", width: 17, value: (l) => chinaDateTime(l.receivedAt) },
    { header: "产品", width: 14, value: (l) => l.productName },
    { header: "数量", width: 10, value: (l) => l.quantity },
    { header: "单位", width: 6, value: (l) => l.unit },
    { header: "供货者", width: 20, value: (l) => l.sellerName },
    { header: "统一社会信用代码", width: 21, value: (l) => l.sellerCreditCode ?? "" },
    { header: "联系电话", width: 14, value: (l) => l.sellerPhone ?? "" },
    { header: "合格证编号", width: 15, value: (l) => (l.certificateCode === null ? "" : groupedCode(l.certificateCode)) },
    { header: "查验结果", width: 10, value: (l) => DECISION_ZH[l.decision] },
    { header: "原因", width: 24, value: (l) => l.reason ?? "" },
    { header: "购货凭证号", width: 16, value: (l) => l.voucherNo ?? "" },
    { header: "查验依据", width: 14, value: (l) => PROOF_ZH[l.proof] },
    { header: "快检记录", width: 38, value: (l) => l.rapidTestId ?? "" },
  ];
  if (audience === "regulator") {
    columns.splice(6, 0, { header: "身份证号", width: 20, value: (l) => l.sellerIdNumber ?? "" });
    columns.unshift({ header: "市场", width: 20, value: (l) => l.marketName ?? "" });
  }
  return columns;
}

/**
 * A spreadsheet opening the file runs a cell starting with = + - @ (or a tab / carriage return) as a formula; a
 * seller name typed at the gate must never become one, so such text gets a leading apostrophe (OWASP's advice).
 */
export function neutralizeFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function csvField(value: string | number): string {
  const text = typeof value === "number" ? String(value) : neutralizeFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One RFC 4180 record, CRLF-terminated. */
export function csvRecord(values: readonly (string | number)[]): string {
  return values.map(csvField).join(",") + "\r\n";
}

/** A UTF-8 byte order mark: without it Excel on Windows reads Chinese CSV as GBK and garbles it. */
export const CSV_BOM = "\uFEFF";
