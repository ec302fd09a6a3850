/**
 * The issuing gate: may a certificate be issued for a lot of `crop` harvested on `harvestDate`, given the inputs
 * applied to it? Blocking violations refuse issue; warnings are shown but do not block.
 *
 * Conventions, chosen to be strict and predictable for farmers:
 * - Days are China calendar dates (UTC+8). An input applied on day D with an interval of N days allows harvest on
 *   D + N and not on D + N − 1, whatever the hour of application or harvest.
 * - `applications` are every application on the lot's plot (or herd) during the growing season that produced the
 *   lot, as the caller's records hold them. Applications dated after the harvest date did not touch this lot: they
 *   are left out of every check and reported as a warning, since the date may be a typing error.
 * - When several label rows match (the crop and its groups, or several products because the formulation was not
 *   recorded), the longest interval and the smallest per-season cap govern.
 * - The season cap is counted per input product: applications naming the same reference product(s).
 * - No interval data for a (product, crop) pair warns and does not block: the label governs and the producer has
 *   promised to follow it. A banned ingredient always blocks, and a crop missing from the crop map is treated as
 *   falling under every group ban, because a missing map entry must not let a restricted pesticide through.
 */
import { compareDates, addDays, toChinaDate, type ChinaDate } from "./china-date.js";
import {
  applicationAfterHarvest,
  bannedIngredient,
  cropUnmapped,
  ingredientsUnknown,
  intervalNotElapsed,
  noIntervalData,
  seasonCapExceeded,
  unconfirmedInterval,
  type GateViolation,
  type GateWarning,
  type IntervalKind,
  type NamedInput,
} from "./gate-findings.js";
import type { Application } from "./production-record.js";
import { appliesTo, cropTargets, matchProducts, normaliseName, type CropTargets } from "./reference-lookup.js";
import type { InputProduct, ProductInterval, ReferenceSet } from "./reference.js";
import { ingredientNamesOf } from "./used-ingredients.js";

export interface IssuingGateInput {
  /** Crop, crop name as sold (上海青), or animal species for veterinary drugs. */
  crop: string;
  /** Harvest, slaughter or collection date: a China date or an instant with offset. */
  harvestDate: string;
  applications: readonly Application[];
  reference: ReferenceSet;
}

export interface IssuingGateResult {
  allowed: boolean;
  /** The crop as canonicalised against the reference set. */
  crop: string;
  harvestDate: ChinaDate;
  /** Latest of (application date + interval) over applications with interval data; null when none has any. */
  earliestHarvestDate: ChinaDate | null;
  referenceVersion: string;
  violations: GateViolation[];
  warnings: GateWarning[];
}

interface GoverningInterval {
  kind: IntervalKind;
  row: ProductInterval;
  /** Smallest per-season cap among matching rows, with the row that sets it. */
  cap: { max: number; target: string } | null;
}

interface AssessedApplication {
  application: Application;
  appliedOn: ChinaDate;
  products: InputProduct[];
  input: NamedInput;
  interval: GoverningInterval | null;
}

function governingInterval(
  products: readonly InputProduct[],
  crop: CropTargets,
  reference: ReferenceSet,
): GoverningInterval | null {
  const rows = products.flatMap((product) =>
    product.intervals
      .filter((row) => appliesTo(row.target, crop, reference))
      .map((row) => ({ row, kind: product.kind === "veterinary_drug" ? "withdrawal_period" : "pre_harvest_interval" }) as const),
  );
  const longest = rows.reduce<(typeof rows)[number] | null>(
    (best, candidate) => (best === null || candidate.row.days > best.row.days ? candidate : best),
    null,
  );
  if (longest === null) return null;
  const cap = rows.reduce<GoverningInterval["cap"]>((strictest, { row }) => {
    const max = row.maxApplicationsPerSeason;
    return max !== null && (strictest === null || max < strictest.max) ? { max, target: row.target } : strictest;
  }, null);
  return { kind: longest.kind, row: longest.row, cap };
}

function assess(application: Application, crop: CropTargets, reference: ReferenceSet): AssessedApplication {
  const products = matchProducts(reference, application.input);
  return {
    application,
    appliedOn: toChinaDate(application.appliedAt),
    products,
    input: {
      name: application.input.name,
      formulation: application.input.formulation,
      registrationNo: application.input.registrationNo,
      nameEn: products[0]?.nameEn ?? null,
    },
    interval: governingInterval(products, crop, reference),
  };
}

