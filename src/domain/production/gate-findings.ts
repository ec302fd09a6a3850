/**
 * What the issuing gate reports, and how it says it: every finding carries the facts a farmer needs to act on
 * (which input, which date, which interval, the first allowed date) and the same sentence in Chinese and English.
 */
import type { ChinaDate } from "./china-date.js";
import type { Wording } from "./wording.js";

/** An input as the producer recorded it, plus the English name when the reference set knows the product. */
export interface NamedInput {
  name: string;
  formulation: string | null;
  registrationNo: string | null;
  nameEn: string | null;
}

/** 安全间隔期 for pesticides, 休药期 for veterinary drugs. */
export type IntervalKind = "pre_harvest_interval" | "withdrawal_period";

export interface IntervalNotElapsed {
  kind: "interval_not_elapsed";
  applicationId: string;
  input: NamedInput;
  appliedOn: ChinaDate;
  intervalKind: IntervalKind;
  intervalDays: number;
  /** The crop, group or species the governing label row names. */
  intervalTarget: string;
  earliestHarvestDate: ChinaDate;
  harvestDate: ChinaDate;
}

export interface SeasonCapExceeded {
  kind: "season_cap_exceeded";
  applicationIds: string[];
  input: NamedInput;
  appliedOn: ChinaDate[];
  maxApplications: number;
  capTarget: string;
}

export interface BannedIngredient {
  kind: "banned_ingredient";
  applicationId: string;
  input: NamedInput;
  appliedOn: ChinaDate;
  ingredient: string;
  /** "all" for a ban on every crop; otherwise the banned crops or groups that caught this lot. */
  bannedOn: "all" | string[];
  /** False when the crop is not in the crop map, so a group ban was applied without proof it covers the crop. */
  cropMapped: boolean;
  sources: string[];
}

export type GateViolation = (IntervalNotElapsed | SeasonCapExceeded | BannedIngredient) & Wording;

export interface NoIntervalData {
  kind: "no_interval_data";
  applicationId: string;
  input: NamedInput;
  appliedOn: ChinaDate;
  crop: string;
  /** False when the reference set does not know the product at all. */
  productKnown: boolean;
}

export interface UnconfirmedInterval {
  kind: "unconfirmed_interval";
  applicationId: string;
  input: NamedInput;
  intervalKind: IntervalKind;
  intervalDays: number;
  intervalTarget: string;
  note: string | null;
}

export interface IngredientsUnknown {
  kind: "ingredients_unknown";
  applicationId: string;
  input: NamedInput;
  appliedOn: ChinaDate;
}

export interface CropUnmapped {
  kind: "crop_unmapped";
  crop: string;
}

export interface ApplicationAfterHarvest {
  kind: "application_after_harvest";
  applicationId: string;
  input: NamedInput;
  appliedOn: ChinaDate;
  harvestDate: ChinaDate;
}

export type GateWarning = (
  | NoIntervalData
  | UnconfirmedInterval
  | IngredientsUnknown
  | CropUnmapped
  | ApplicationAfterHarvest
) &
  Wording;

function labelZh(input: NamedInput): string {
  const withFormulation =
    input.formulation !== null && !input.name.includes(input.formulation)
      ? `${input.name} ${input.formulation}`
      : input.name;
  return `「${withFormulation}」`;
}

function labelEn(input: NamedInput): string {
  const name = input.nameEn ?? input.name;
  return input.formulation !== null && !input.name.includes(input.formulation)
    ? `${name} ${input.formulation}`
    : name;
}

const INTERVAL_ZH: Record<IntervalKind, { interval: string; harvest: string; lotDate: string }> = {
  pre_harvest_interval: { interval: "安全间隔期", harvest: "采收", lotDate: "采收日期" },
  withdrawal_period: { interval: "休药期", harvest: "屠宰或上市", lotDate: "屠宰（上市）日期" },
};

const INTERVAL_EN: Record<IntervalKind, { interval: string; harvest: string; lotDate: string }> = {
  pre_harvest_interval: { interval: "pre-harvest interval", harvest: "harvest", lotDate: "harvested" },
  withdrawal_period: { interval: "withdrawal period", harvest: "slaughter or sale", lotDate: "slaughtered or sold" },
};

export function intervalNotElapsed(finding: IntervalNotElapsed): IntervalNotElapsed & Wording {
  const zh = INTERVAL_ZH[finding.intervalKind];
  const en = INTERVAL_EN[finding.intervalKind];
  return {
    ...finding,
    messageZh:
      `${labelZh(finding.input)}于 ${finding.appliedOn} 使用，在${finding.intervalTarget}上的${zh.interval}是 ${finding.intervalDays} 天，` +
      `最早 ${finding.earliestHarvestDate} 才能${zh.harvest}。本批${zh.lotDate}是 ${finding.harvestDate}，太早了，不能开具合格证。`,
    messageEn:
      `${labelEn(finding.input)} was applied on ${finding.appliedOn}; its ${en.interval} on ${finding.intervalTarget} is ` +
      `${finding.intervalDays} days, so the earliest allowed ${en.harvest} date is ${finding.earliestHarvestDate}. ` +
      `This lot was ${en.lotDate} on ${finding.harvestDate}, too early to issue a certificate.`,
  };
}

