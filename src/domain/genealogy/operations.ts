import { convertMilli, describeMeasure, fromMilli, isMassUnit, type Measure, type Milli, toMilli } from "./quantity";

/**
 * The four ways a holder turns lots into new lots, as pure plans: what each parent gives (in its own unit), what each
 * new lot holds, and the edges between them. The database enforces the same bound again when the plan is stored
 * (lot_balances' check), so these checks give good messages and the database gives the guarantee under concurrency.
 */

export interface RuleViolation {
  readonly path: string;
  readonly message: string;
}

/** A lot as the planner sees it: how it is counted, how much it holds, and how much has already left it. */
export interface LotBalance extends Measure {
  readonly id: string;
  readonly quantity: number;
  readonly consumed: number;
}

export interface Take {
  readonly lotId: string;
  /** Thousandths of the parent's unit. */
  readonly quantity: Milli;
}

export interface PlannedLot {
  readonly quantity: Milli;
  readonly measure: Measure;
}

export interface PlannedEdge {
  readonly parentId: string;
  /** Index into `children`. */
  readonly child: number;
  /** Thousandths of the parent's unit. */
  readonly quantity: Milli;
}

export interface Plan {
  readonly takes: readonly Take[];
  readonly children: readonly PlannedLot[];
  readonly edges: readonly PlannedEdge[];
}

export interface Shortfall {
  readonly lotId: string;
  readonly path: string;
  readonly requested: number;
  readonly available: number;
  readonly unit: string;
}

export type PlanResult =
  | { readonly ok: true; readonly plan: Plan }
  | { readonly ok: false; readonly kind: "invalid"; readonly errors: readonly RuleViolation[] }
  | { readonly ok: false; readonly kind: "exceeds"; readonly shortfalls: readonly Shortfall[] };

export interface Draw {
  readonly lot: LotBalance;
  readonly quantity: number;
  readonly unit: string;
}

export interface NewLotSpec {
  readonly quantity: number;
  readonly unit: string;
  readonly packageWeightKg?: number | undefined;
}

/** The largest quantity a lot may hold (the API's bound, well inside the database column). */
export const MAX_LOT_QUANTITY: Milli = 10n ** 15n;

export function available(lot: LotBalance): Milli {
  return toMilli(lot.quantity) - toMilli(lot.consumed);
}

/**
 * The measure of a new lot: a declared package weight wins; otherwise a count unit inherits the weight of sources
 * counted in the same unit with the same weight, so 箱 split from 箱 of 5 kg stay 箱 of 5 kg.
 */
export function measureOf(unit: string, packageWeightKg: number | undefined, sources: readonly Measure[]): Measure {
  if (isMassUnit(unit)) return { unit, packageWeightKg: null };
  if (packageWeightKg !== undefined) return { unit, packageWeightKg };
  const weights = new Set(sources.filter((s) => s.unit === unit).map((s) => s.packageWeightKg));
  const [only] = weights;
  return { unit, packageWeightKg: weights.size === 1 && only !== undefined && sources.every((s) => s.unit === unit) ? only : null };
}

/** What each draw takes from its lot, rounded up so a parent always gives at least what is claimed from it. */
function takesOf(draws: readonly Draw[], field: string): { takes: Take[]; errors: RuleViolation[] } {
  const takes: Take[] = [];
  const errors: RuleViolation[] = [];
  const seen = new Set<string>();
  draws.forEach((draw, i) => {
    if (seen.has(draw.lot.id)) errors.push({ path: `${field}.${i}.lotId`, message: "names a lot already listed; give each lot once" });
    seen.add(draw.lot.id);
    const from = measureOf(draw.unit, undefined, [draw.lot]);
    const take = convertMilli(toMilli(draw.quantity), from, draw.lot, "ceil");
    if (take === null) {
      errors.push({ path: `${field}.${i}.unit`, message: `${draw.unit} cannot be converted to the lot's unit ${describeMeasure(draw.lot)}` });
    } else {
      takes.push({ lotId: draw.lot.id, quantity: take });
    }
  });
  return { takes, errors };
}

