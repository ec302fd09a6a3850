/**
 * Target temperature ranges. A product's own storage range (from its label or standard) wins; otherwise the
 * regional practice for its category applies. Kept as data so a region with other rules edits a table, not code.
 */

export interface TargetRange {
  /** Null: no lower limit (frozen goods may be as cold as the store gets). */
  readonly minC: number | null;
  readonly maxC: number | null;
  /** Frozen goods may warm to this in transit without an excursion, but must come back within the recovery time. */
  readonly transitMaxC: number | null;
  /** Above this at a handover the lot is flagged at the gate (frozen: reject above −12 °C). */
  readonly handoverMaxC: number | null;
  readonly source: "product" | "category";
  readonly profile: ProfileName | null;
}

export type ProfileName = "frozen" | "chilled" | "fresh";

export interface Profile {
  readonly label: string;
  readonly minC: number | null;
  readonly maxC: number;
}

/** Regional practice (see DOMAIN.md, Cold chain). */
export const PROFILES: Readonly<Record<ProfileName, Profile>> = {
  frozen: { label: "冷冻 frozen", minC: null, maxC: -18 },
  chilled: { label: "冷藏肉、冰鲜水产 chilled meat, iced fish", minC: 0, maxC: 4 },
  fresh: { label: "果蔬、鲜奶、豆腐 fruit, vegetables, fresh milk, tofu", minC: 0, maxC: 7 },
};

/**
 * How far frozen goods may rise above their storage maximum: −18 °C stored may reach −15 °C in transit and is
 * rejected above −12 °C at a handover. Offsets rather than absolute values, so −25 °C goods get −22 / −19.
 */
export const FROZEN_ALLOWANCE = { transitRiseC: 3, handoverRiseC: 6 } as const;

/** Product categories (see routes/products) mapped to the practice that applies when the product names no range. */
export const CATEGORY_PROFILES: Readonly<Record<string, ProfileName>> = {
  畜禽: "chilled",
  养殖水产品: "chilled",
  蔬菜: "fresh",
  水果: "fresh",
};

export interface ProductStorage {
  readonly category: string;
  readonly storageMinC: number | null;
  readonly storageMaxC: number | null;
}

/** The range readings of a product's lot are judged against, or null when neither the product nor its category gives one. */
export function rangeForProduct(product: ProductStorage): TargetRange | null {
  if (product.storageMaxC !== null) {
    return withFrozenAllowance(product.storageMinC, product.storageMaxC, "product");
  }
  const profileName = CATEGORY_PROFILES[product.category];
  if (profileName === undefined) return null;
  const profile = PROFILES[profileName];
  return withFrozenAllowance(profile.minC, profile.maxC, "category");
}

function withFrozenAllowance(minC: number | null, maxC: number, source: TargetRange["source"]): TargetRange {
  // Anything kept at or below the frozen maximum is frozen goods, whatever its category says.
  const frozen = maxC <= PROFILES.frozen.maxC;
  const profile = frozen ? "frozen" : profileOf(minC, maxC);
  return {
    minC,
    maxC,
    transitMaxC: frozen ? maxC + FROZEN_ALLOWANCE.transitRiseC : null,
    handoverMaxC: frozen ? maxC + FROZEN_ALLOWANCE.handoverRiseC : null,
    source,
    profile,
  };
}

function profileOf(minC: number | null, maxC: number): ProfileName | null {
  for (const [name, p] of Object.entries(PROFILES) as [ProfileName, Profile][]) {
    if (p.minC === minC && p.maxC === maxC) return name;
  }
  return null;
}

/** Whether a reading lies inside [minC, maxC]; the transit allowance does not count as inside. */
export function withinRange(range: Pick<TargetRange, "minC" | "maxC">, celsius: number): boolean {
  return (range.minC === null || celsius >= range.minC) && (range.maxC === null || celsius <= range.maxC);
}

/** Degrees outside [minC, maxC]; 0 inside. */
export function deviation(range: Pick<TargetRange, "minC" | "maxC">, celsius: number): number {
  if (range.maxC !== null && celsius > range.maxC) return celsius - range.maxC;
  if (range.minC !== null && celsius < range.minC) return range.minC - celsius;
  return 0;
}
