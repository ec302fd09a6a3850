import { parse } from "csv-parse/sync";

/** Most readings one request may carry: 50,000 is about a year of 10-minute logging from one logger. */
export const MAX_READINGS_PER_REQUEST = 50_000;

/** Loggers report within this; beyond it a reading is a typo, not a temperature. */
export const PLAUSIBLE_CELSIUS = { min: -80, max: 80 } as const;

export interface FieldProblem {
  path: string;
  message: string;
}

export interface ParsedReading {
  loggerId: string;
  at: number;
  celsius: number;
}

const ZONED_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?([Zz]|[+-]\d{2}:?\d{2})$/;
const LOGGER_ID = /^[\p{L}\p{N}._:\-/#]{1,100}$/u;

/** An instant with an explicit offset, as epoch ms; a local time without offset is ambiguous and refused. */
export function parseInstant(text: string): number | null {
  const t = text.trim();
  if (!ZONED_DATE_TIME.test(t)) return null;
  const ms = Date.parse(t.replace(" ", "T"));
  return Number.isNaN(ms) ? null : ms;
}

export function loggerIdProblem(id: string): string | null {
  return LOGGER_ID.test(id) ? null : "must be 1–100 letters, digits or . _ : - / #";
}

export function celsiusProblem(c: number): string | null {
  if (!Number.isFinite(c)) return "must be a number";
  if (c < PLAUSIBLE_CELSIUS.min || c > PLAUSIBLE_CELSIUS.max) return `must be between ${PLAUSIBLE_CELSIUS.min} and ${PLAUSIBLE_CELSIUS.max} °C`;
  return null;
}

/**
 * A logger export as CSV: a header naming `at` and `celsius` (any order, case-insensitive) and optionally
 * `loggerId`; rows without a logger column take `defaultLogger`. Problems name the line (1 = header) and column;
 * at most 20 are reported, which is enough to fix a file and keeps the answer small.
 */
export function parseReadingsCsv(text: string, defaultLogger: string | null): { rows: ParsedReading[] } | { problems: FieldProblem[] } {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true });
  } catch (err) {
    return { problems: [{ path: "(body)", message: `is not valid CSV: ${(err as Error).message}` }] };
  }
  const [header, ...lines] = records;
  if (header === undefined) return { problems: [{ path: "(body)", message: "is empty; expected a header at,celsius[,loggerId]" }] };
  const names = header.map((h) => h.toLowerCase().replace(/[\s_]/g, ""));
  const col = { at: names.indexOf("at"), celsius: names.indexOf("celsius"), logger: names.indexOf("loggerid") };
  const problems: FieldProblem[] = [];
  if (col.at < 0) problems.push({ path: "line 1", message: "the header must name an 'at' column" });
  if (col.celsius < 0) problems.push({ path: "line 1", message: "the header must name a 'celsius' column" });
  if (col.logger < 0 && defaultLogger === null) problems.push({ path: "loggerId", message: "is required when the CSV has no loggerId column" });
  if (problems.length > 0) return { problems };
  if (lines.length > MAX_READINGS_PER_REQUEST) {
    return { problems: [{ path: "(body)", message: `has ${lines.length} rows; at most ${MAX_READINGS_PER_REQUEST} per request` }] };
  }
  const rows: ParsedReading[] = [];
  lines.forEach((cells, i) => {
    if (problems.length >= 20) return;
    const line = `line ${i + 2}`;
    const at = parseInstant(cells[col.at] ?? "");
    if (at === null) problems.push({ path: `${line}.at`, message: "must be an ISO 8601 date-time with offset" });
    const raw = cells[col.celsius] ?? "";
    const celsius = raw === "" ? Number.NaN : Number(raw);
    const cProblem = celsiusProblem(celsius);
    if (cProblem !== null) problems.push({ path: `${line}.celsius`, message: cProblem });
    const logger = col.logger >= 0 && (cells[col.logger] ?? "") !== "" ? cells[col.logger]! : defaultLogger;
    const lProblem = logger === null ? "is empty and no default loggerId was given" : loggerIdProblem(logger);
    if (lProblem !== null) problems.push({ path: `${line}.loggerId`, message: lProblem });
    if (at !== null && cProblem === null && lProblem === null) rows.push({ loggerId: logger!, at, celsius });
  });
  return problems.length > 0 ? { problems } : { rows };
}

/** JSON batch rows `{ at, celsius }`, checked one by one; problems name `readings.<index>.<field>`, at most 20. */
export function checkReadingRows(rows: readonly unknown[], loggerId: string): { rows: ParsedReading[] } | { problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const out: ParsedReading[] = new Array<ParsedReading>(rows.length);
  for (let i = 0; i < rows.length && problems.length < 20; i++) {
    const row = rows[i];
    if (row === null || typeof row !== "object" || Array.isArray(row)) {
      problems.push({ path: `readings.${i}`, message: "must be an object { at, celsius }" });
      continue;
    }
    const { at: rawAt, celsius } = row as { at?: unknown; celsius?: unknown };
    const at = typeof rawAt === "string" ? parseInstant(rawAt) : null;
    if (at === null) problems.push({ path: `readings.${i}.at`, message: "must be an ISO 8601 date-time with offset" });
    const cProblem = typeof celsius === "number" ? celsiusProblem(celsius) : "must be a number";
    if (cProblem !== null) problems.push({ path: `readings.${i}.celsius`, message: cProblem });
    if (at !== null && cProblem === null) out[i] = { loggerId, at, celsius: celsius as number };
  }
  return problems.length > 0 ? { problems } : { rows: out };
}
