import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type LotBalance, planMerge, planRepack, planShipment, planSplit, planTransform, type Plan, type PlanResult, share } from "./operations";
import { convertMilli, massMilligrams, type Measure, toMilli } from "./quantity";

const kg = (id: string, quantity: number, consumed = 0): LotBalance => ({ id, quantity, consumed, unit: "kg", packageWeightKg: null });
const plan = (r: PlanResult): Plan => {
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.plan;
};

describe("quantities across units", () => {
  const m = (unit: string, packageWeightKg: number | null = null): Measure => ({ unit, packageWeightKg });
  it("convert masses exactly, rounding as asked", () => {
    expect(convertMilli(toMilli(3), m("斤"), m("kg"), "floor")).toBe(1500n);
    expect(convertMilli(toMilli(1.5), m("kg"), m("斤"), "floor")).toBe(3000n);
    expect(convertMilli(toMilli(0.001), m("t"), m("g"), "floor")).toBe(1_000_000n);
    expect(convertMilli(toMilli(1), m("g"), m("t"), "floor")).toBe(0n);
    expect(convertMilli(toMilli(1), m("g"), m("t"), "ceil")).toBe(1n);
  });

  it("convert packages only with a declared weight; without one a count matches only itself", () => {
    expect(convertMilli(toMilli(10), m("箱", 5), m("kg"), "ceil")).toBe(50_000n);
    expect(convertMilli(toMilli(4), m("kg"), m("箱", 2.5), "floor")).toBe(1600n);
    expect(convertMilli(toMilli(2), m("箱", 5), m("箱", 10), "floor")).toBe(1000n);
    expect(convertMilli(toMilli(3), m("箱"), m("kg"), "floor")).toBeNull();
    expect(convertMilli(toMilli(3), m("箱"), m("箱"), "floor")).toBe(3000n);
    expect(convertMilli(toMilli(3), m("箱"), m("袋"), "floor")).toBeNull();
    expect(convertMilli(toMilli(3), m("箱", 5), m("箱"), "floor")).toBe(3000n);
  });
});

describe("split", () => {
  it("takes each child's quantity from the parent, in the parent's unit", () => {
    const p = plan(planSplit(kg("a", 100), [{ quantity: 40, unit: "斤" }, { quantity: 30, unit: "kg" }]));
    expect(p.takes).toEqual([{ lotId: "a", quantity: 50_000n }]);
    expect(p.edges.map((e) => e.quantity)).toEqual([20_000n, 30_000n]);
    expect(p.children.map((c) => c.measure.unit)).toEqual(["斤", "kg"]);
  });

  it("refuses children that together take more than is left, naming what is left", () => {
    const r = planSplit(kg("a", 100, 60), [{ quantity: 30, unit: "kg" }, { quantity: 20, unit: "kg" }]);
    expect(r).toEqual({ ok: false, kind: "exceeds", shortfalls: [{ lotId: "a", path: "children", requested: 50, available: 40, unit: "kg" }] });
  });

  it("refuses a child in a unit the parent cannot be compared with", () => {
    const r = planSplit(kg("a", 100), [{ quantity: 3, unit: "箱" }]);
    expect(r).toEqual({ ok: false, kind: "invalid", errors: [{ path: "children.0.unit", message: "箱 cannot be converted to the lot's unit kg" }] });
  });

  it("keeps the package weight of a lot counted in packages", () => {
    const crates: LotBalance = { id: "c", quantity: 20, consumed: 0, unit: "箱", packageWeightKg: 5 };
    const p = plan(planSplit(crates, [{ quantity: 4, unit: "箱" }, { quantity: 10, unit: "kg" }]));
    expect(p.children[0]!.measure).toEqual({ unit: "箱", packageWeightKg: 5 });
    expect(p.edges.map((e) => e.quantity)).toEqual([4000n, 2000n]);
  });
});

