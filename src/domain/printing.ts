/**
 * Rules of a print job: how many labels one request may ask for, which calendar days a date range covers, and what
 * the downloaded file is called. Pure, so routes and the command-line client agree on them.
 */

/** Paper sizes a certificate prints on; the thermal label is what most farmers have. */
export const SIZE_PRESETS = ["label-60x80", "label-100x70", "a6", "a4"] as const;
export type SizePreset = (typeof SIZE_PRESETS)[number];
export const DEFAULT_SIZE: SizePreset = "label-60x80";

/** One label per crate; the issuing API caps a certificate's copies at the same figure. */
export const MAX_COPIES = 500;
/** A batch is a day's harvest for a co-op: thousands of labels, never an unbounded job that ties up the origin. */
export const MAX_BATCH_LABELS = 10_000;
/** Certificates named one by one in a batch request. */
export const MAX_BATCH_IDS = 1_000;
/** A date-range batch covers at most this many days: a season's labels are not printed in one go. */
export const MAX_BATCH_DAYS = 31;

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The instants [start, end) of China calendar days `from` through `to` (YYYY-MM-DD, inclusive). */
export function chinaDayRange(from: string, to: string): { start: Date; end: Date; days: number } {
  const start = Date.parse(`${from}T00:00:00Z`) - CHINA_OFFSET_MS;
  const end = Date.parse(`${to}T00:00:00Z`) - CHINA_OFFSET_MS + DAY_MS;
  return { start: new Date(start), end: new Date(end), days: Math.round((end - start) / DAY_MS) };
}

/** ASCII-only names survive every browser and printer driver; the code keeps files of different certificates apart. */
export function certificatePdfName(code: string, size: string): string {
  return `certificate-${safe(code)}-${safe(size)}.pdf`;
}

export function batchPdfName(parts: { lotCode?: string | undefined; from?: string | undefined; to?: string | undefined; count: number }, size: string): string {
  const range = parts.from === undefined ? undefined : parts.to === undefined || parts.to === parts.from ? parts.from : `${parts.from}_${parts.to}`;
  const what = [parts.lotCode === undefined ? undefined : `lot-${safe(parts.lotCode)}`, range].filter((p) => p !== undefined).join("-");
  return `certificates-${what === "" ? `${parts.count}` : what}-${safe(size)}.pdf`;
}

function safe(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 60);
}

/** RFC 6266 header value; the name is ASCII by construction. */
export function contentDisposition(kind: "inline" | "attachment", fileName: string): string {
  return `${kind}; filename="${fileName}"`;
}
