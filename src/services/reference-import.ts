import { type Principal, requireRole } from "../auth/principal";
import type { AppDeps } from "../deps";
import { chinaDate } from "../domain/ids";
import { parsePhiCsv, type PhiCsvRow } from "../domain/production/phi-csv";
import type { InputProduct, ProductInterval, ReferenceSet } from "../domain/production/reference";
import { cropTargets, matchProducts, normaliseName } from "../domain/production/reference-lookup";
import { ApiError, problems } from "../http/problem";
import { currentReference, EDITORS, publishReference, type ReferenceVersionRow } from "./reference-data";

/**
 * Imports PHI rows from a district's spreadsheet into a new version built on the current one: a row for a product
 * and crop already present replaces that interval, any other row is added. Products are found by registration
 * number, else by name and formulation; a product the set does not know is added only when its name is a known
 * active ingredient (the CSV carries no ingredient column).
 */
export async function importPhiCsv(
  deps: AppDeps,
  principal: Principal | null,
  csv: string,
  options: { version?: string | undefined; effectiveFrom?: string | undefined; note?: string | undefined },
): Promise<ReferenceVersionRow> {
  requireRole(principal, EDITORS);
  const parsed = parsePhiCsv(csv);
  if (!parsed.ok) {
    throw new ApiError(422, "csv-invalid", "The CSV has problems; nothing was imported", parsed.errors.map((e) => `第 ${e.line} 行 ${e.column ?? ""}：${e.messageZh}`).join("；"), {
      errors: parsed.errors.map((e) => ({ path: `line ${e.line}${e.column === null ? "" : `, ${e.column}`}`, message: e.messageEn })),
      lines: parsed.errors,
    });
  }
  const base = await currentReference(deps);
  const now = deps.clock();
  const merged = mergePhiRows(base, parsed.rows);
  if (merged.errors.length > 0) throw problems.validation(merged.errors);
  const document: ReferenceSet = {
    ...merged.reference,
    version: options.version ?? `${base.version}+csv.${now.toISOString().replace(/\D/g, "").slice(0, 14)}`,
    effectiveFrom: options.effectiveFrom ?? chinaDate(now),
  };
  return publishReference(deps, principal, document, "csv", options.note ?? `${parsed.rows.length} PHI rows from CSV`);
}

function mergePhiRows(base: ReferenceSet, rows: readonly PhiCsvRow[]): { reference: ReferenceSet; errors: { path: string; message: string }[] } {
  const products = base.products.map((product) => ({ ...product, intervals: [...product.intervals] }));
  const knownIngredients = new Set(base.ingredients.map((i) => normaliseName(i.name)));
  const errors: { path: string; message: string }[] = [];
  for (const row of rows) {
    const path = `line ${row.line}`;
    if (!cropTargets(base, row.crop).mapped) {
      errors.push({ path, message: `crop ${row.crop} is not in the crop map (作物分类表); add it to the reference set first` });
      continue;
    }
    const interval: ProductInterval = {
      target: row.crop,
      days: row.phiDays,
      maxApplicationsPerSeason: row.maxApplicationsPerSeason,
      confirmed: true,
      source: row.source ?? "CSV import",
      note: null,
    };
    const reference = { ...base, products };
    let matches = matchProducts(reference, { registrationNo: row.registrationNo, name: row.product, formulation: row.formulation, activeIngredients: [] });
    if (matches.length === 0) {
      if (!knownIngredients.has(normaliseName(row.product))) {
        errors.push({ path, message: `product ${row.product} is unknown and its name is not a known active ingredient; add the product with its ingredients first` });
        continue;
      }
      const added: InputProduct & { intervals: ProductInterval[] } = {
        id: `csv-${row.registrationNo ?? `${row.product}-${row.formulation ?? ""}`}`.replace(/\s+/g, "-"),
        kind: "pesticide",
        registrationNo: row.registrationNo,
        name: row.product,
        nameEn: null,
        formulation: row.formulation,
        activeIngredients: [{ name: row.product, content: null }],
        intervals: [],
      };
      products.push(added);
      matches = [added];
    }
    for (const product of matches) {
      const target = products.find((p) => p.id === product.id)!;
      const same = (t: string) => cropTargets(base, t).crop === cropTargets(base, row.crop).crop;
      target.intervals = [...target.intervals.filter((existing) => !same(existing.target)), interval];
    }
  }
  return { reference: { ...base, products }, errors };
}
