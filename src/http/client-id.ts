import { createHmac } from "node:crypto";

/**
 * Clients are told apart by a keyed hash (HMAC-SHA-256) of what identifies them (their address): no raw IP is kept,
 * and the secret key stops anyone reversing the hashes by enumerating the IPv4 space. node:crypto, because the hash
 * runs on every public request; Workers provide it under the nodejs_compat flag.
 */
export function clientHasher(salt: Uint8Array): (identity: string) => string {
  return (identity) => createHmac("sha256", salt).update(identity).digest("hex").slice(0, 24);
}

const DAY_MS = 86_400_000;
/** China Standard Time has no daylight saving: its days start at 16:00 UTC. */
const CHINA_OFFSET_MS = 8 * 3_600_000;

/**
 * Visitor ids for scan records: the client's address and browser, hashed with a salt drawn afresh each China day
 * and kept only in memory. One phone scanning again the same day gets the same id; ids of different days (or of
 * another process) cannot be linked, and none can be turned back into an address.
 */
export function dailyVisitorIds(randomBytes: (n: number) => Uint8Array, clock: () => Date): (address: string, userAgent: string) => string {
  let dayEndsAt = Number.NEGATIVE_INFINITY;
  let hash = clientHasher(new Uint8Array(0));
  return (address, userAgent) => {
    const now = clock().getTime();
    if (now >= dayEndsAt || now < dayEndsAt - DAY_MS) {
      dayEndsAt = (Math.floor((now + CHINA_OFFSET_MS) / DAY_MS) + 1) * DAY_MS - CHINA_OFFSET_MS;
      hash = clientHasher(randomBytes(16));
    }
    return hash(`${address}\n${userAgent}`);
  };
}
