/**
 * The active ingredients that went onto a lot: those written on the production record plus those the reference set
 * knows the named product contains, so neither a sparse record nor a sparse reference hides one.
 */
import { compareDates, toChinaDate } from "./china-date.js";
import type { Application, RecordedInput } from "./production-record.js";
import { ingredientClass, matchProducts, normaliseName } from "./reference-lookup.js";
import type { InputProduct, ReferenceSet } from "./reference.js";
import type { UsedIngredient } from "./basis-rules.js";

/** Distinct normalised ingredient names from the record and the matched reference products. */
export function ingredientNamesOf(input: RecordedInput, products: readonly InputProduct[]): string[] {
  const names = [
    ...input.activeIngredients,
    ...products.flatMap((product) => product.activeIngredients.map((ingredient) => ingredient.name)),
  ].map(normaliseName);
  return [...new Set(names)].filter((name) => name !== "");
}

/** Ingredients applied on or before the harvest date, each with its class when the reference set knows it. */
export function usedIngredients(
  applications: readonly Application[],
  harvestDate: string,
  reference: ReferenceSet,
): UsedIngredient[] {
  const harvestedOn = toChinaDate(harvestDate);
  const names = new Set(
    applications
      .filter((application) => compareDates(toChinaDate(application.appliedAt), harvestedOn) <= 0)
      .flatMap((application) => ingredientNamesOf(application.input, matchProducts(reference, application.input))),
  );
  return [...names].map((name) => ({ name, chemicalClass: ingredientClass(reference, name) }));
}
