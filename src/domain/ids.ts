/**
 * UUIDv7 (RFC 9562) from an injected clock and random source: ids sort by creation time, which is what cursor
 * pagination orders by, and tests get the same ids every run.
 */
export function uuidv7(now: Date, randomBytes: (n: number) => Uint8Array): string {
  const b = new Uint8Array(16);
  b.set(randomBytes(10), 6);
  let ms = now.getTime();
  for (let i = 5; i >= 0; i--) {
    b[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  b[6] = 0x70 | (b[6]! & 0x0f);
  b[8] = 0x80 | (b[8]! & 0x3f);
  // Byte by byte from a table: every scan record takes an id, and formatting through an array cost more than the rest.
  const h = (i: number) => HEX[b[i]!]!;
  return `${h(0)}${h(1)}${h(2)}${h(3)}-${h(4)}${h(5)}-${h(6)}${h(7)}-${h(8)}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}`;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** Calendar date in China Standard Time (UTC+8, no daylight saving), the date printed as 开具日期. */
export function chinaDate(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

const DAY_MS = 86_400_000;
/** The instants toISOString writes with a four-digit year; outside them it writes ±YYYYYY. */
const FOUR_DIGIT_YEARS = { from: Date.parse("0000-01-01T00:00:00.000Z"), to: Date.parse("9999-12-31T23:59:59.999Z") };
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, "0"));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));
let cachedDay = Number.NaN;
let cachedDayPrefix = "";

/**
 * `new Date(ms).toISOString()` for a whole number of milliseconds, a few times faster: a chart's series formats
 * hundreds of instants per scan, mostly within one day, so the date part is kept from the previous call.
 */
export function isoInstant(ms: number): string {
  if (!Number.isInteger(ms) || ms < FOUR_DIGIT_YEARS.from || ms > FOUR_DIGIT_YEARS.to) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  if (day !== cachedDay) {
    cachedDayPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    cachedDay = day;
  }
  let rest = ms - day * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  return `${cachedDayPrefix}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[rest - seconds * 1000]}Z`;
}
