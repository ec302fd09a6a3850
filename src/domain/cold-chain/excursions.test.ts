import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_DETECT_OPTIONS, detectExcursions, findGaps, type Reading } from "./excursions";
import { rangeForProduct, withinRange, type TargetRange } from "./ranges";

const MIN = 60_000;
const T0 = Date.parse("2026-11-19T00:00:00Z");
const chilled = rangeForProduct({ category: "畜禽", storageMinC: null, storageMaxC: null })!;
const frozen = rangeForProduct({ category: "其他", storageMinC: -30, storageMaxC: -18 })!;

/** Readings every 10 minutes from T0 with the given temperatures. */
const series = (temps: number[], start = T0): Reading[] => temps.map((celsius, i) => ({ at: start + i * 10 * MIN, celsius }));

describe("target ranges", () => {
  it("come from the product, else the category, and give frozen goods the transit and handover allowance", () => {
    expect(chilled).toMatchObject({ minC: 0, maxC: 4, transitMaxC: null, source: "category", profile: "chilled" });
    expect(rangeForProduct({ category: "水果", storageMinC: null, storageMaxC: null })).toMatchObject({ minC: 0, maxC: 7, profile: "fresh" });
    expect(rangeForProduct({ category: "水果", storageMinC: 1, storageMaxC: 3 })).toMatchObject({ minC: 1, maxC: 3, source: "product", profile: null });
    expect(frozen).toMatchObject({ minC: -30, maxC: -18, transitMaxC: -15, handoverMaxC: -12, profile: "frozen" });
    expect(rangeForProduct({ category: "茶鲜叶", storageMinC: null, storageMaxC: null })).toBeNull();
  });
});

describe("excursion detection", () => {
  it("ignores a short rise within the tolerance and reports a long one with its peak", () => {
    // 20 minutes above 4 °C (first to last reading): within the 30-minute tolerance.
    expect(detectExcursions(series([3, 5, 6, 5, 3]), chilled)).toEqual([]);
    const found = detectExcursions(series([3, 5, 6, 9, 6, 5, 3]), chilled);
    expect(found).toEqual([
      { kind: "out_of_range", start: T0 + 10 * MIN, end: T0 + 50 * MIN, durationMs: 40 * MIN, peakC: 9, maxDeviationC: 5, readings: 5, includesGap: false },
    ]);
  });

  it("counts readings below the minimum too", () => {
    expect(detectExcursions(series([1, -1, -2, -1.5, -1, -1, 2]), chilled)).toMatchObject([{ peakC: -2, maxDeviationC: 2, readings: 5 }]);
  });

  it("lets frozen goods rise to −15 °C in transit but not stay there, and not go above it", () => {
    const rise = series([-20, -16, -15, -16, -16, -17, -19]);
    expect(detectExcursions(rise, frozen)).toEqual([]);
    const noRecovery = series([-20, ...Array<number>(14).fill(-16), -19]);
    expect(detectExcursions(noRecovery, frozen).map((e) => [e.kind, e.durationMs / MIN])).toEqual([["not_recovered", 130]]);
    const tooWarm = series([-20, -14, -13, -14, -14, -14, -19]);
    expect(detectExcursions(tooWarm, frozen).map((e) => e.kind)).toEqual(["out_of_range"]);
  });

  it("carries a run across a gap only when both sides are outside, and marks it", () => {
    const gapOut = [...series([3, 6]), ...series([6, 3], T0 + 3 * 3600_000)];
    expect(detectExcursions(gapOut, chilled)).toMatchObject([{ includesGap: true, durationMs: 3 * 3600_000 - 10 * MIN }]);
    const gapIn = [...series([3, 6, 3]), ...series([3, 6, 3], T0 + 3 * 3600_000)];
    expect(detectExcursions(gapIn, chilled)).toEqual([]);
    expect(findGaps(gapIn)).toEqual([{ start: T0 + 20 * MIN, end: T0 + 3 * 3600_000 }]);
  });
});

// ── Properties ───────────────────────────────────────────────────────────────────────────────────────────────

