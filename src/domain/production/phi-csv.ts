/**
 * Import of pre-harvest-interval rows from CSV, as districts keep them in spreadsheets. Headers may be English or
 * Chinese; every problem is reported with its line and column so the sheet can be fixed, and a file with any
 * problem yields no rows, because a half-imported table would silently drop intervals.
 */
import { CsvError, parse } from "csv-parse/sync";
import { normaliseName } from "./reference-lookup.js";
import type { Wording } from "./wording.js";

export interface PhiCsvRow {
  /** Line in the file where the row ends (1-based; the header is line 1). */
  line: number;
  registrationNo: string | null;
  product: string;
  formulation: string | null;
  crop: string;
  phiDays: number;
  maxApplicationsPerSeason: number | null;
  source: string | null;
}

export interface PhiCsvError extends Wording {
  line: number;
  /** The header as written in the file; null when the problem is the row as a whole. */
  column: string | null;
}

export type PhiCsvResult = { ok: true; rows: PhiCsvRow[] } | { ok: false; errors: PhiCsvError[] };

type Field = "registrationNo" | "product" | "formulation" | "crop" | "phiDays" | "maxApplications" | "source";

const HEADER_NAMES: Record<string, Field> = {
  registration_no: "registrationNo",
  登记证号: "registrationNo",
  product: "product",
  产品名称: "product",
  农药名称: "product",
  formulation: "formulation",
  剂型: "formulation",
  含量剂型: "formulation",
  crop: "crop",
  作物: "crop",
  phi_days: "phiDays",
  安全间隔期: "phiDays",
  "安全间隔期(天)": "phiDays",
  max_applications: "maxApplications",
  每季最多使用次数: "maxApplications",
  source: "source",
  来源: "source",
};

const REQUIRED: readonly { field: Field; header: string }[] = [
  { field: "product", header: "product / 产品名称" },
  { field: "crop", header: "crop / 作物" },
  { field: "phiDays", header: "phi_days / 安全间隔期" },
];
const NONE_MARKS = new Set(["", "-", "—", "/"]);

interface ParsedRecord {
  info: { lines: number };
  record: string[];
}

function problem(line: number, column: string | null, messageZh: string, messageEn: string): PhiCsvError {
  return { line, column, messageZh, messageEn };
}

function wholeNumber(text: string): number | null {
  const digits = text.normalize("NFKC").trim();
  return /^\d{1,4}$/.test(digits) ? Number(digits) : null;
}

function readRecords(text: string): ParsedRecord[] | PhiCsvError {
  try {
    const options = { bom: true, info: true, skip_empty_lines: true, relax_column_count: true, trim: true };
    // csv-parse's typings do not model `info: true`, which wraps each record with its line numbers.
    return parse(text, options) as unknown as ParsedRecord[];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = typeof error["lines"] === "number" ? error["lines"] : 0;
    return problem(line, null, `CSV 格式错误：${error.message}`, `Malformed CSV: ${error.message}`);
  }
}

function readHeader(header: readonly string[]): { columns: Map<Field, number>; errors: PhiCsvError[] } {
  const columns = new Map<Field, number>();
  const errors: PhiCsvError[] = [];
  header.forEach((raw, index) => {
    const field = HEADER_NAMES[normaliseName(raw).toLowerCase()];
    if (field === undefined) errors.push(problem(1, raw, `未知的列名「${raw}」`, `Unknown column "${raw}"`));
    else if (columns.has(field)) errors.push(problem(1, raw, `列「${raw}」重复`, `Column "${raw}" appears twice`));
    else columns.set(field, index);
  });
  for (const { field, header: name } of REQUIRED)
    if (!columns.has(field))
      errors.push(problem(1, name, `缺少必需的列「${name}」`, `Required column "${name}" is missing`));
  return { columns, errors };
}

export function parsePhiCsv(text: string): PhiCsvResult {
  const records = readRecords(text);
  if (!Array.isArray(records)) return { ok: false, errors: [records] };
  const [headerRecord, ...body] = records;
  if (headerRecord === undefined)
    return { ok: false, errors: [problem(1, null, "文件是空的", "The file is empty")] };

  const header = headerRecord.record;
  const { columns, errors } = readHeader(header);
  if (errors.length > 0) return { ok: false, errors };

  const rows: PhiCsvRow[] = [];
  const firstLineOf = new Map<string, number>();
  for (const { info, record } of body) {
    const line = info.lines;
    if (record.length !== header.length) {
      errors.push(
        problem(line, null, `该行有 ${record.length} 列，表头有 ${header.length} 列`, `Row has ${record.length} columns; the header has ${header.length}`),
      );
      continue;
    }
    const cell = (field: Field) => {
      const index = columns.get(field);
      return index === undefined ? { text: "", column: field } : { text: record[index] ?? "", column: header[index] ?? field };
    };
    const optional = (field: Field) => {
      const text = normaliseName(cell(field).text);
      return NONE_MARKS.has(text) ? null : text;
    };
    const rowErrors: PhiCsvError[] = [];

    const product = cell("product");
    if (normaliseName(product.text) === "") rowErrors.push(problem(line, product.column, "产品名称为空", "Product is empty"));
    const crop = cell("crop");
    if (normaliseName(crop.text) === "") rowErrors.push(problem(line, crop.column, "作物为空", "Crop is empty"));
    const phi = cell("phiDays");
    const phiDays = wholeNumber(phi.text);
    if (phiDays === null)
      rowErrors.push(
        problem(line, phi.column, `安全间隔期「${phi.text}」不是天数（0 或正整数）`, `Interval "${phi.text}" is not a whole number of days`),
      );
    const capText = optional("maxApplications");
    const cap = capText === null ? null : wholeNumber(capText);
    if (capText !== null && (cap === null || cap < 1))
      rowErrors.push(
        problem(line, cell("maxApplications").column, `每季最多使用次数「${capText}」应为正整数或留空`, `Maximum uses "${capText}" must be a positive whole number or blank`),
      );

    const registrationNo = optional("registrationNo");
    const formulation = optional("formulation");
    const key = [registrationNo ?? normaliseName(product.text), registrationNo === null ? formulation ?? "" : "", normaliseName(crop.text)].join("\u0000");
    const earlier = firstLineOf.get(key);
    if (earlier !== undefined)
      rowErrors.push(problem(line, null, `与第 ${earlier} 行重复（同一产品、同一作物）`, `Duplicates line ${earlier} (same product and crop)`));
    else firstLineOf.set(key, line);

    errors.push(...rowErrors);
    if (rowErrors.length === 0 && phiDays !== null)
      rows.push({
        line,
        registrationNo,
        product: normaliseName(product.text),
        formulation,
        crop: normaliseName(crop.text),
        phiDays,
        maxApplicationsPerSeason: cap,
        source: optional("source"),
      });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rows };
}
