// Tree sizes and indices are plain numbers: safe integers reach 2^53 leaves, far beyond any log this service keeps.
// Bitwise operators are avoided on purpose because they truncate to 32 bits.

/** Throws unless `value` is a non-negative safe integer; `what` names it in the message. */
export function assertCount(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a non-negative safe integer, got ${value}`);
}

export function isPowerOfTwo(n: number): boolean {
  if (n < 1) return false;
  let p = 1;
  while (p < n) p *= 2;
  return p === n;
}

/** The k of RFC 9162 §2.1.1: the largest power of two strictly smaller than n (n ≥ 2). */
export function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export function isOdd(n: number): boolean {
  return n % 2 === 1;
}

export function half(n: number): number {
  return Math.floor(n / 2);
}
