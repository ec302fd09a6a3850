import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, IdParam, jsonContent, PageQuery, pageOf } from "../../http/openapi";
import { createRouter } from "../../http/router";
import { fileDownload, fileTypes, readUpload, UPLOAD_HOW, uploadLimit, uploadResponses } from "../../http/uploads";
import * as svc from "../../services/lab-tests";
import { Attachment, FailedLot, NewTest, Test, TestQuery } from "./tests.schemas";

const security = [{ bearer: [] }];
const tags = ["Tests"];

export const testsRouter = createRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/tests",
      tags,
      security,
      summary: "Record a test (检测) on a lot; the verdict is computed from the readings",
      description:
        "Who records what: a producer self_test and entrusted_test on its own lots; a lab entrusted_test and official_sampling; a market " +
        "market_rapid; a regulator official_sampling; those three on any lot, by the lot id on the certificate. Enzyme inhibition: one " +
        "reading, the inhibition rate in %, ≥ 50 % is positive. Colloidal gold: the reader's positive/negative per analyte. Lab: value per " +
        "analyte in mg/kg or μg/kg (null = not detected) judged against the stricter of the stated threshold and the reference MRL. A positive " +
        "result marks the lot failed until a passing lab re-test is recorded with retestOf.",
      request: { body: { content: { "application/json": { schema: NewTest } }, required: true } },
      responses: { 201: jsonContent(Test, "The test with its computed verdict"), ...errorResponses },
    }),
    async (c) => {
      const deps = c.get("deps");
      const row = await svc.recordTest(deps, c.get("principal"), c.req.valid("json"));
      return c.json(svc.testView(deps, row, []), 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/tests",
      tags,
      security,
      summary: "Tests you may see: on your lots, recorded by you, or (regulators) in your region",
      request: { query: TestQuery },
      responses: { 200: jsonContent(pageOf(Test, "TestPage"), "A page of tests"), ...errorResponses },
    }),
    async (c) => {
      const deps = c.get("deps");
      const page = await svc.listTests(deps, c.get("principal"), c.req.valid("query"));
      const files = await svc.attachmentsOf(deps, page.items.map((t) => t.id));
      return c.json({ items: page.items.map((t) => svc.testView(deps, t, files)), nextCursor: page.nextCursor }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/tests/{id}",
      tags,
      security,
      summary: "One test",
      request: { params: IdParam },
      responses: { 200: jsonContent(Test, "The test"), ...errorResponses },
    }),
    async (c) => {
      const deps = c.get("deps");
      const row = await svc.getTest(deps, c.get("principal"), c.req.valid("param").id);
      return c.json(svc.testView(deps, row, await svc.attachmentsOf(deps, [row.id])), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/tests/{id}/attachments",
      tags,
      security,
      summary: "Attach a photo or report file (JPEG, PNG, PDF; at most 5 MB)",
      middleware: [uploadLimit] as const,
      description:
        `${UPLOAD_HOW} By the party that recorded the test or the lot's owner.`,
      request: {
        params: IdParam,
        query: z.object({ filename: z.string().max(200).optional() }),
        body: { content: fileTypes, required: true },
      },
      responses: { 201: jsonContent(Attachment, "The stored file's description"), ...uploadResponses, ...errorResponses },
    }),
    async (c) => {
      const deps = c.get("deps");
      const id = c.req.valid("param").id;
      const file = await readUpload(c, c.req.valid("query").filename);
      const meta = await svc.addAttachment(deps, c.get("principal"), id, file);
      const url = `${deps.publicUrl}/v1/tests/${id}/attachments/${meta.id}`;
      c.header("Location", url);
      return c.json({ ...meta, createdAt: meta.createdAt.toISOString(), url }, 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/tests/{id}/attachments/{attachmentId}",
      tags,
      security,
      summary: "Download an attached file",
      request: { params: IdParam.extend({ attachmentId: z.string().min(1).max(64) }) },
      responses: { 200: { description: "The file", content: fileTypes }, ...errorResponses },
    }),
    async (c) => {
      const { id, attachmentId } = c.req.valid("param");
      const file = await svc.getAttachment(c.get("deps"), c.get("principal"), id, attachmentId);
      return fileDownload(c, file);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/failures",
      tags,
      security,
      summary: "Lots standing failed (regulators: producers in your region)",
      description: "A lot is failed while a positive test is not cleared by a passing lab re-test recorded against it. Pages may hold fewer items than limit.",
      request: { query: PageQuery },
      responses: { 200: jsonContent(pageOf(FailedLot, "FailedLotPage"), "A page of failed lots"), ...errorResponses },
    }),
    async (c) => c.json(await svc.listFailures(c.get("deps"), c.get("principal"), c.req.valid("query")), 200),
  );
