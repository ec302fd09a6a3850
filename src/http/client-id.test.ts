import { describe, expect, it } from "vitest";
import { clientHasher, dailyVisitorIds } from "./client-id";

describe("client ids", () => {
  it("hash an identity with the salt: stable for one salt, unrelated across salts, never the identity", () => {
    const a = clientHasher(new Uint8Array(16).fill(1));
    const b = clientHasher(new Uint8Array(16).fill(2));
    expect(a("203.0.113.7")).toMatch(/^[0-9a-f]{24}$/);
    expect(a("203.0.113.7")).toBe(a("203.0.113.7"));
    expect(a("203.0.113.7")).not.toBe(a("203.0.113.8"));
    expect(a("203.0.113.7")).not.toBe(b("203.0.113.7"));
  });

  it("give a visitor one id per China day, changing at midnight in Beijing (16:00 UTC)", () => {
    let now = new Date("2026-11-29T15:59:59.999Z");
    let draws = 0;
    const ids = dailyVisitorIds((n) => new Uint8Array(n).fill(++draws), () => now);
    const morning = ids("203.0.113.7", "phone");
    expect(ids("203.0.113.7", "phone")).toBe(morning);
    expect(ids("203.0.113.7", "other browser")).not.toBe(morning);
    now = new Date("2026-11-29T16:00:00.000Z");
    const nextDay = ids("203.0.113.7", "phone");
    expect(nextDay).not.toBe(morning);
    expect(ids("203.0.113.7", "phone")).toBe(nextDay);
    // A clock set back (tests, a corrected server clock) draws a new salt rather than reusing a later day's.
    now = new Date("2026-11-28T12:00:00.000Z");
    expect(ids("203.0.113.7", "phone")).not.toBe(nextDay);
    expect(draws).toBe(3);
  });
});
