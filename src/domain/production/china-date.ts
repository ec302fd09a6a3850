/**
 * Calendar dates as a Chinese farmer counts them: in China Standard Time (Asia/Shanghai, UTC+8, no daylight saving
 * since 1991). Intervals such as the pre-harvest interval are counted in whole calendar days on these dates, so the
 * rules compare "YYYY-MM-DD" strings and never wall-clock hours.
 */

/** A calendar date in China Standard Time, written "YYYY-MM-DD". */
export type ChinaDate = string;

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
// Instants must carry an offset: a bare local time is ambiguous between the farmer's phone and the server.
const INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;

function isRealDate(value: string): boolean {
  const match = DATE_ONLY.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC maps years 0–99 onto 1900–1999, so the year is checked as well as month and day.
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

function utcDateOf(ms: number): ChinaDate {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Epoch milliseconds of an RFC 3339 instant with offset, or null when it is not one or names an impossible time. */
function parseInstant(value: string): number | null {
  const match = INSTANT.exec(value);
  if (!match) return null;
  const [, datePart, hour, minute, second, , offsetHour, offsetMinute] = match;
  const inRange =
    datePart !== undefined &&
    isRealDate(datePart) &&
    Number(hour) <= 23 &&
    Number(minute) <= 59 &&
    Number(second ?? "0") <= 59 &&
    Number(offsetHour ?? "0") <= 23 &&
    Number(offsetMinute ?? "0") <= 59;
  return inRange ? Date.parse(value) : null;
}

/**
 * The China calendar date of a date ("YYYY-MM-DD", taken as already in China time) or of an RFC 3339 instant with
 * an explicit offset. Throws RangeError for anything else, since a misread date would silently move a harvest.
 */
export function toChinaDate(value: string): ChinaDate {
  if (DATE_ONLY.test(value)) {
    if (!isRealDate(value)) throw new RangeError(`Not a calendar date: ${value}`);
    return value;
  }
  const ms = parseInstant(value);
  if (ms === null) throw new RangeError(`Not a date or an instant with a UTC offset: ${value}`);
  return utcDateOf(ms + CHINA_OFFSET_MS);
}

/** Epoch milliseconds of an RFC 3339 instant with offset; throws RangeError for anything else. */
export function instantMs(value: string): number {
  const ms = parseInstant(value);
  if (ms === null) throw new RangeError(`Not an instant with a UTC offset: ${value}`);
  return ms;
}

/** The date `days` calendar days after `date` (before it when negative). */
export function addDays(date: ChinaDate, days: number): ChinaDate {
  if (!isRealDate(date)) throw new RangeError(`Not a calendar date: ${date}`);
  if (!Number.isInteger(days)) throw new RangeError(`Days must be a whole number: ${days}`);
  return utcDateOf(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS);
}

/** Negative, zero or positive as `a` is before, on or after `b`. Zero-padded ISO dates order as strings. */
export function compareDates(a: ChinaDate, b: ChinaDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isValidChinaDate(value: string): boolean {
  return isRealDate(value);
}