export function seasonCapExceeded(finding: SeasonCapExceeded): SeasonCapExceeded & Wording {
  const count = finding.appliedOn.length;
  return {
    ...finding,
    messageZh:
      `${labelZh(finding.input)}本季已使用 ${count} 次（${finding.appliedOn.join("、")}），` +
      `在${finding.capTarget}上每季最多只能使用 ${finding.maxApplications} 次，不能开具合格证。`,
    messageEn:
      `${labelEn(finding.input)} was used ${count} times this season (${finding.appliedOn.join(", ")}); ` +
      `on ${finding.capTarget} it may be used at most ${finding.maxApplications} times per season, so no certificate can be issued.`,
  };
}

export function bannedIngredient(finding: BannedIngredient): BannedIngredient & Wording {
  const targets = finding.bannedOn === "all" ? null : finding.bannedOn;
  const unmappedZh = finding.cropMapped
    ? ""
    : "本批作物不在作物分类表中，无法确认是否属于这些类别，按禁用处理；请联系管理员补充作物分类。";
  const unmappedEn = finding.cropMapped
    ? ""
    : " The crop is not in the crop map, so it cannot be shown to fall outside those groups and is treated as banned; ask an administrator to add the crop.";
  return {
    ...finding,
    messageZh:
      `${labelZh(finding.input)}（${finding.appliedOn} 使用）含有${targets === null ? "国家禁用" : `在${targets.join("、")}上禁用`}的` +
      `${finding.ingredient}（${finding.sources.join("；")}），不能开具合格证。${unmappedZh}`,
    messageEn:
      `${labelEn(finding.input)} (applied ${finding.appliedOn}) contains ${finding.ingredient}, which is banned ` +
      `${targets === null ? "on all crops" : `on ${targets.join(", ")}`} (${finding.sources.join("; ")}), so no certificate can be issued.${unmappedEn}`,
  };
}

export function noIntervalData(finding: NoIntervalData): NoIntervalData & Wording {
  return {
    ...finding,
    messageZh: finding.productKnown
      ? `参考数据里没有${labelZh(finding.input)}在${finding.crop}上的安全间隔期（休药期），请按产品标签确认已过间隔期后再采收。`
      : `参考数据里没有${labelZh(finding.input)}这个产品，无法核对安全间隔期（休药期），请按产品标签确认已过间隔期后再采收。`,
    messageEn: finding.productKnown
      ? `The reference data has no interval for ${labelEn(finding.input)} on ${finding.crop}; check the product label to make sure the interval has passed.`
      : `${labelEn(finding.input)} is not in the reference data, so its interval could not be checked; check the product label to make sure the interval has passed.`,
  };
}

export function unconfirmedInterval(finding: UnconfirmedInterval): UnconfirmedInterval & Wording {
  const zh = INTERVAL_ZH[finding.intervalKind];
  const en = INTERVAL_EN[finding.intervalKind];
  return {
    ...finding,
    messageZh: `${labelZh(finding.input)}在${finding.intervalTarget}上的${zh.interval}（${finding.intervalDays} 天）尚未核实，请以产品标签为准。`,
    messageEn: `The ${en.interval} used for ${labelEn(finding.input)} on ${finding.intervalTarget} (${finding.intervalDays} days) is unconfirmed; the product label governs.`,
  };
}

export function ingredientsUnknown(finding: IngredientsUnknown): IngredientsUnknown & Wording {
  return {
    ...finding,
    messageZh: `${labelZh(finding.input)}（${finding.appliedOn} 使用）没有记录有效成分，无法核对是否含禁用成分，请补全生产记录。`,
    messageEn: `${labelEn(finding.input)} (applied ${finding.appliedOn}) has no active ingredient recorded, so banned ingredients could not be checked; complete the production record.`,
  };
}

export function cropUnmapped(finding: CropUnmapped): CropUnmapped & Wording {
  return {
    ...finding,
    messageZh: `作物「${finding.crop}」不在作物分类表中，按类别（如蔬菜、叶菜）规定的间隔期可能没有核对，请联系管理员补充。`,
    messageEn: `The crop ${finding.crop} is not in the crop map, so intervals set for crop groups (such as 蔬菜 or 叶菜) may not have been checked; ask an administrator to add it.`,
  };
}

export function applicationAfterHarvest(finding: ApplicationAfterHarvest): ApplicationAfterHarvest & Wording {
  return {
    ...finding,
    messageZh: `${labelZh(finding.input)}的使用日期 ${finding.appliedOn} 晚于本批采收日期 ${finding.harvestDate}，未计入本批核对；如日期填错请更正。`,
    messageEn: `${labelEn(finding.input)} is recorded as applied on ${finding.appliedOn}, after this lot's harvest on ${finding.harvestDate}, so it was not counted for this lot; correct the date if it is wrong.`,
  };
}
