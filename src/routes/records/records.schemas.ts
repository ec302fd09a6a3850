import { z } from "@hono/zod-openapi";
import { chinaDate } from "../../domain/ids";
import { INPUT_TYPES } from "../../domain/production/stored-records";
import { PageQuery } from "../../http/openapi";
import { Quantity, ShortText, UnitField } from "../../http/validators";

const isDate = (v: string) => z.iso.date().safeParse(v).success;
const isDateTime = (v: string) => z.iso.datetime({ offset: true }).safeParse(v).success;
/** Phones send either a date or a timestamp; the record keeps the China calendar date. */
const RecordDate = z
  .string()
  .refine((v) => isDate(v) || isDateTime(v), "must be a date (YYYY-MM-DD) or an ISO 8601 date-time with offset")
  .transform((v) => (isDate(v) ? v : chinaDate(new Date(v))))
  .openapi({ type: "string", example: "2026-11-02" });

const Optional = (max: number) => ShortText(max).nullable().optional();
const Placement = {
  siteId: z.string().min(1).max(64).nullable().optional().openapi({ description: "The plot (地块)" }),
  lotId: z.string().min(1).max(64).nullable().optional().openapi({ description: "The lot, when the record is for one lot only" }),
};

const applicationFields = {
  inputType: z.enum(INPUT_TYPES, { message: `must be one of ${INPUT_TYPES.join(", ")}` }).openapi({ description: "Default pesticide; fertilisers are kept but carry no interval" }),
  inputName: ShortText(100).openapi({ example: "阿维菌素" }),
  registrationNo: Optional(40).openapi({ description: "登记证号 / 批准文号", example: "PD20080001" }),
  formulation: Optional(40).openapi({ example: "1.8% EC" }),
  activeIngredients: z.array(ShortText(60)).max(10).openapi({ description: "Optional: the reference data fills in what it knows of the product" }),
  dose: Optional(60).openapi({ example: "2000倍液" }),
  method: Optional(40).openapi({ example: "喷雾" }),
  appliedOn: RecordDate.openapi({ description: "Default: today in China" }),
  stoppedOn: RecordDate.nullable().optional().openapi({ description: "Last day of a course of treatment (veterinary drugs)" }),
  operator: Optional(40),
  pest: Optional(100).openapi({ example: "蚜虫" }),
  notes: Optional(500),
};

export const NewApplication = z
  .object({
    ...Placement,
    ...applicationFields,
    inputType: applicationFields.inputType.optional(),
    activeIngredients: applicationFields.activeIngredients.optional(),
    appliedOn: applicationFields.appliedOn.optional(),
  })
  .openapi("NewApplication");

const correctionFields = {
  reason: ShortText(200).openapi({ description: "Why the record is corrected", example: "日期填错" }),
  retract: z.boolean().optional().openapi({ description: "The record was a mistake as a whole (wrong lot, never applied): it stops counting" }),
};

export const ApplicationCorrection = z
  .object({
    ...Placement,
    ...correctionFields,
    inputType: applicationFields.inputType.optional(),
    inputName: applicationFields.inputName.optional(),
    registrationNo: applicationFields.registrationNo,
    formulation: applicationFields.formulation,
    activeIngredients: applicationFields.activeIngredients.optional(),
    dose: applicationFields.dose,
    method: applicationFields.method,
    appliedOn: applicationFields.appliedOn.optional(),
    stoppedOn: applicationFields.stoppedOn,
    operator: applicationFields.operator,
    pest: applicationFields.pest,
    notes: applicationFields.notes,
  })
  .openapi("ApplicationCorrection", { description: "Fields given replace the corrected version's; fields left out carry over; null clears" });

const harvestFields = {
  harvestedOn: RecordDate.optional().openapi({ description: "Default: today in China" }),
  quantity: Quantity.nullable().optional(),
  unit: UnitField.nullable().optional(),
  endsSeason: z.boolean().optional().openapi({ description: "The crop was cleared (拉秧, 清园): later lots on the plot start a new season" }),
  operator: Optional(40),
  notes: Optional(500),
};

export const NewHarvest = z.object({ ...Placement, ...harvestFields }).openapi("NewHarvest");
export const HarvestCorrection = z.object({ ...Placement, ...correctionFields, ...harvestFields }).openapi("HarvestCorrection");

const recordCommon = {
  id: z.string(),
  partyId: z.string(),
  siteId: z.string().nullable(),
  lotId: z.string().nullable(),
  rootId: z.string().openapi({ description: "Id of the first version; stays the same through corrections" }),
  corrects: z.string().nullable(),
  retracted: z.boolean(),
  correctionReason: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
};

const ApplicationVersion = z.object({
  ...recordCommon,
  inputType: z.enum(INPUT_TYPES),
  inputName: z.string(),
  registrationNo: z.string().nullable(),
  formulation: z.string().nullable(),
  activeIngredients: z.array(z.string()),
  dose: z.string().nullable(),
  method: z.string().nullable(),
  appliedOn: z.string(),
  stoppedOn: z.string().nullable(),
  operator: z.string().nullable(),
  pest: z.string().nullable(),
  notes: z.string().nullable(),
});
export const Application = ApplicationVersion.extend({ history: z.array(ApplicationVersion).openapi({ description: "Earlier versions, newest first" }) }).openapi("Application");

const HarvestVersion = z.object({
  ...recordCommon,
  harvestedOn: z.string(),
  quantity: z.number().nullable(),
  unit: z.string().nullable(),
  endsSeason: z.boolean(),
  operator: z.string().nullable(),
  notes: z.string().nullable(),
});
export const Harvest = HarvestVersion.extend({ history: z.array(HarvestVersion) }).openapi("Harvest");

export const RecordQuery = PageQuery.extend({ siteId: z.string().max(64).optional(), lotId: z.string().max(64).optional() });