describe("merge (混装)", () => {
  it("gives the child the sum of the contributions in its unit", () => {
    const p = plan(planMerge([{ lot: kg("a", 100), quantity: 50, unit: "kg" }, { lot: { ...kg("b", 200), unit: "斤" }, quantity: 100, unit: "斤" }], { unit: "kg" }));
    expect(p.children).toEqual([{ quantity: 100_000n, measure: { unit: "kg", packageWeightKg: null } }]);
    expect(p.takes).toEqual([{ lotId: "a", quantity: 50_000n }, { lotId: "b", quantity: 100_000n }]);
  });

  it("rounds the child down and the takes up, so the child never claims more than was given", () => {
    const jin: LotBalance = { id: "a", quantity: 10, consumed: 0, unit: "斤", packageWeightKg: null };
    const p = plan(planMerge([{ lot: jin, quantity: 3, unit: "斤" }, { lot: kg("b", 1), quantity: 1, unit: "kg" }], { unit: "t" }));
    // 3 斤 is 0.0015 t: the child counts 0.001 t of it, and 0.001 t from the kilogram.
    expect(p.children[0]!.quantity).toBe(2n);
    expect(p.takes.map((t) => t.quantity)).toEqual([3000n, 1000n]);
    const grams = plan(planMerge([{ lot: kg("a", 1), quantity: 1, unit: "g" }, { lot: kg("b", 1), quantity: 1, unit: "g" }], { unit: "kg" }));
    expect(grams.takes.map((t) => t.quantity)).toEqual([1n, 1n]);
    const tiny = planMerge([{ lot: kg("a", 1), quantity: 0.001, unit: "kg" }, { lot: kg("b", 1), quantity: 0.001, unit: "kg" }], { unit: "t" });
    expect(tiny).toEqual({ ok: false, kind: "invalid", errors: [{ path: "parents", message: "together give less than 0.001 t" }] });
  });

  it("refuses a unit that would count the new lot beyond the largest quantity", () => {
    const tonnes: LotBalance = { id: "a", quantity: 1e9, consumed: 0, unit: "t", packageWeightKg: null };
    const r = planMerge([{ lot: tonnes, quantity: 1e9, unit: "t" }, { lot: kg("b", 1), quantity: 1, unit: "kg" }], { unit: "g" });
    expect(r).toMatchObject({ ok: false, kind: "invalid", errors: [{ path: "unit" }] });
  });

  it("refuses mixing packages of unknown weight with masses, and a lot listed twice", () => {
    const crates: LotBalance = { id: "c", quantity: 20, consumed: 0, unit: "箱", packageWeightKg: null };
    const r = planMerge([{ lot: kg("a", 10), quantity: 5, unit: "kg" }, { lot: crates, quantity: 2, unit: "箱" }], { unit: "kg" });
    expect(r.ok ? [] : r.kind === "invalid" ? r.errors : []).toEqual([{ path: "parents.1.unit", message: "箱 cannot be converted to the new lot's unit kg" }]);
    const twice = planMerge([{ lot: kg("a", 10), quantity: 5, unit: "kg" }, { lot: kg("a", 10), quantity: 5, unit: "kg" }], { unit: "kg" });
    expect(twice.ok ? [] : twice.kind === "invalid" ? twice.errors.map((e) => e.path) : []).toEqual(["parents.1.lotId"]);
  });
});

describe("repack (分装)", () => {
  it("takes packages × weight from the parent", () => {
    const p = plan(planRepack(kg("a", 100), { packages: 12, packageWeightKg: 5, unit: "箱" }));
    expect(p.takes).toEqual([{ lotId: "a", quantity: 60_000n }]);
    expect(p.children).toEqual([{ quantity: 12_000n, measure: { unit: "箱", packageWeightKg: 5 } }]);
    expect(planRepack(kg("a", 100), { packages: 21, packageWeightKg: 5, unit: "箱" })).toMatchObject({ ok: false, kind: "exceeds" });
  });

  it("needs a package unit and a parent whose weight is known", () => {
    expect(planRepack(kg("a", 100), { packages: 2, packageWeightKg: 5, unit: "kg" })).toMatchObject({ ok: false, kind: "invalid" });
    const crates: LotBalance = { id: "c", quantity: 20, consumed: 0, unit: "箱", packageWeightKg: null };
    expect(planRepack(crates, { packages: 2, packageWeightKg: 5, unit: "袋" })).toMatchObject({ ok: false, kind: "invalid", errors: [{ path: "packageWeightKg" }] });
  });
});