/** Takes beyond what a lot has left, summed per lot. */
function shortfalls(lots: readonly LotBalance[], takes: readonly Take[], pathOf: (lotId: string) => string): Shortfall[] {
  const out: Shortfall[] = [];
  for (const lot of lots) {
    const requested = takes.filter((t) => t.lotId === lot.id).reduce((sum, t) => sum + t.quantity, 0n);
    const left = available(lot);
    if (requested > left && !out.some((s) => s.lotId === lot.id)) {
      out.push({ lotId: lot.id, path: pathOf(lot.id), requested: fromMilli(requested), available: fromMilli(left), unit: lot.unit });
    }
  }
  return out;
}

function finish(lots: readonly LotBalance[], plan: Plan, pathOf: (lotId: string) => string): PlanResult {
  const short = shortfalls(lots, plan.takes, pathOf);
  return short.length > 0 ? { ok: false, kind: "exceeds", shortfalls: short } : { ok: true, plan };
}

/** 分批: one parent into several children, each taking its own quantity; together at most what the parent has left. */
export function planSplit(parent: LotBalance, children: readonly NewLotSpec[]): PlanResult {
  const errors: RuleViolation[] = [];
  const planned: PlannedLot[] = [];
  const edges: PlannedEdge[] = [];
  children.forEach((spec, i) => {
    const measure = measureOf(spec.unit, spec.packageWeightKg, [parent]);
    const quantity = toMilli(spec.quantity);
    const take = convertMilli(quantity, measure, parent, "ceil");
    if (take === null) {
      errors.push({ path: `children.${i}.unit`, message: `${describeMeasure(measure)} cannot be converted to the lot's unit ${describeMeasure(parent)}` });
      return;
    }
    edges.push({ parentId: parent.id, child: planned.length, quantity: take });
    planned.push({ quantity, measure });
  });
  if (errors.length > 0) return { ok: false, kind: "invalid", errors };
  const total = edges.reduce((sum, e) => sum + e.quantity, 0n);
  return finish([parent], { takes: [{ lotId: parent.id, quantity: total }], children: planned, edges }, () => "children");
}

/**
 * 混装: several parents into one child. The child holds the sum of the contributions, each converted into the child's
 * unit and rounded down, so it never claims more than its parents gave.
 */
export function planMerge(parents: readonly Draw[], child: { unit: string; packageWeightKg?: number | undefined }): PlanResult {
  const { takes, errors } = takesOf(parents, "parents");
  const measure = measureOf(child.unit, child.packageWeightKg, parents.map((p) => p.lot));
  let total = 0n;
  parents.forEach((draw, i) => {
    const contribution = convertMilli(toMilli(draw.quantity), measureOf(draw.unit, undefined, [draw.lot]), measure, "floor");
    if (contribution === null) {
      errors.push({ path: `parents.${i}.unit`, message: `${draw.unit} cannot be converted to the new lot's unit ${describeMeasure(measure)}` });
    } else {
      total += contribution;
    }
  });
  if (errors.length === 0 && total <= 0n) errors.push({ path: "parents", message: `together give less than 0.001 ${measure.unit}` });
  if (total > MAX_LOT_QUANTITY) errors.push({ path: "unit", message: `would count the new lot beyond 1,000,000,000,000 ${measure.unit}; choose a larger unit` });
  if (errors.length > 0) return { ok: false, kind: "invalid", errors };
  const edges = takes.map((t) => ({ parentId: t.lotId, child: 0, quantity: t.quantity }));
  const pathOf = (lotId: string) => `parents.${parents.findIndex((p) => p.lot.id === lotId)}.quantity`;
  return finish(parents.map((p) => p.lot), { takes, children: [{ quantity: total, measure }], edges }, pathOf);
}

