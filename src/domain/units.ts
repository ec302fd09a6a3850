/**
 * Units a lot or certificate may be counted in. Mass units convert to each other; count units (箱, 头 …) only match
 * themselves until a declared weight per package is known.
 */
export const MASS_UNITS = { kg: 1, 公斤: 1, g: 0.001, t: 1000, 斤: 0.5 } as const;
export const COUNT_UNITS = ["箱", "袋", "件", "筐", "盒", "头", "只", "羽", "枚", "个", "条", "尾"] as const;
export const UNITS: [string, ...string[]] = ["kg", "公斤", "g", "t", "斤", ...COUNT_UNITS];
export type Unit = string;

type MassUnit = keyof typeof MASS_UNITS;

function isMass(unit: string): unit is MassUnit {
  return Object.hasOwn(MASS_UNITS, unit);
}

/** Converts `amount` of `from` into `to`, or null when the two cannot be compared. Rounded to 3 decimals. */
export function convertQuantity(amount: number, from: Unit, to: Unit): number | null {
  if (from === to) return amount;
  if (isMass(from) && isMass(to)) return roundQuantity((amount * MASS_UNITS[from]) / MASS_UNITS[to]);
  return null;
}

/** Quantities are kept to 3 decimals (grams of a kilogram), the precision of the database column. */
export function roundQuantity(amount: number): number {
  return Math.round(amount * 1000) / 1000;
}