describe("transform", () => {
  it("consumes the inputs and shares each among the outputs, whatever the outputs weigh", () => {
    const p = plan(
      planTransform([{ lot: kg("a", 100), quantity: 100, unit: "kg" }, { lot: kg("b", 10), quantity: 1, unit: "kg" }], [
        { quantity: 300, unit: "袋" },
        { quantity: 0.5, unit: "kg" },
      ]),
    );
    expect(p.takes).toEqual([{ lotId: "a", quantity: 100_000n }, { lotId: "b", quantity: 1000n }]);
    const sumFor = (id: string) => p.edges.filter((e) => e.parentId === id).reduce((s, e) => s + e.quantity, 0n);
    expect([sumFor("a"), sumFor("b")]).toEqual([100_000n, 1000n]);
    expect(p.children.map((c) => c.quantity)).toEqual([300_000n, 500n]);
  });

  it("shares exactly, largest remainders first", () => {
    expect(share(10n, [1n, 1n, 1n])).toEqual([4n, 3n, 3n]);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 1, maxLength: 8 }), (total, weights) => {
        const parts = share(total, weights);
        expect(parts.reduce((a, b) => a + b, 0n)).toBe(total);
        expect(parts.every((p) => p >= 0n)).toBe(true);
      }),
    );
  });
});

describe("shipment", () => {
  it("takes the shipped quantity from the lot", () => {
    expect(plan(planShipment(kg("a", 100), 30, "斤")).takes).toEqual([{ lotId: "a", quantity: 15_000n }]);
    expect(planShipment(kg("a", 100), 201, "斤")).toMatchObject({ ok: false, kind: "exceeds" });
  });
});

// ── Conservation under any sequence of operations ───────────────────────────────────────────────────────────────

interface LedgerLot extends Omit<LotBalance, "consumed"> {
  consumed: number;
  made: "origin" | "split" | "merge" | "repack" | "transform" | "ship";
}

const MEASURES: Measure[] = [
  { unit: "kg", packageWeightKg: null },
  { unit: "斤", packageWeightKg: null },
  { unit: "g", packageWeightKg: null },
  { unit: "t", packageWeightKg: null },
  { unit: "箱", packageWeightKg: 5 },
  { unit: "箱", packageWeightKg: 2.5 },
  { unit: "箱", packageWeightKg: null },
  { unit: "袋", packageWeightKg: null },
];

