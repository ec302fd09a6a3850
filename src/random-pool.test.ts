import { describe, expect, it } from "vitest";
import { pooledRandomBytes } from "./random-pool";

describe("pooled random bytes", () => {
  it("hands out each pooled byte once, in copies the caller owns, across refills and past the pool size", () => {
    const random = pooledRandomBytes(64);
    const parts = Array.from({ length: 40 }, () => random(10));
    expect(parts.every((p) => p.length === 10)).toBe(true);
    // 400 bytes from 64-byte pools: no two 10-byte draws are equal (a repeat would mean a byte handed out twice).
    expect(new Set(parts.map((p) => Buffer.from(p).toString("hex"))).size).toBe(40);
    parts[0]!.fill(0);
    expect(parts[1]!.some((b) => b !== 0)).toBe(true);
    expect(random(100)).toHaveLength(100);
  });
});
