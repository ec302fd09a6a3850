const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * An xsd:dateTimeStamp as the CBV 2.0 event hash writes it: UTC, `Z`, exactly three fraction
 * digits, the third rounded up when the fourth is 5-9 (so .1415 -> .142 and .1414 -> .141).
 * Returns undefined for text that is not a zoned timestamp, which the hash then keeps verbatim.
 */
export function canonicalTimestamp(text: string): string | undefined {
  const match = DATE_TIME.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction = "", zone = "Z"] = match;
  const fields = [year, month, day, hour, minute, second].map(Number) as [
    number, number, number, number, number, number,
  ];
  const [y, mo, d, h, mi, s] = fields;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;

  const millis = Number(fraction.slice(0, 3).padEnd(3, "0")) + (Number(fraction[3] ?? "0") >= 5 ? 1 : 0);
  const offsetMinutes = zone.toUpperCase() === "Z" ? 0 : zoneOffsetMinutes(zone);
  const instant = new Date(Date.UTC(2000, 0, 1));
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 onto 1900-1999.
  instant.setUTCFullYear(y, mo - 1, d);
  instant.setUTCHours(h, mi - offsetMinutes, s, millis);
  return instant.toISOString();
}

function zoneOffsetMinutes(zone: string): number {
  const sign = zone.startsWith("-") ? -1 : 1;
  return sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
}
