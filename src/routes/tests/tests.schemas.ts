import { z } from "@hono/zod-openapi";
import { TEST_KINDS } from "../../domain/production/test-record";
import type { TestResultInput } from "../../domain/production/stored-records";
import { PageQuery } from "../../http/openapi";
import { ShortText } from "../../http/validators";

export const TEST_METHODS = ["enzyme_inhibition", "colloidal_gold", "lab"] as const;
const MICRO = new Set(["μg/kg", "µg/kg", "ug/kg"]);

/** Readings only: a verdict, outcome or pass flag sent here is refused, since verdicts are computed. */
const Reading = z
  .object({
    analyte: ShortText(60).optional().openapi({ example: "克百威", description: "Optional for enzyme inhibition, which reads a class" }),
    value: z.number().min(0).max(1e9).nullable().optional().openapi({ description: "Inhibition rate (%), or residue (null: not detected)" }),
    unit: z.string().max(10).optional().openapi({ example: "mg/kg", description: "% for enzyme inhibition; mg/kg or μg/kg for lab values" }),
    threshold: z.number().min(0).max(1e9).nullable().optional().openapi({ description: "The limit the report states, in the same unit" }),
    reading: z.enum(["positive", "negative"]).optional().openapi({ description: "Colloidal-gold reader result" }),
  })
  .strict();

const Sample = z
  .object({
    sampleNo: ShortText(60).optional(),
    description: ShortText(200).optional(),
    location: ShortText(200).optional(),
    quantity: ShortText(40).optional(),
    sampledBy: ShortText(60).optional(),
  })
  .strict();

export const NewTest = z
  .object({
    lotId: z.string().min(1).max(64),
    kind: z.enum(TEST_KINDS, { message: `must be one of ${TEST_KINDS.join(", ")}` }),
    method: z.enum(TEST_METHODS, { message: `must be one of ${TEST_METHODS.join(", ")}` }),
    results: z.array(Reading).min(1, "give at least one reading").max(50),
    sample: Sample.optional(),
    operator: ShortText(40).optional(),
    testedAt: z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time with offset" }).optional().openapi({ description: "Default: now" }),
    lab: ShortText(100).optional().openapi({ description: "Required for entrusted_test (a lab's own key fills in its name)" }),
    reportNo: ShortText(60).optional().openapi({ description: "Required for entrusted_test" }),
    retestOf: z.string().min(1).max(64).optional().openapi({ description: "The positive test this one re-tests; a passing lab re-test clears it" }),
  })
  .strict()
  .superRefine((t, ctx) => {
    t.results.forEach((r, i) => {
      const at = (field: string, message: string) => ctx.addIssue({ code: "custom", path: ["results", i, field], message });
      if (t.method === "enzyme_inhibition") {
        if (typeof r.value !== "number" || r.value > 100) at("value", "the inhibition rate is a percentage from 0 to 100");
        if (r.unit !== undefined && r.unit !== "%") at("unit", "enzyme inhibition is read in %");
        if (r.reading !== undefined) at("reading", "enzyme inhibition has no reader result; give the inhibition rate as value");
      }
      if (t.method === "colloidal_gold") {
        if (r.analyte === undefined) at("analyte", "name the analyte printed on the strip");
        if (r.reading === undefined) at("reading", "a colloidal-gold reading is positive or negative");
      }
      if (t.method === "lab") {
        if (r.analyte === undefined) at("analyte", "name the analyte");
        if (r.value === undefined) at("value", "give the measured value, or null when not detected");
        if (r.unit === undefined || (r.unit !== "mg/kg" && !MICRO.has(r.unit))) at("unit", "lab values are in mg/kg or μg/kg");
        if (r.reading !== undefined) at("reading", "a lab result is a value, not a reader result");
      }
    });
    if (t.method === "enzyme_inhibition" && t.results.length !== 1) {
      ctx.addIssue({ code: "custom", path: ["results"], message: "enzyme inhibition gives one inhibition rate per sample" });
    }
  })
  .transform((t) => ({
    ...t,
    results: t.results.map(
      (r): TestResultInput => ({
        analyte: r.analyte ?? "有机磷和氨基甲酸酯类",
        value: r.value ?? null,
        unit: r.unit === undefined ? (t.method === "enzyme_inhibition" ? "%" : null) : MICRO.has(r.unit) ? "μg/kg" : r.unit,
        threshold: r.threshold ?? null,
        reading: r.reading ?? null,
      }),
    ),
  }))
  .openapi("NewTest");

const AnalyteVerdict = z
  .object({
    analyte: z.union([z.object({ kind: z.literal("ingredient"), name: z.string() }), z.object({ kind: z.literal("classes"), classes: z.array(z.string()).readonly() })]),
    outcome: z.enum(["pass", "fail", "undetermined"]),
    messageZh: z.string(),
    messageEn: z.string(),
  })
  .openapi("AnalyteVerdict");

export const Attachment = z
  .object({ id: z.string(), testId: z.string(), contentType: z.string(), filename: z.string().nullable(), size: z.number().int(), sha256: z.string(), createdAt: z.string(), url: z.string() })
  .openapi("TestAttachment");

export const Test = z
  .object({
    id: z.string(),
    lotId: z.string(),
    kind: z.enum(TEST_KINDS),
    method: z.enum(TEST_METHODS),
    testedAt: z.string(),
    lab: z.string().nullable(),
    reportNo: z.string().nullable(),
    retestOf: z.string().nullable(),
    operator: z.string().nullable(),
    sample: Sample.nullable(),
    results: z.array(
      z.object({ analyte: z.string(), value: z.number().nullable(), unit: z.string().nullable(), threshold: z.number().nullable(), reading: z.enum(["positive", "negative"]).nullable() }),
    ),
    verdict: z.enum(["pass", "fail", "undetermined"]).openapi({ description: "Computed from the readings, never entered" }),
    analytes: z.array(AnalyteVerdict),
    recordedBy: z.string().nullable(),
    createdAt: z.string(),
    attachments: z.array(Attachment),
  })
  .openapi("Test");

export const TestQuery = PageQuery.extend({ lotId: z.string().max(64).optional() });

const Failure = z.object({
  testId: z.string(),
  kind: z.enum(TEST_KINDS),
  method: z.enum(TEST_METHODS),
  testedAt: z.string(),
  lab: z.string().nullable(),
  reportNo: z.string().nullable(),
  found: z.array(AnalyteVerdict),
});

export const FailedLot = z
  .object({
    lot: z.object({ id: z.string(), code: z.string(), product: z.string(), harvestedAt: z.string(), quantity: z.number(), unit: z.string() }),
    party: z.object({ id: z.string(), name: z.string(), regionCode: z.string(), phone: z.string() }),
    failures: z.array(Failure),
  })
  .openapi("FailedLot");
