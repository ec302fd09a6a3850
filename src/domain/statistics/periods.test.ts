import { describe, expect, it } from "vitest";
import { childRegion, chinaMidnight, monthsBetween, monthStart, share } from "./periods";

describe("periods", () => {
  it("lists the months overlapping [from, to)", () => {
    expect(monthsBetween("2026-01-01", "2026-04-01")).toEqual(["2026-01", "2026-02", "2026-03"]);
    expect(monthsBetween("2025-12-15", "2026-01-02")).toEqual(["2025-12", "2026-01"]);
    expect(monthStart("2026-01-20", 2)).toBe("2025-11-01");
    expect(monthStart("2026-12-20", -1)).toBe("2027-01-01");
    expect(chinaMidnight("2026-11-01").toISOString()).toBe("2026-10-31T16:00:00.000Z");
  });

  it("rolls regions up one level by GB/T 2260 prefix, and shares are null on nothing", () => {
    expect(childRegion("330000", "330112")).toBe("330100");
    expect(childRegion("330100", "330112")).toBe("330112");
    expect(childRegion(null, "330112")).toBe("330000");
    expect(share(1, 4)).toBe(0.25);
    expect(share(0, 0)).toBeNull();
  });
});
