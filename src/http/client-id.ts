import { sha256 } from "@noble/hashes/sha2.js";
import { chinaDate } from "../domain/ids";

/**
 * Clients are told apart by a salted hash of what identifies them (their address): no raw IP is kept, and the salt
 * stops anyone reversing the hashes by enumerating the IPv4 space.
 */
export function clientHasher(salt: Uint8Array): (identity: string) => string {
  return (identity) => {
    const input = new Uint8Array(salt.length + identity.length * 3);
    input.set(salt);
    const encoded = new TextEncoder().encodeInto(identity, input.subarray(salt.length));
    const digest = sha256(input.subarray(0, salt.length + encoded.written));
    let hex = "";
    for (const byte of digest.subarray(0, 12)) hex += byte.toString(16).padStart(2, "0");
    return hex;
  };
}

/**
 * Visitor ids for scan records: the client's address and browser, hashed with a salt drawn afresh each China day
 * and kept only in memory. One phone scanning again the same day gets the same id; ids of different days (or of
 * another process) cannot be linked, and none can be turned back into an address.
 */
export function dailyVisitorIds(randomBytes: (n: number) => Uint8Array, clock: () => Date): (address: string, userAgent: string) => string {
  let day = "";
  let hash = clientHasher(new Uint8Array(0));
  return (address, userAgent) => {
    const today = chinaDate(clock());
    if (today !== day) {
      day = today;
      hash = clientHasher(randomBytes(16));
    }
    return hash(`${address}\n${userAgent}`);
  };
}
