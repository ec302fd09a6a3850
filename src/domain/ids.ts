/**
 * UUIDv7 (RFC 9562) from an injected clock and random source: ids sort by creation time, which is what cursor
 * pagination orders by, and tests get the same ids every run.
 */
export function uuidv7(now: Date, randomBytes: (n: number) => Uint8Array): string {
  const bytes = new Uint8Array(16);
  bytes.set(randomBytes(10), 6);
  let ms = now.getTime();
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Calendar date in China Standard Time (UTC+8, no daylight saving), the date printed as 开具日期. */
export function chinaDate(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
