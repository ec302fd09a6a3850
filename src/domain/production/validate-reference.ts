/**
 * Consistency checks for an edited reference set, run before a new version is accepted: a typo in a crop name or
 * an ingredient would otherwise make a ban or an interval silently never apply.
 */
import { isValidChinaDate } from "./china-date.js";
import { canonicalCrop, normaliseName } from "./reference-lookup.js";
import type { ReferenceSet } from "./reference.js";

export interface ReferenceProblem {
  path: string;
  message: string;
}

export function validateReference(reference: ReferenceSet): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  const report = (path: string, message: string) => problems.push({ path, message });
  const knownIngredients = new Set(reference.ingredients.map((ingredient) => normaliseName(ingredient.name)));
  const knownCrop = (name: string) => Object.hasOwn(reference.cropGroups, canonicalCrop(reference, name));

  if (reference.version.trim() === "") report("version", "version is empty");
  if (!isValidChinaDate(reference.effectiveFrom)) report("effectiveFrom", "not a YYYY-MM-DD date");

  const seenIngredients = new Set<string>();
  reference.ingredients.forEach((ingredient, index) => {
    const name = normaliseName(ingredient.name);
    if (seenIngredients.has(name)) report(`ingredients[${index}]`, `duplicate ingredient ${ingredient.name}`);
    seenIngredients.add(name);
  });

  const seenProducts = new Set<string>();
  reference.products.forEach((product, index) => {
    const path = `products[${index}]`;
    if (seenProducts.has(product.id)) report(path, `duplicate product id ${product.id}`);
    seenProducts.add(product.id);
    if (product.activeIngredients.length === 0) report(path, "product has no active ingredient");
    product.activeIngredients.forEach((ingredient, i) => {
      if (!knownIngredients.has(normaliseName(ingredient.name)))
        report(`${path}.activeIngredients[${i}]`, `unknown ingredient ${ingredient.name}`);
    });
    product.intervals.forEach((interval, i) => {
      const intervalPath = `${path}.intervals[${i}]`;
      if (!knownCrop(interval.target)) report(intervalPath, `unknown crop or group ${interval.target}`);
      if (!Number.isInteger(interval.days) || interval.days < 0)
        report(intervalPath, "days must be a whole number of at least 0");
      const cap = interval.maxApplicationsPerSeason;
      if (cap !== null && (!Number.isInteger(cap) || cap < 1))
        report(intervalPath, "maxApplicationsPerSeason must be a whole number of at least 1");
    });
  });

  reference.bans.forEach((ban, index) => {
    const path = `bans[${index}]`;
    if (!knownIngredients.has(normaliseName(ban.ingredient))) report(path, `unknown ingredient ${ban.ingredient}`);
    if (ban.scope.kind === "targets") {
      if (ban.scope.targets.length === 0) report(path, "a crop ban needs at least one crop or group");
      for (const target of ban.scope.targets)
        if (!knownCrop(target)) report(path, `unknown crop or group ${target}`);
    }
  });

  reference.mrls.forEach((row, index) => {
    const path = `mrls[${index}]`;
    if (!knownIngredients.has(normaliseName(row.ingredient))) report(path, `unknown ingredient ${row.ingredient}`);
    if (!knownCrop(row.target)) report(path, `unknown crop or group ${row.target}`);
    if (!Number.isFinite(row.mgPerKg) || row.mgPerKg < 0) report(path, "mgPerKg must be a number of at least 0");
  });

  for (const [crop, groups] of Object.entries(reference.cropGroups))
    for (const group of groups)
      if (!Object.hasOwn(reference.cropGroups, group)) report(`cropGroups.${crop}`, `unknown group ${group}`);
  for (const [alias, crop] of Object.entries(reference.cropAliases))
    if (!Object.hasOwn(reference.cropGroups, crop)) report(`cropAliases.${alias}`, `alias points to unknown crop ${crop}`);

  return problems;
}
