import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../http/context";
import { errorResponses, jsonContent } from "../../http/openapi";
import { createRouter } from "../../http/router";
import { problems } from "../../http/problem";
import { TracePage } from "../../render/pages/regulator/trace-page";
import { traceSvg } from "../../render/pages/regulator/trace-svg";
import { getRecall } from "../../services/recall";
import { affectedParties, type Trace, type TraceStart, traceOf } from "../../services/trace";
import { toCsv } from "./csv";
import { TraceQuery, TraceSchema } from "./trace.schemas";

const security = [{ bearer: [] }];
const tags = ["Trace"];

type Query = z.infer<typeof TraceQuery>;

function startOf(q: Query): TraceStart {
  if (q.lotId !== undefined) return { lotId: q.lotId };
  if (q.certificateId !== undefined) return { certificateId: q.certificateId };
  return { code: q.code! };
}

export function runTrace(c: Context<AppEnv>, q: Query): Promise<Trace> {
  return traceOf(c.get("deps"), c.get("principal"), startOf(q), { depth: q.depth });
}

const CSV_HEADER = ["关系 relation", "名称 name", "类型 role", "联系人 contact", "电话 phone", "区划代码 region", "区划 region name", "持有 holds", "数量 quantity", "单位 unit", "日期 dates"];

export function affectedCsv(trace: Trace): string {
  return toCsv(
    CSV_HEADER,
    affectedParties(trace).map((r) => [r.relation, r.partyName, r.role, r.contactName, r.phone, r.regionCode, r.regionName, r.holds, r.quantity, r.unit, r.dates]),
  );
}

export const traceRouter = createRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/trace",
      tags,
      security,
      summary: "Trace a lot back to the farm and forward to every lot, buyer and market it reached",
      description:
        "Give one of lotId, certificateId or code. Regulators of the lot owner's region and admins see everything; the lot's own holder sees a reduced view " +
        "(other parties' lots as holder and product only). Each direction is walked to `depth` generations (default 20, at most 50); at most 5000 lots. " +
        "`format=csv` answers the affected parties as CSV (name, role, contact, region, what they hold, quantity, dates).",
      request: { query: TraceQuery },
      responses: {
        200: {
          description: "The trace graph, or the affected parties as CSV",
          content: { "application/json": { schema: TraceSchema }, "text/csv": { schema: z.string() } },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const trace = await runTrace(c, q);
      if (q.format === "csv") {
        return c.body(affectedCsv(trace), 200, {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": `attachment; filename="trace-${trace.start.lotId}.csv"`,
        });
      }
      return c.json(trace, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/trace/graph.svg",
      tags,
      security,
      summary: "The trace drawn as SVG (sources left, what it reached right)",
      request: { query: TraceQuery },
      responses: { 200: { description: "An SVG document", content: { "image/svg+xml": { schema: z.string() } } }, ...errorResponses },
    }),
    async (c) => {
      const trace = await runTrace(c, c.req.valid("query"));
      return c.body(traceSvg(trace), 200, { "content-type": "image/svg+xml; charset=utf-8", "cache-control": "private, no-store" });
    },
  );

/** The page: a regulator types or scans a certificate code and sees where it came from and went. */
traceRouter.get("/regulator/trace", async (c) => {
  const code = c.req.query("code")?.trim() ?? "";
  const parsed = TraceQuery.safeParse({ code });
  if (code !== "" && !parsed.success) throw problems.validation([{ path: "query.code", message: "must be 1–64 characters" }]);
  const trace = code === "" || !parsed.success ? null : await runTrace(c, parsed.data);
  const recallId = c.req.query("recall");
  const recall = recallId === undefined ? null : await getRecall(c.get("deps"), c.get("principal"), recallId).catch(() => null);
  const notice = recall === null ? null : `已召回：影响 ${recall.affectedLots} 个批次、${recall.affectedCertificates} 张合格证；收货市场见下表，各市场入场查验时即可看到。`;
  return c.html(<TracePage query={code} trace={trace} notice={notice} />, 200, { "cache-control": "private, no-store" });
});