/** 分装: part of a lot into `packages` packages of a declared weight, counted in a package unit such as 箱. */
export function planRepack(parent: LotBalance, spec: { packages: number; packageWeightKg: number; unit: string }): PlanResult {
  if (isMassUnit(spec.unit)) return { ok: false, kind: "invalid", errors: [{ path: "unit", message: "must be a package unit such as 箱; repacking counts packages" }] };
  const measure: Measure = { unit: spec.unit, packageWeightKg: spec.packageWeightKg };
  const quantity = toMilli(spec.packages);
  const take = convertMilli(quantity, measure, parent, "ceil");
  if (take === null) {
    return {
      ok: false,
      kind: "invalid",
      errors: [{ path: "packageWeightKg", message: `cannot be taken from a lot counted in ${describeMeasure(parent)}, which has no declared weight` }],
    };
  }
  const plan: Plan = { takes: [{ lotId: parent.id, quantity: take }], children: [{ quantity, measure }], edges: [{ parentId: parent.id, child: 0, quantity: take }] };
  return finish([parent], plan, () => "packages");
}

/**
 * Inputs consumed into outputs of other products (清洗切配, 加工): the outputs' quantities are not bound by the inputs'
 * mass, but every input is consumed. Each input's take is shared among the outputs in proportion to their quantities
 * (largest remainder, so the edges of one input add up exactly to what it gave).
 */
export function planTransform(inputs: readonly Draw[], outputs: readonly NewLotSpec[]): PlanResult {
  const { takes, errors } = takesOf(inputs, "inputs");
  if (errors.length > 0) return { ok: false, kind: "invalid", errors };
  const children = outputs.map((o) => ({ quantity: toMilli(o.quantity), measure: measureOf(o.unit, o.packageWeightKg, []) }));
  const edges = takes.flatMap((take) => share(take.quantity, children.map((c) => c.quantity)).map((quantity, child) => ({ parentId: take.lotId, child, quantity })));
  const pathOf = (lotId: string) => `inputs.${inputs.findIndex((p) => p.lot.id === lotId)}.quantity`;
  return finish(inputs.map((p) => p.lot), { takes, children, edges }, pathOf);
}

/** `total` shared in proportion to `weights`, summing exactly to `total`. */
export function share(total: Milli, weights: readonly Milli[]): Milli[] {
  const sum = weights.reduce((a, b) => a + b, 0n);
  if (sum === 0n) return weights.map((_, i) => (i === 0 ? total : 0n));
  const parts = weights.map((w) => (total * w) / sum);
  let left = total - parts.reduce((a, b) => a + b, 0n);
  const order = weights
    .map((w, i) => ({ i, remainder: (total * w) % sum }))
    .sort((a, b) => (a.remainder === b.remainder ? a.i - b.i : a.remainder > b.remainder ? -1 : 1));
  for (const { i } of order) {
    if (left === 0n) break;
    parts[i] = parts[i]! + 1n;
    left--;
  }
  return parts;
}

/** What a shipment of `quantity` `unit` takes from the lot shipped, rounded up like every take. */
export function planShipment(lot: LotBalance, quantity: number, unit: string): PlanResult {
  const take = convertMilli(toMilli(quantity), measureOf(unit, undefined, [lot]), lot, "ceil");
  if (take === null) return { ok: false, kind: "invalid", errors: [{ path: "unit", message: `${unit} cannot be converted to the lot's unit ${describeMeasure(lot)}` }] };
  const plan: Plan = { takes: [{ lotId: lot.id, quantity: take }], children: [{ quantity: toMilli(quantity), measure: measureOf(unit, undefined, [lot]) }], edges: [{ parentId: lot.id, child: 0, quantity: take }] };
  return finish([lot], plan, () => "quantity");
}

/** How a child lot came from its parent: the four operations above, or a handover to another party (transfer). */
export const LINK_KINDS = ["split", "merge", "repack", "transform", "transfer"] as const;
export type LinkKind = (typeof LINK_KINDS)[number];
