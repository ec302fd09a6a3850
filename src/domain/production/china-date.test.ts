import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, compareDates, instantMs, isValidChinaDate, toChinaDate } from "./china-date.js";

describe("toChinaDate", () => {
  it("keeps a plain date as the China date", () => {
    expect(toChinaDate("2026-05-01")).toBe("2026-05-01");
  });

  it("moves a UTC instant at or after 16:00 onto the next China day", () => {
    expect(toChinaDate("2026-05-01T15:59:59Z")).toBe("2026-05-01");
    expect(toChinaDate("2026-05-01T16:00:00Z")).toBe("2026-05-02");
  });

  it("reads instants with an offset", () => {
    expect(toChinaDate("2026-05-01T23:30+08:00")).toBe("2026-05-01");
    expect(toChinaDate("2026-05-01T00:30+08:00")).toBe("2026-05-01");
    expect(toChinaDate("2026-05-01T10:59-05:00")).toBe("2026-05-01");
    expect(toChinaDate("2026-05-01T11:00-05:00")).toBe("2026-05-02");
    expect(toChinaDate("2026-12-31T16:00:00.123Z")).toBe("2027-01-01");
  });

  it.each(["2026-02-30", "2026-13-01", "2026-5-1", "2026-05-01T10:00", "2026-05-01T24:00Z", "2026-05-01T23:59:60Z", "yesterday", ""])(
    "rejects %j",
    (value) => {
      expect(() => toChinaDate(value)).toThrow(RangeError);
    },
  );

  it("accepts 29 February only in leap years", () => {
    expect(toChinaDate("2028-02-29")).toBe("2028-02-29");
    expect(() => toChinaDate("2026-02-29")).toThrow(RangeError);
  });
});

describe("addDays", () => {
  it("crosses month and year ends", () => {
    expect(addDays("2026-01-31", 1)).toBe("2026-02-01");
    expect(addDays("2026-12-25", 7)).toBe("2027-01-01");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(addDays("2026-05-01", 0)).toBe("2026-05-01");
  });

  it("rejects fractional days and bad dates", () => {
    expect(() => addDays("2026-05-01", 1.5)).toThrow(RangeError);
    expect(() => addDays("2026-02-30", 1)).toThrow(RangeError);
  });

  it("is reversible and ordered", () => {
    const date = fc
      .date({ min: new Date("1990-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(date, fc.integer({ min: -4000, max: 4000 }), (start, days) => {
        const moved = addDays(start, days);
        expect(isValidChinaDate(moved)).toBe(true);
        expect(addDays(moved, -days)).toBe(start);
        expect(Math.sign(compareDates(moved, start))).toBe(Math.sign(days));
      }),
    );
  });
});

describe("instantMs", () => {
  it("orders instants across offsets", () => {
    expect(instantMs("2026-05-01T08:00+08:00")).toBe(instantMs("2026-05-01T00:00Z"));
  });

  it("refuses plain dates, which cannot order tests within a day", () => {
    expect(() => instantMs("2026-05-01")).toThrow(RangeError);
  });
});
