/**
 * Questions the rules ask of a reference set: which names a crop falls under, which product a record names,
 * an ingredient's class, the residue limit for a crop.
 */
import type { ChemicalClass, InputProduct, ReferenceSet } from "./reference.js";
import type { RecordedInput } from "./production-record.js";

/** Full-width characters, stray spaces: records typed on phones vary in ways that do not change the name. */
export function normaliseName(value: string): string {
  return value.normalize("NFKC").trim().replace(/\s+/g, " ");
}

function normaliseFormulation(value: string): string {
  return value.normalize("NFKC").replace(/\s+/g, "").toUpperCase();
}

export function canonicalCrop(reference: ReferenceSet, crop: string): string {
  const name = normaliseName(crop);
  return reference.cropAliases[name] ?? name;
}

export interface CropTargets {
  crop: string;
  /** The crop itself and every group above it. */
  targets: ReadonlySet<string>;
  /** False when the crop is missing from the map, so group rules could not be resolved for it. */
  mapped: boolean;
}

export function cropTargets(reference: ReferenceSet, crop: string): CropTargets {
  const start = canonicalCrop(reference, crop);
  const targets = new Set<string>();
  const pending = [start];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (targets.has(name)) continue;
    targets.add(name);
    pending.push(...(reference.cropGroups[name] ?? []));
  }
  return { crop: start, targets, mapped: Object.hasOwn(reference.cropGroups, start) };
}

export function appliesTo(target: string, crop: CropTargets, reference: ReferenceSet): boolean {
  return crop.targets.has(canonicalCrop(reference, target));
}

/**
 * Reference products a record names: by registration number when the set knows it, otherwise by name and, when
 * recorded, formulation. Several matches mean the formulation was left out and every candidate must be honoured.
 */
export function matchProducts(reference: ReferenceSet, input: RecordedInput): InputProduct[] {
  const registrationNo = input.registrationNo === null ? "" : normaliseFormulation(input.registrationNo);
  if (registrationNo !== "") {
    const byNumber = reference.products.filter(
      (product) => product.registrationNo !== null && normaliseFormulation(product.registrationNo) === registrationNo,
    );
    if (byNumber.length > 0) return byNumber;
  }
  const name = normaliseName(input.name);
  const formulation = input.formulation === null ? "" : normaliseFormulation(input.formulation);
  return reference.products.filter(
    (product) =>
      normaliseName(product.name) === name &&
      (formulation === "" || (product.formulation !== null && normaliseFormulation(product.formulation) === formulation)),
  );
}

export function ingredientClass(reference: ReferenceSet, name: string): ChemicalClass | null {
  const wanted = normaliseName(name);
  return reference.ingredients.find((ingredient) => normaliseName(ingredient.name) === wanted)?.chemicalClass ?? null;
}

/** Residue limit in mg/kg for an analyte on a crop: the strictest row for the crop or any group above it. */
export function residueLimitFor(reference: ReferenceSet, crop: string): (analyte: string) => number | null {
  const targets = cropTargets(reference, crop);
  return (analyte) => {
    const wanted = normaliseName(analyte);
    const limits = reference.mrls
      .filter((row) => normaliseName(row.ingredient) === wanted && appliesTo(row.target, targets, reference))
      .map((row) => row.mgPerKg);
    return limits.length === 0 ? null : Math.min(...limits);
  };
}
