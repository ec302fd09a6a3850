import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, jsonContent } from "../../http/openapi";
import { problems } from "../../http/problem";
import { createRouter } from "../../http/router";
import * as svc from "../../services/reference-data";
import { importPhiCsv } from "../../services/reference-import";
import { CsvImportQuery, NewReferenceVersion, ReferenceVersion, ReferenceVersionSummary } from "./reference.schemas";

const security = [{ bearer: [] }];
const tags = ["Reference data"];
const MAX_CSV_BYTES = 2 * 1024 * 1024;

export const referenceRouter = createRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/reference",
      tags,
      security,
      summary: "The reference data in force: input products, intervals (安全间隔期 / 休药期), bans, crop map",
      responses: { 200: jsonContent(ReferenceVersion, "The current version"), ...errorResponses },
    }),
    async (c) => c.json(svc.referenceView(await svc.getCurrentReference(c.get("deps"), c.get("principal"))), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/reference/versions",
      tags,
      security,
      summary: "Every version, oldest first",
      responses: { 200: jsonContent(z.object({ items: z.array(ReferenceVersionSummary) }), "The versions"), ...errorResponses },
    }),
    async (c) => {
      const rows = await svc.listReferenceVersions(c.get("deps"), c.get("principal"));
      return c.json({ items: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/reference",
      tags,
      security,
      summary: "Publish a new version (admin, regulator)",
      description: "The whole set, checked for consistency (every crop, group and ingredient a rule names must exist). It governs from effectiveFrom.",
      request: { body: { content: { "application/json": { schema: NewReferenceVersion } }, required: true } },
      responses: { 201: jsonContent(ReferenceVersion, "The new version"), ...errorResponses },
    }),
    async (c) => {
      const { document, note } = c.req.valid("json");
      const row = await svc.publishReference(c.get("deps"), c.get("principal"), document, "json", note ?? null);
      return c.json(svc.referenceView(row), 201);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/reference/phi-csv",
      tags,
      security,
      summary: "Import pre-harvest-interval rows from CSV into a new version (admin, regulator)",
      description:
        "Body: text/csv (UTF-8) with columns registration_no/登记证号, product/产品名称, formulation/剂型, crop/作物, phi_days/安全间隔期, " +
        "max_applications/每季最多使用次数, source/来源. Rows replace the interval of the same product and crop in the current set or add one. " +
        "Any problem imports nothing and names its line and column.",
      request: {
        query: CsvImportQuery,
        body: { content: { "text/csv": { schema: z.string().openapi({ example: "登记证号,产品名称,剂型,作物,安全间隔期,每季最多使用次数\n,阿维菌素,1.8% EC,黄瓜,3,2" }) } }, required: true },
      },
      responses: { 201: jsonContent(ReferenceVersion, "The new version"), ...errorResponses },
    }),
    async (c) => {
      const type = c.req.header("content-type") ?? "";
      if (!/^text\/(csv|plain)\b/i.test(type)) throw problems.validation([{ path: "(body)", message: "send the file as text/csv" }]);
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      if (bytes.length > MAX_CSV_BYTES) throw problems.validation([{ path: "(body)", message: `the CSV is larger than ${MAX_CSV_BYTES / 1024 / 1024} MB` }]);
      let text: string;
      try {
        text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
      } catch {
        throw problems.validation([{ path: "(body)", message: "the CSV is not UTF-8; save it from the spreadsheet as CSV UTF-8" }]);
      }
      const row = await importPhiCsv(c.get("deps"), c.get("principal"), text, c.req.valid("query"));
      return c.json(svc.referenceView(row), 201);
    },
  );