function intervalFindings(assessed: AssessedApplication, crop: CropTargets, harvestDate: ChinaDate) {
  const violations: GateViolation[] = [];
  const warnings: GateWarning[] = [];
  const { application, appliedOn, input, interval } = assessed;
  if (interval === null) {
    warnings.push(
      noIntervalData({
        kind: "no_interval_data",
        applicationId: application.id,
        input,
        appliedOn,
        crop: crop.crop,
        productKnown: assessed.products.length > 0,
      }),
    );
    return { violations, warnings };
  }
  if (!interval.row.confirmed)
    warnings.push(
      unconfirmedInterval({
        kind: "unconfirmed_interval",
        applicationId: application.id,
        input,
        intervalKind: interval.kind,
        intervalDays: interval.row.days,
        intervalTarget: interval.row.target,
        note: interval.row.note,
      }),
    );
  const earliestHarvestDate = addDays(appliedOn, interval.row.days);
  if (compareDates(harvestDate, earliestHarvestDate) < 0)
    violations.push(
      intervalNotElapsed({
        kind: "interval_not_elapsed",
        applicationId: application.id,
        input,
        appliedOn,
        intervalKind: interval.kind,
        intervalDays: interval.row.days,
        intervalTarget: interval.row.target,
        earliestHarvestDate,
        harvestDate,
      }),
    );
  return { violations, warnings };
}

function banFindings(assessed: AssessedApplication, crop: CropTargets, reference: ReferenceSet) {
  const violations: GateViolation[] = [];
  const warnings: GateWarning[] = [];
  const { application, appliedOn, input } = assessed;
  const ingredients = ingredientNamesOf(application.input, assessed.products);
  if (ingredients.length === 0) {
    warnings.push(ingredientsUnknown({ kind: "ingredients_unknown", applicationId: application.id, input, appliedOn }));
    return { violations, warnings };
  }
  for (const ingredient of ingredients) {
    const bans = reference.bans.filter((ban) => normaliseName(ban.ingredient) === ingredient);
    const everywhere = bans.some((ban) => ban.scope.kind === "all");
    const hitTargets = bans.flatMap((ban) =>
      ban.scope.kind === "targets"
        ? ban.scope.targets.filter((target) => !crop.mapped || appliesTo(target, crop, reference))
        : [],
    );
    if (!everywhere && hitTargets.length === 0) continue;
    violations.push(
      bannedIngredient({
        kind: "banned_ingredient",
        applicationId: application.id,
        input,
        appliedOn,
        ingredient,
        bannedOn: everywhere ? "all" : [...new Set(hitTargets)],
        cropMapped: everywhere || crop.mapped,
        sources: [...new Set(bans.map((ban) => ban.source))],
      }),
    );
  }
  return { violations, warnings };
}

function seasonCapFindings(assessed: readonly AssessedApplication[]): GateViolation[] {
  const byProduct = new Map<string, AssessedApplication[]>();
  for (const entry of assessed) {
    if (entry.interval?.cap == null) continue;
    const key = entry.products
      .map((product) => product.id)
      .sort()
      .join("|");
    byProduct.set(key, [...(byProduct.get(key) ?? []), entry]);
  }
  const violations: GateViolation[] = [];
  for (const group of byProduct.values()) {
    const first = group[0];
    const cap = first?.interval?.cap;
    if (first === undefined || cap == null || group.length <= cap.max) continue;
    const ordered = [...group].sort((a, b) => compareDates(a.appliedOn, b.appliedOn));
    violations.push(
      seasonCapExceeded({
        kind: "season_cap_exceeded",
        applicationIds: ordered.map((entry) => entry.application.id),
        input: first.input,
        appliedOn: ordered.map((entry) => entry.appliedOn),
        maxApplications: cap.max,
        capTarget: cap.target,
      }),
    );
  }
  return violations;
}

export function checkIssuingGate({ crop, harvestDate, applications, reference }: IssuingGateInput): IssuingGateResult {
  const targets = cropTargets(reference, crop);
  const harvestedOn = toChinaDate(harvestDate);
  const violations: GateViolation[] = [];
  const warnings: GateWarning[] = [];
  if (!targets.mapped) warnings.push(cropUnmapped({ kind: "crop_unmapped", crop: targets.crop }));

  const assessed = applications.map((application) => assess(application, targets, reference));
  const onLot = assessed.filter((entry) => compareDates(entry.appliedOn, harvestedOn) <= 0);
  for (const entry of assessed)
    if (!onLot.includes(entry))
      warnings.push(
        applicationAfterHarvest({
          kind: "application_after_harvest",
          applicationId: entry.application.id,
          input: entry.input,
          appliedOn: entry.appliedOn,
          harvestDate: harvestedOn,
        }),
      );

  let earliestHarvestDate: ChinaDate | null = null;
  for (const entry of onLot) {
    const interval = intervalFindings(entry, targets, harvestedOn);
    const bans = banFindings(entry, targets, reference);
    violations.push(...interval.violations, ...bans.violations);
    warnings.push(...interval.warnings, ...bans.warnings);
    if (entry.interval !== null) {
      const ready = addDays(entry.appliedOn, entry.interval.row.days);
      if (earliestHarvestDate === null || compareDates(ready, earliestHarvestDate) > 0) earliestHarvestDate = ready;
    }
  }
  violations.push(...seasonCapFindings(onLot));

  return {
    allowed: violations.length === 0,
    crop: targets.crop,
    harvestDate: harvestedOn,
    earliestHarvestDate,
    referenceVersion: reference.version,
    violations,
    warnings,
  };
}
