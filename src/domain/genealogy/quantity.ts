import { MASS_UNITS } from "../units";

/**
 * How a lot is counted: a unit, and for count units (箱, 袋 …) the declared net weight of one package, which is what
 * lets a count be compared with a mass. Without it a count unit only matches itself.
 */
export interface Measure {
  readonly unit: string;
  readonly packageWeightKg: number | null;
}

/**
 * Quantities are handled as bigint thousandths of their unit (the database column keeps 3 decimals). Every mass unit
 * and every declared package weight (3 decimals of a kilogram) is a whole number of grams, so conversions through
 * grams are exact rationals and rounding happens once, in the direction the caller names.
 */
export type Milli = bigint;

export function toMilli(amount: number): Milli {
  return BigInt(Math.round(amount * 1000));
}

export function fromMilli(milli: Milli): number {
  return Number(milli) / 1000;
}

const GRAMS_PER_MASS_UNIT: Readonly<Record<string, bigint>> = Object.fromEntries(
  Object.entries(MASS_UNITS).map(([unit, kg]) => [unit, BigInt(Math.round(kg * 1000))]),
);

export function isMassUnit(unit: string): boolean {
  return Object.hasOwn(GRAMS_PER_MASS_UNIT, unit);
}

/** Grams in one unit of this measure, or null for a count unit whose package weight is unknown. */
export function gramsPerUnit(measure: Measure): bigint | null {
  const mass = GRAMS_PER_MASS_UNIT[measure.unit];
  if (mass !== undefined) return mass;
  return measure.packageWeightKg === null ? null : toMilli(measure.packageWeightKg);
}

export type Rounding = "floor" | "ceil";

function divide(numerator: bigint, denominator: bigint, rounding: Rounding): bigint {
  const q = numerator / denominator;
  return rounding === "ceil" && q * denominator < numerator ? q + 1n : q;
}

/**
 * `amount` thousandths of `from` in thousandths of `to`, or null when the two cannot be compared. Callers round a
 * take from a parent up and a claim by a child down, so rounding can only ever leave goods unclaimed, never create them.
 */
export function convertMilli(amount: Milli, from: Measure, to: Measure, rounding: Rounding): Milli | null {
  const gFrom = gramsPerUnit(from);
  const gTo = gramsPerUnit(to);
  if (gFrom !== null && gTo !== null) return gFrom === gTo ? amount : divide(amount * gFrom, gTo, rounding);
  // The same count unit with at most one declared weight: a crate is a crate.
  if (from.unit === to.unit && !isMassUnit(from.unit)) return amount;
  return null;
}

/** Mass in milligrams (thousandths of a gram) when the measure has one: what conservation is checked in. */
export function massMilligrams(amount: Milli, measure: Measure): bigint | null {
  const g = gramsPerUnit(measure);
  return g === null ? null : amount * g;
}

export function describeMeasure(measure: Measure): string {
  return measure.packageWeightKg !== null && !isMassUnit(measure.unit) ? `${measure.unit} (${measure.packageWeightKg} kg each)` : measure.unit;
}
