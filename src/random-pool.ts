import { randomBytes } from "node:crypto";

/**
 * Random bytes drawn from a pool refilled 4 KiB at a time, as node:crypto's randomUUID does: every scan record and id
 * takes a few bytes, and a call into OpenSSL for each cost more than the rest of making the id. Each caller gets its
 * own copy, and no byte is handed out twice.
 */
export function pooledRandomBytes(poolSize = 4096): (n: number) => Uint8Array {
  let pool = randomBytes(poolSize);
  let offset = 0;
  return (n) => {
    if (n > poolSize) return new Uint8Array(randomBytes(n));
    if (offset + n > poolSize) {
      pool = randomBytes(poolSize);
      offset = 0;
    }
    const bytes = new Uint8Array(pool.subarray(offset, offset + n));
    offset += n;
    return bytes;
  };
}
