/**
 * Reporting periods and regions for the statistics, as districts report them: calendar months in China time
 * (UTC+8), regions rolled up by GB/T 2260 prefix (a city's figures include its counties).
 */

/** `yyyy-mm` months overlapping [from, to), with `from` and `to` as `yyyy-mm-dd` China dates. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const last = previousDay(to).slice(0, 7);
  for (;;) {
    const key = `${y}-${String(m).padStart(2, "0")}`;
    if (key > last) break;
    out.push(key);
    m++;
    if (m === 13) {
      m = 1;
      y++;
    }
  }
  return out;
}

function previousDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** The instant a China date begins. */
export function chinaMidnight(date: string): Date {
  return new Date(`${date}T00:00:00+08:00`);
}

/** First day of the month `monthsBack` months before the month of `date`. */
export function monthStart(date: string, monthsBack = 0): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - 1 - monthsBack;
  const d = new Date(Date.UTC(y, m, 1));
  return d.toISOString().slice(0, 10);
}

/**
 * The code one level below `region` that `code` rolls up into: a province's cities, a city's counties, a county
 * itself. `region` null (the whole country, for admins) rolls up into provinces.
 */
export function childRegion(region: string | null, code: string): string {
  if (region === null) return `${code.slice(0, 2)}0000`;
  if (region.endsWith("0000")) return `${code.slice(0, 4)}00`;
  return code;
}

/** Share with the denominator named, null when there was nothing to count. */
export function share(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}
