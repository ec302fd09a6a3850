import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses } from "../../http/openapi";
import { ApiError, problems } from "../../http/problem";
import { createRouter } from "../../http/router";
import { DashboardPage } from "../../render/pages/regulator/dashboard-page";
import { statistics } from "../../services/statistics";
import { StatisticsSchema, StatsQuery } from "./stats.schemas";
import { statisticsXlsx } from "./xlsx";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

export const statsRouter = createRouter().openapi(
  createRoute({
    method: "get",
    path: "/v1/stats",
    tags: ["Statistics"],
    security: [{ bearer: [] }],
    summary: "Monthly figures for a region and everything below it (GB/T 2260 roll-up)",
    description:
      "Certificates issued and issuing parties; 查验率 (market receipts with a certificate ÷ receipts; null where the market gate is not deployed); " +
      "rapid tests and their positive share; official sampling and failures; recalls; cases by stage with 核查处置率, 立案率 and 行政处罚率 " +
      "(cohort: cases opened in the month). `format=xlsx` answers the same figures as a spreadsheet.",
    request: { query: StatsQuery },
    responses: {
      200: { description: "The figures", content: { "application/json": { schema: StatisticsSchema }, [XLSX]: { schema: z.string() } } },
      ...errorResponses,
    },
  }),
  async (c) => {
    const q = c.req.valid("query");
    const stats = await statistics(c.get("deps"), c.get("principal"), q);
    if (q.format === "xlsx") {
      const bytes = await statisticsXlsx(stats);
      if (bytes === null) throw new ApiError(501, "xlsx-on-origin", "XLSX is made on the origin server", "ask the Node origin for format=xlsx");
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { "content-type": XLSX, "content-disposition": `attachment; filename="stats-${stats.region.code ?? "all"}-${stats.from}.xlsx"` });
    }
    return c.json(stats, 200);
  },
);

/** The dashboard page; bad query values are answered like the API's (422 naming the field). */
statsRouter.get("/regulator/dashboard", async (c) => {
  // An HTML form sends empty fields; they mean "not given".
  const parsed = StatsQuery.safeParse(Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== "")));
  if (!parsed.success) throw problems.validation(parsed.error.issues.map((i) => ({ path: `query.${i.path.join(".")}`, message: i.message })));
  const stats = await statistics(c.get("deps"), c.get("principal"), parsed.data);
  return c.html(<DashboardPage stats={stats} />);
});
