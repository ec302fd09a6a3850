import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { closureOf, EXCURSION_ACTIONS, type RecordedAction } from "./closure";
import { checkHandover } from "./handover";
import { rangeForProduct } from "./ranges";
import { reconcileExcursions } from "./reconcile";
import type { Excursion } from "./excursions";

describe("excursion closure", () => {
  it("needs a corrective action and a release or reject, in any order", () => {
    expect(closureOf([{ action: "corrective", at: 1 }], 0).open).toBe(true);
    expect(closureOf([{ action: "release", at: 1 }], 0).open).toBe(true);
    expect(closureOf([{ action: "reject", at: 2 }, { action: "corrective", at: 3 }], 0)).toEqual({ open: false, disposition: "rejected", closedAt: 3 });
    expect(closureOf([{ action: "corrective", at: 1 }, { action: "release", at: 5 }], 0)).toEqual({ open: false, disposition: "released", closedAt: 5 });
  });

  it("ignores actions recorded before the excursion last changed", () => {
    expect(closureOf([{ action: "corrective", at: 1 }, { action: "release", at: 5 }], 3).open).toBe(true);
  });

  it("is closed exactly when both kinds of step are on record since the revision", () => {
    const actionArb = fc.record({ action: fc.constantFrom(...EXCURSION_ACTIONS), at: fc.integer({ min: 0, max: 100 }) });
    fc.assert(
      fc.property(fc.array(actionArb, { maxLength: 8 }), fc.integer({ min: 0, max: 100 }), (actions: RecordedAction[], revisedAt) => {
        const current = actions.filter((a) => a.at >= revisedAt);
        const expected = current.some((a) => a.action === "corrective") && current.some((a) => a.action !== "corrective");
        expect(closureOf(actions, revisedAt).open).toBe(!expected);
      }),
    );
  });
});

describe("handover check", () => {
  const frozen = rangeForProduct({ category: "其他", storageMinC: -30, storageMaxC: -18 })!;
  const fresh = rangeForProduct({ category: "蔬菜", storageMinC: null, storageMaxC: null })!;
  it("flags frozen goods above −12 °C, and other goods outside their range", () => {
    expect(checkHandover(frozen, -12).flagged).toBe(false);
    expect(checkHandover(frozen, -11.5)).toMatchObject({ flagged: true, limitC: -12 });
    expect(checkHandover(fresh, 6).flagged).toBe(false);
    expect(checkHandover(fresh, 8)).toMatchObject({ flagged: true, reason: "8 °C is outside the storage range 0–7 °C" });
  });
});

describe("reconciling recomputed excursions", () => {
  const ex = (start: number, end: number, kind: Excursion["kind"] = "out_of_range"): Excursion => ({
    kind, start, end, durationMs: end - start, peakC: 9, maxDeviationC: 5, readings: 3, includesGap: false,
  });
  const stored = (id: string, start: number, end: number) => ({ id, kind: "out_of_range" as const, start, end, readings: 3, peakC: 9 });

  it("keeps identities, updates what changed, inserts the new and voids the rest", () => {
    const plan = reconcileExcursions(
      [stored("a", 0, 10), stored("b", 20, 30), stored("c", 40, 50), stored("d", 100, 110)],
      [ex(0, 10), ex(20, 55), ex(70, 80)],
    );
    expect(plan).toEqual({ insert: [ex(70, 80)], update: [{ id: "b", excursion: ex(20, 55) }], void: ["c", "d"] });
  });
});
