/**
 * Shape of the reference data behind the issuing rules: input products (pesticides, veterinary drugs) with their
 * pre-harvest intervals or withdrawal periods per crop or species, banned ingredients, residue limits and the
 * crop → crop-group map. All of it is data the district edits and versions; nothing here is a legal constant.
 */
import type { ChinaDate } from "./china-date.js";

/** Chemical classes that decide which rapid-test methods can see an ingredient. */
export const CHEMICAL_CLASSES = [
  "organophosphate",
  "carbamate",
  "pyrethroid",
  "neonicotinoid",
  "avermectin",
  "thiadiazine",
  "organotin",
  "benzimidazole",
  "beta_agonist",
  "triphenylmethane",
  "nitrofuran",
  "amphenicol",
  "fluoroquinolone",
  "other",
] as const;
export type ChemicalClass = (typeof CHEMICAL_CLASSES)[number];

export const INPUT_KINDS = ["pesticide", "veterinary_drug"] as const;
/** Pesticides carry a pre-harvest interval (安全间隔期); veterinary drugs a withdrawal period (休药期). */
export type InputKind = (typeof INPUT_KINDS)[number];

export interface ActiveIngredient {
  /** Chinese common name as printed on labels (阿维菌素); the key other records use. */
  name: string;
  nameEn: string | null;
  chemicalClass: ChemicalClass;
}

export interface ProductIngredient {
  name: string;
  /** Content as on the label, e.g. "1.8%". */
  content: string | null;
}

/**
 * One label line: on this crop (or crop group, or animal species) wait `days` after the last use, and use the
 * product at most `maxApplicationsPerSeason` times in one growing season (null when the label sets no cap).
 */
export interface ProductInterval {
  target: string;
  days: number;
  maxApplicationsPerSeason: number | null;
  /** False for figures not checked against an official text; the gate warns when it relies on one. */
  confirmed: boolean;
  source: string;
  note: string | null;
}

export interface InputProduct {
  id: string;
  kind: InputKind;
  /** 登记证号 (pesticides) or 批准文号 (veterinary drugs); null for generic rows keyed by name and formulation. */
  registrationNo: string | null;
  name: string;
  nameEn: string | null;
  /** Content and formulation code as on the label, e.g. "1.8% EC". */
  formulation: string | null;
  activeIngredients: readonly ProductIngredient[];
  intervals: readonly ProductInterval[];
}

export type BanScope = { kind: "all" } | { kind: "targets"; targets: readonly string[] };

export interface IngredientBan {
  ingredient: string;
  scope: BanScope;
  source: string;
  note: string | null;
}

export interface MaximumResidueLimit {
  ingredient: string;
  target: string;
  mgPerKg: number;
  source: string;
}

export interface ReferenceSet {
  version: string;
  /** China date from which this set governs new certificates. */
  effectiveFrom: ChinaDate;
  ingredients: readonly ActiveIngredient[];
  products: readonly InputProduct[];
  bans: readonly IngredientBan[];
  mrls: readonly MaximumResidueLimit[];
  /**
   * Each crop, crop group or species → the groups it belongs to directly (上海青 → 叶菜, 十字花科蔬菜; 叶菜 → 蔬菜).
   * Rules written for a group apply to everything beneath it.
   */
  cropGroups: Readonly<Record<string, readonly string[]>>;
  /** Other spellings → the name used in `cropGroups` (柑橘 → 柑桔). */
  cropAliases: Readonly<Record<string, string>>;
}