const amount = fc.integer({ min: 1, max: 100_000 }).map((n) => n / 1000);
const stock = fc.integer({ min: 1, max: 10_000_000 }).map((n) => n / 1000);
const measure = fc.constantFrom(...MEASURES);
const pick = fc.nat();
const op = fc.oneof(
  fc.record({ kind: fc.constant("split" as const), lot: pick, children: fc.array(fc.record({ quantity: amount, m: measure }), { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant("merge" as const), parents: fc.array(fc.record({ lot: pick, quantity: amount, m: measure }), { minLength: 2, maxLength: 4 }), m: measure }),
  fc.record({ kind: fc.constant("repack" as const), lot: pick, packages: fc.integer({ min: 1, max: 50 }), weight: fc.constantFrom(0.5, 5, 12.5), unit: fc.constantFrom("箱", "袋") }),
  fc.record({ kind: fc.constant("transform" as const), inputs: fc.array(fc.record({ lot: pick, quantity: amount, m: measure }), { minLength: 1, maxLength: 3 }), outputs: fc.array(fc.record({ quantity: amount, m: measure }), { minLength: 1, maxLength: 3 }) }),
  fc.record({ kind: fc.constant("ship" as const), lot: pick, quantity: amount, m: measure }),
);

describe("conservation (property)", () => {
  let applied = 0;
  it("no sequence of operations takes more from a lot than it holds, nor gives a child more than its parents gave", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ quantity: stock, m: measure }), { minLength: 1, maxLength: 4 }), fc.array(op, { maxLength: 40, size: "medium" }), (origins, ops) => {
        const ledger: LedgerLot[] = origins.map((o, i) => ({ id: `o${i}`, quantity: o.quantity, consumed: 0, ...o.m, made: "origin" }));
        const edges: { parentId: string; childId: string; quantity: bigint }[] = [];
        const at = (i: number) => ledger[i % ledger.length]!;
        let serial = 0;
        const apply = (result: PlanResult, made: LedgerLot["made"]) => {
          if (!result.ok) return;
          const p = result.plan;
          const ids = p.children.map(() => `l${serial++}`);
          applied++;
          for (const take of p.takes) {
            const lot = ledger.find((l) => l.id === take.lotId)!;
            lot.consumed = (Number(toMilli(lot.consumed) + take.quantity)) / 1000;
          }
          p.children.forEach((c, i) => ledger.push({ id: ids[i]!, quantity: Number(c.quantity) / 1000, consumed: 0, ...c.measure, made }));
          for (const e of p.edges) edges.push({ parentId: e.parentId, childId: ids[e.child]!, quantity: e.quantity });
        };
        for (const o of ops) {
          switch (o.kind) {
            case "split":
              apply(planSplit(at(o.lot), o.children.map((c) => ({ quantity: c.quantity, unit: c.m.unit, packageWeightKg: c.m.packageWeightKg ?? undefined }))), "split");
              break;
            case "merge":
              apply(planMerge(o.parents.map((d) => ({ lot: at(d.lot), quantity: d.quantity, unit: d.m.unit })), { unit: o.m.unit, packageWeightKg: o.m.packageWeightKg ?? undefined }), "merge");
              break;
            case "repack":
              apply(planRepack(at(o.lot), { packages: o.packages, packageWeightKg: o.weight, unit: o.unit }), "repack");
              break;
            case "transform":
              apply(planTransform(o.inputs.map((d) => ({ lot: at(d.lot), quantity: d.quantity, unit: d.m.unit })), o.outputs.map((c) => ({ quantity: c.quantity, unit: c.m.unit }))), "transform");
              break;
            case "ship":
              apply(planShipment(at(o.lot), o.quantity, o.m.unit), "ship");
              break;
          }
        }
        const byId = new Map(ledger.map((l) => [l.id, l]));
        for (const lot of ledger) {
          // Never over-consumed, and what left a lot is exactly the sum of its outgoing edges.
          expect(toMilli(lot.consumed)).toBeLessThanOrEqual(toMilli(lot.quantity));
          const out = edges.filter((e) => e.parentId === lot.id).reduce((s, e) => s + e.quantity, 0n);
          expect(out).toBe(toMilli(lot.consumed));
          if (lot.made === "origin" || lot.made === "transform") continue;
          // A child claims no more than its parents gave: compared by mass when both sides have one, else by count.
          const incoming = edges.filter((e) => e.childId === lot.id);
          const masses = incoming.map((e) => massMilligrams(e.quantity, byId.get(e.parentId)!));
          const childMass = massMilligrams(toMilli(lot.quantity), lot);
          if (childMass !== null && masses.every((x) => x !== null)) {
            expect(childMass).toBeLessThanOrEqual(masses.reduce((s: bigint, x) => s + x!, 0n));
          } else {
            expect(toMilli(lot.quantity)).toBeLessThanOrEqual(incoming.reduce((s, e) => s + e.quantity, 0n));
          }
        }
      }),
      { numRuns: 300, seed: 20261120 },
    );
    // The sequences must exercise the rules, not only be refused.
    expect(applied).toBeGreaterThan(1000);
  });
});
