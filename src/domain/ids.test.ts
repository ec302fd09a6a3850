import { describe, expect, it } from "vitest";
import { isoInstant } from "./ids";

describe("isoInstant", () => {
  it("writes what toISOString writes, for instants in any order and at the edges of the four-digit years", () => {
    let seed = 11;
    const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const edges = [0, -1, 1, Date.parse("0000-01-01T00:00:00.000Z"), Date.parse("9999-12-31T23:59:59.999Z"), 8.64e15, -8.64e15, 253402300800000, -62167219200001];
    const spread = Array.from({ length: 20_000 }, () => Math.floor((next() - 0.3) * 3e14));
    const sameDay = Array.from({ length: 2_000 }, (_, i) => Date.parse("2026-11-29T00:00:00Z") + i * 43_201);
    for (const ms of [...edges, ...spread, ...sameDay]) expect(isoInstant(ms)).toBe(new Date(ms).toISOString());
  });

  it("gives fractions of a millisecond to toISOString, which drops them", () => {
    expect(isoInstant(1_700_000_000_123.9)).toBe("2023-11-14T22:13:20.123Z");
  });
});
