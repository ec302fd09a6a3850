/**
 * Content checks ("linters") named in the GS1 Barcode Syntax Dictionary, applied
 * to one component of an AI value after its length and character set are known good.
 * Each returns a short description of the problem, or null when the component passes.
 */
import { hasValidGs1CheckDigit } from "../gs1";

export type Linter = (component: string) => string | null;

// GS1 General Specifications figure 7.9.5-1: check-character pair over CSET 82.
const CSET82 = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
const CSET32 = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83];

function alphanumericCheckPairIsValid(data: string): boolean {
  const body = data.slice(0, -2);
  if (data.length < 3 || body.length > PRIMES.length) return false;
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const weight = PRIMES[body.length - 1 - i] ?? 0;
    sum += CSET82.indexOf(body.charAt(i)) * weight;
  }
  sum %= 1021;
  return data.slice(-2) === CSET32.charAt(Math.floor(sum / 32)) + CSET32.charAt(sum % 32);
}

function twoDigits(text: string, at: number): number {
  return Number(text.slice(at, at + 2));
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Two-digit years: GS1 leaves the century to a sliding window, and every yy divisible by 4 is a leap year within it. */
function dateProblem(year: number, month: number, day: number, dayMayBeZero: boolean): string | null {
  if (month < 1 || month > 12) return "month must be 01-12";
  if (day === 0 && dayMayBeZero) return null;
  if (day < 1 || day > daysInMonth(year, month)) return "day does not exist in that month";
  return null;
}

const inRange = (value: number, min: number, max: number, what: string): string | null =>
  value >= min && value <= max ? null : `${what} must be ${String(min).padStart(2, "0")}-${max}`;

export const LINTERS: Readonly<Record<string, Linter>> = {
  csum: (c) => (hasValidGs1CheckDigit(c) ? null : "incorrect GS1 check digit"),
  csumalpha: (c) => (alphanumericCheckPairIsValid(c) ? null : "incorrect check character pair"),
  yymmdd: (c) => dateProblem(2000 + twoDigits(c, 0), twoDigits(c, 2), twoDigits(c, 4), false),
  yymmd0: (c) => dateProblem(2000 + twoDigits(c, 0), twoDigits(c, 2), twoDigits(c, 4), true),
  yyyymmdd: (c) => dateProblem(Number(c.slice(0, 4)), twoDigits(c, 4), twoDigits(c, 6), false),
  hhmi: (c) => inRange(twoDigits(c, 0), 0, 23, "hour") ?? inRange(twoDigits(c, 2), 0, 59, "minute"),
  hh: (c) => inRange(Number(c), 0, 23, "hour"),
  mi: (c) => inRange(Number(c), 0, 59, "minute"),
  ss: (c) => inRange(Number(c), 0, 59, "second"),
  yesno: (c) => (c === "0" || c === "1" ? null : "must be 0 or 1"),
  zero: (c) => (c === "0" ? null : "must be 0"),
  nonzero: (c) => (/^0+$/.test(c) ? "must not be zero" : null),
  nozeroprefix: (c) => (c.length > 1 && c.startsWith("0") ? "must not start with 0" : null),
  hasnondigit: (c) => (/\D/.test(c) ? null : "must contain a non-digit"),
  hyphen: (c) => (c === "-" ? null : "must be '-'"),
  winding: (c) => (["0", "1", "9"].includes(c) ? null : "winding direction must be 0, 1 or 9"),
  iso5218: (c) => (["0", "1", "2", "9"].includes(c) ? null : "sex code must be 0, 1, 2 or 9 (ISO/IEC 5218)"),
  pieceoftotal: (c) => {
    const piece = twoDigits(c, 0);
    const total = twoDigits(c, 2);
    return piece >= 1 && piece <= total ? null : "piece number must be 1..total";
  },
  latitude: (c) => (Number(c) <= 1_800_000_000 ? null : "latitude out of range"),
  longitude: (c) => (Number(c) <= 3_600_000_000 ? null : "longitude out of range"),
  pcenc: (c) => (/%(?![0-9A-Fa-f]{2})/.test(c) ? "malformed percent-encoding" : null),
};

/**
 * Linters this module does not implement: they need external code lists (ISO 3166/4217,
 * GS1 company prefixes, package types, coupon formats) that a resolver does not carry.
 * Values are still checked for length and character set.
 */
export const UNCHECKED_LINTERS: ReadonlySet<string> = new Set([
  "gcppos1",
  "gcppos2",
  "iso3166",
  "iso3166999",
  "iso3166alpha2",
  "iso4217",
  "iban",
  "importeridx",
  "packagetype",
  "mediatype",
  "posinseqslash",
  "couponcode",
  "couponposoffer",
]);
