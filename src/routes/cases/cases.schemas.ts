import { z } from "@hono/zod-openapi";
import { CASE_STAGES, CASE_STEPS } from "../../domain/cases";
import { ShortText } from "../../http/validators";

const Id = z.string().min(1).max(64);
const Day = z.iso.date({ message: "must be a date as yyyy-mm-dd" }).openapi({ example: "2026-11-20" });

export const OpenCaseBody = z
  .object({
    testId: Id.optional().openapi({ description: "A failed test" }),
    flagId: Id.optional().openapi({ description: "A market gate flag (e.g. a certificate presented for more than it covers)" }),
    summary: ShortText(1000).optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.testId === undefined) === (v.flagId === undefined)) ctx.addIssue({ code: "custom", path: ["testId"], message: "give exactly one of testId or flagId" });
  })
  .openapi("OpenCase");

export const StepBody = z
  .object({
    step: z.enum(CASE_STEPS, { message: `must be one of ${CASE_STEPS.join(", ")}` }).openapi({
      description: "verify 核查, file 立案, decline_filing 不予立案, penalize 行政处罚, decline_penalty 不予处罚, close 结案",
    }),
    on: Day.openapi({ description: "The day the step was taken" }),
    officer: ShortText(100).openapi({ example: "王明 (执法证 33010012)" }),
    documents: z.array(ShortText(200)).max(50, "may list at most 50 documents").default([]).openapi({ description: "Document numbers or attachment ids (文书编号)" }),
    note: ShortText(2000).optional(),
    deadline: Day.optional().openapi({ description: "When the next step is due; a default per stage applies otherwise" }),
  })
  .openapi("CaseStep");

export const CaseQuery = z.object({
  limit: z.coerce.number().int().min(1, "must be at least 1").max(200, "must be at most 200").default(50),
  cursor: z.string().max(64).optional(),
  overdue: z.enum(["true", "false"], { message: "must be true or false" }).transform((v) => v === "true").optional(),
  stage: z.enum(CASE_STAGES, { message: `must be one of ${CASE_STAGES.join(", ")}` }).optional(),
  lotId: Id.optional(),
});

const StepView = z.object({
  seq: z.number().int(),
  step: z.enum(CASE_STEPS),
  name: z.string(),
  on: z.string(),
  officer: z.string(),
  documents: z.array(z.string()),
  note: z.string().nullable(),
  nextDeadline: z.string().nullable(),
  recordedAt: z.string(),
});

export const CaseSchema = z
  .object({
    id: z.string(),
    lotId: z.string(),
    regionCode: z.string(),
    source: z.enum(["failed_test", "flag"]),
    testId: z.string().nullable(),
    flagId: z.string().nullable(),
    summary: z.string().nullable(),
    stage: z.enum(CASE_STAGES),
    openedAt: z.string(),
    dueAt: z.string().nullable(),
    overdue: z.boolean(),
    closedAt: z.string().nullable(),
    allowedNext: z.array(z.enum(CASE_STEPS)),
    steps: z.array(StepView).optional(),
  })
  .openapi("Case");

export const CasePage = z.object({ items: z.array(CaseSchema), nextCursor: z.string().nullable() }).openapi("CasePage");