const rangeArb: fc.Arbitrary<TargetRange> = fc.oneof(
  fc.constant(chilled),
  fc.constant(frozen),
  fc.constant(rangeForProduct({ category: "蔬菜", storageMinC: null, storageMaxC: null })!),
);

/** Distinct instants (minutes apart, with the odd gap) and temperatures spread around every range used. */
const readingsArb = fc
  .uniqueArray(fc.integer({ min: 0, max: 2_000 }), { minLength: 0, maxLength: 80 })
  .chain((minutes) =>
    fc.tuple(...minutes.map((m) => fc.integer({ min: -40, max: 20 }).map((c) => ({ at: T0 + m * 5 * MIN, celsius: c / 2 + 0 }))))
  )
  .map((rs) => rs as Reading[]);

const inRangeValue = (range: TargetRange) => fc.double({ min: range.minC ?? range.maxC! - 10, max: range.maxC!, noNaN: true });

describe("excursion detection properties", () => {
  it("does not depend on the order readings arrive in", () => {
    fc.assert(
      fc.property(rangeArb, readingsArb.chain((rs) => fc.tuple(fc.constant(rs), fc.shuffledSubarray(rs, { minLength: rs.length, maxLength: rs.length }))), (range, [rs, shuffled]) => {
        expect(detectExcursions(shuffled, range)).toEqual(detectExcursions(rs, range));
      }),
    );
  });

  it("does not depend on order even when readings repeat an instant", () => {
    const repeated = fc.array(fc.record({ at: fc.integer({ min: 0, max: 30 }).map((m) => T0 + m * 10 * MIN), celsius: fc.integer({ min: -40, max: 20 }) }), { maxLength: 60 });
    fc.assert(
      fc.property(rangeArb, repeated, (range, rs) => {
        expect(detectExcursions([...rs].reverse(), range)).toEqual(detectExcursions(rs, range));
      }),
    );
  });

  it("reports only readings outside the band, lasting longer than the tolerance", () => {
    fc.assert(
      fc.property(rangeArb, readingsArb, (range, rs) => {
        for (const e of detectExcursions(rs, range)) {
          const inside = rs.filter((r) => r.at >= e.start && r.at <= e.end);
          expect(inside.length).toBe(e.readings);
          for (const r of inside) expect(withinRange(range, r.celsius)).toBe(false);
          if (e.kind === "out_of_range") {
            const hard = { minC: range.minC, maxC: range.transitMaxC ?? range.maxC };
            for (const r of inside) expect(withinRange(hard, r.celsius)).toBe(false);
            expect(e.durationMs).toBeGreaterThan(DEFAULT_DETECT_OPTIONS.toleranceMs);
          } else {
            expect(e.durationMs).toBeGreaterThan(DEFAULT_DETECT_OPTIONS.recoveryMs);
          }
          expect(e.maxDeviationC).toBeGreaterThan(0);
        }
      }),
    );
  });

  it("never gains an excursion from readings inside the range: each one lies within an earlier one", () => {
    fc.assert(
      fc.property(
        rangeArb.chain((range) =>
          fc.tuple(
            fc.constant(range),
            readingsArb,
            fc.array(fc.record({ at: fc.integer({ min: 0, max: 2_000 }).map((m) => T0 + m * 5 * MIN + 60_000), celsius: inRangeValue(range) }), { maxLength: 20 }),
          ),
        ),
        ([range, rs, extra]) => {
          const before = detectExcursions(rs, range);
          const after = detectExcursions([...rs, ...extra], range);
          for (const e of after) {
            expect(before.some((b) => b.kind === e.kind && b.start <= e.start && e.end <= b.end)).toBe(true);
          }
        },
      ),
    );
  });

  it("finds nothing in readings that are all inside the range", () => {
    fc.assert(
      fc.property(rangeArb.chain((range) => fc.tuple(fc.constant(range), fc.array(inRangeValue(range), { maxLength: 100 }))), ([range, temps]) => {
        expect(detectExcursions(series(temps), range)).toEqual([]);
      }),
    );
  });
});
