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
