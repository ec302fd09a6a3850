import { createRoute } from "@hono/zod-openapi";
import { errorResponses, IdParam, jsonContent } from "../../http/openapi";
import { createRouter } from "../../http/router";
import * as casesService from "../../services/cases";
import { CasePage, CaseQuery, CaseSchema, OpenCaseBody, StepBody } from "./cases.schemas";

const security = [{ bearer: [] }];
const tags = ["Cases"];
const body = <T>(schema: T) => ({ body: { content: { "application/json": { schema } }, required: true } });

export const casesRouter = createRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/cases",
      tags,
      security,
      summary: "Open a 不合格处置 case from a failed test or a market flag",
      description: "Regulators of the lot owner's region. One case per test or flag: 409 with its id when one is open already.",
      request: body(OpenCaseBody),
      responses: { 201: jsonContent(CaseSchema, "The new case, at stage open (待核查)"), ...errorResponses },
    }),
    async (c) => {
      const deps = c.get("deps");
      const input = c.req.valid("json");
      const row = await casesService.openCase(
        deps,
        c.get("principal"),
        input.testId !== undefined ? { testId: input.testId, summary: input.summary } : { flagId: input.flagId!, summary: input.summary },
      );
      return c.json(casesService.caseView(deps, row, []), 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/cases",
      tags,
      security,
      summary: "Cases in your region; overdue=true lists those whose next step is past its deadline",
      request: { query: CaseQuery },
      responses: { 200: jsonContent(CasePage, "A page of cases, oldest first"), ...errorResponses },
    }),
    async (c) => {
      const deps = c.get("deps");
      const page = await casesService.listCases(deps, c.get("principal"), c.req.valid("query"));
      return c.json({ items: page.items.map((r) => casesService.caseView(deps, r)), nextCursor: page.nextCursor }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/cases/{id}",
      tags,
      security,
      summary: "A case with its steps",
      request: { params: IdParam },
      responses: { 200: jsonContent(CaseSchema, "The case"), ...errorResponses },
    }),
    async (c) => {
      const deps = c.get("deps");
      const { row, steps } = await casesService.getCase(deps, c.get("principal"), c.req.valid("param").id);
      return c.json(casesService.caseView(deps, row, steps), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/cases/{id}/steps",
      tags,
      security,
      summary: "Record the next step: 核查 → 立案 / 不予立案 → 行政处罚 / 不予处罚 → 结案",
      description: "409 when the step does not follow the case's stage; the answer lists the allowed next steps (`allowed`).",
      request: { params: IdParam, ...body(StepBody) },
      responses: { 200: jsonContent(CaseSchema, "The case after the step"), ...errorResponses },
    }),
    async (c) => {
      const deps = c.get("deps");
      const { row, steps } = await casesService.recordStep(deps, c.get("principal"), c.req.valid("param").id, c.req.valid("json"));
      return c.json(casesService.caseView(deps, row, steps), 200);
    },
  );
