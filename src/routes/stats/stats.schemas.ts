import { z } from "@hono/zod-openapi";
import { RegionCode } from "../../http/validators";

const Day = z.iso.date({ message: "must be a date as yyyy-mm-dd" });

export const StatsQuery = z.object({
  region: RegionCode.optional().openapi({ description: "GB/T 2260 code; figures include every region below it. Defaults to your region." }),
  from: Day.optional().openapi({ description: "First day (China time), inclusive; default: 11 months before this month" }),
  to: Day.optional().openapi({ description: "Day after the last (exclusive); default: the first of next month" }),
  groupBy: z.enum(["month"], { message: "must be month" }).default("month"),
  format: z.enum(["json", "xlsx"], { message: "must be json or xlsx" }).default("json"),
});

const Rates = z.object({
  cases: z.number().int(),
  verified: z.number().int(),
  filed: z.number().int(),
  penalized: z.number().int(),
  closed: z.number().int(),
  verificationRate: z.number().nullable().openapi({ description: "核查处置率: cases with 核查 done ÷ cases" }),
  filingRate: z.number().nullable().openapi({ description: "立案率: cases 立案 ÷ cases with 核查 done" }),
  penaltyRate: z.number().nullable().openapi({ description: "行政处罚率: cases with 行政处罚 ÷ cases 立案" }),
});

const Figures = {
  certificates: z.object({ issued: z.number().int(), issuingParties: z.number().int() }),
  marketReceipts: z.object({ total: z.number().int(), withCertificate: z.number().int(), share: z.number().nullable() }).nullable(),
  rapidTests: z.object({ total: z.number().int(), positive: z.number().int(), positiveShare: z.number().nullable() }),
  sampling: z.object({ total: z.number().int(), failed: z.number().int(), failureShare: z.number().nullable() }),
  recalls: z.number().int(),
  cases: z.object({ opened: z.number().int(), byStage: z.record(z.string(), z.number().int()), rates: Rates }),
};

export const StatisticsSchema = z
  .object({
    region: z.object({ code: z.string().nullable(), name: z.string().nullable() }),
    from: z.string(),
    to: z.string(),
    groupBy: z.literal("month"),
    months: z.array(z.object({ month: z.string(), ...Figures })),
    totals: z.object(Figures),
  })
  .openapi("Statistics");
