import type { Statistics } from "../../services/statistics";
import { loadExcelJs } from "../../render/excel";

const pct = (v: number | null) => (v === null ? null : Math.round(v * 10000) / 10000);

/** One sheet of months (one row each, totals last) and one of the rates, with headers in Chinese and English. */
export async function statisticsXlsx(stats: Statistics): Promise<Uint8Array | null> {
  const ExcelJS = await loadExcelJs();
  if (ExcelJS === null) return null;
  const wb = new ExcelJS.Workbook();
  wb.creator = "lotproof";
  const ws = wb.addWorksheet("月度统计");
  ws.columns = [
    { header: "月份 month", key: "month", width: 12 },
    { header: "开具合格证 certificates", key: "issued", width: 14 },
    { header: "开证主体 issuing parties", key: "parties", width: 14 },
    { header: "进场批次 receipts", key: "receipts", width: 12 },
    { header: "有证批次 with certificate", key: "certified", width: 14 },
    { header: "查验率 share", key: "receiptShare", width: 10, style: { numFmt: "0.0%" } },
    { header: "快检 rapid tests", key: "rapid", width: 10 },
    { header: "快检阳性 positive", key: "positive", width: 10 },
    { header: "阳性率 positive share", key: "positiveShare", width: 10, style: { numFmt: "0.00%" } },
    { header: "监督抽检 sampling", key: "sampling", width: 10 },
    { header: "不合格 failed", key: "failed", width: 10 },
    { header: "不合格发现率 failure share", key: "failureShare", width: 12, style: { numFmt: "0.00%" } },
    { header: "召回 recalls", key: "recalls", width: 10 },
    { header: "新立处置 cases", key: "cases", width: 10 },
    { header: "核查处置率", key: "verificationRate", width: 10, style: { numFmt: "0.0%" } },
    { header: "立案率", key: "filingRate", width: 10, style: { numFmt: "0.0%" } },
    { header: "行政处罚率", key: "penaltyRate", width: 10, style: { numFmt: "0.0%" } },
  ];
  const row = (label: string, m: Omit<Statistics["months"][number], "month">) => ({
    month: label,
    issued: m.certificates.issued,
    parties: m.certificates.issuingParties,
    receipts: m.marketReceipts?.total ?? null,
    certified: m.marketReceipts?.withCertificate ?? null,
    receiptShare: pct(m.marketReceipts?.share ?? null),
    rapid: m.rapidTests.total,
    positive: m.rapidTests.positive,
    positiveShare: pct(m.rapidTests.positiveShare),
    sampling: m.sampling.total,
    failed: m.sampling.failed,
    failureShare: pct(m.sampling.failureShare),
    recalls: m.recalls,
    cases: m.cases.opened,
    verificationRate: pct(m.cases.rates.verificationRate),
    filingRate: pct(m.cases.rates.filingRate),
    penaltyRate: pct(m.cases.rates.penaltyRate),
  });
  for (const m of stats.months) ws.addRow(row(m.month, m));
  ws.addRow(row("合计 total", stats.totals)).font = { bold: true };
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: "frozen", ySplit: 1 }];
  const info = wb.addWorksheet("说明");
  info.addRows([
    ["地区 region", stats.region.code ?? "全国", stats.region.name ?? ""],
    ["期间 period", stats.from, stats.to],
    ["核查处置率", "核查完成的案件 ÷ 期间内新立案件"],
    ["立案率", "立案的案件 ÷ 核查完成的案件"],
    ["行政处罚率", "行政处罚的案件 ÷ 立案的案件"],
  ]);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
