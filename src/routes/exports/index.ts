import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses } from "../../http/openapi";
import { ApiError, problems } from "../../http/problem";
import { createRouter } from "../../http/router";
import { fsma204ForProduct, fsma204ForTlc, MAX_PRODUCT_LOTS } from "../../services/fsma204";
import { FSMA204_COLUMNS } from "../../domain/fsma204/kde-rows";
import { fsma204Csv, fsma204Xlsx } from "./fsma204-files";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const DAY = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD");

const Fsma204Query = z
  .object({
    tlc: z.string().min(1).max(64).optional().openapi({ description: "Traceability lot code (the lot code)" }),
    productId: z.string().min(1).max(64).optional().openapi({ description: "A product; with from and to" }),
    from: DAY.optional().openapi({ description: "First date (China date), with productId" }),
    to: DAY.optional().openapi({ description: "Last date (inclusive), with productId" }),
    format: z.enum(["xlsx", "csv", "json"]).default("xlsx"),
  })
  .openapi("Fsma204Query");

export const exportsRouter = createRouter().openapi(
  createRoute({
    method: "get",
    path: "/v1/exports/fsma204",
    tags: ["Exports"],
    security: [{ bearer: [] }],
    summary: "FSMA 204 electronic sortable spreadsheet (XLSX or CSV)",
    description:
      "The key data elements of each critical tracking event (harvesting, initial packing, transformation, shipping, receiving) for a " +
      "traceability lot code (the lots with that code and those they came from and went to), or for a product's lots within a date " +
      `range (at most ${MAX_PRODUCT_LOTS} lots; X-Truncated: true when there were more). Regulators (their region), admins and the ` +
      "parties holding the lots; a party's export lists its own records only.",
    request: { query: Fsma204Query },
    responses: {
      200: {
        description: "The spreadsheet",
        content: {
          [XLSX]: { schema: z.string().openapi({ format: "binary" }) },
          "text/csv": { schema: z.string() },
          "application/json": { schema: z.object({ columns: z.array(z.string()), rows: z.array(z.record(z.string(), z.unknown())), truncated: z.boolean() }) },
        },
      },
      501: { ...errorResponses[400], description: "XLSX asked of the edge" },
      ...errorResponses,
    },
  }),
  async (c) => {
    const q = c.req.valid("query");
    const deps = c.get("deps");
    const principal = c.get("principal");
    let result;
    let name;
    if (q.tlc !== undefined) {
      if (q.productId !== undefined) throw problems.validation([{ path: "query.productId", message: "give either tlc, or productId with from and to" }]);
      result = await fsma204ForTlc(deps, principal, q.tlc);
      name = `fsma204-${q.tlc.replace(/[^\w.-]/g, "_")}`;
    } else if (q.productId !== undefined) {
      const missing = (["from", "to"] as const).filter((k) => q[k] === undefined);
      if (missing.length > 0) throw problems.validation(missing.map((k) => ({ path: `query.${k}`, message: "is required with productId" })));
      if (q.from! > q.to!) throw problems.validation([{ path: "query.to", message: "must not be before from" }]);
      result = await fsma204ForProduct(deps, principal, q.productId, q.from!, q.to!);
      name = `fsma204-${q.productId}-${q.from}-${q.to}`;
    } else {
      throw problems.validation([{ path: "query.tlc", message: "give tlc, or productId with from and to" }]);
    }
    const headers = { "x-truncated": String(result.truncated) };
    if (q.format === "csv") {
      return c.body(fsma204Csv(result.rows), 200, { ...headers, "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}.csv"` });
    }
    if (q.format === "json") {
      return c.json({ columns: [...FSMA204_COLUMNS], rows: result.rows.map(({ lotId: _lotId, ...r }) => r), truncated: result.truncated }, 200, headers);
    }
    const bytes = await fsma204Xlsx(result.rows);
    if (bytes === null) throw new ApiError(501, "xlsx-on-origin", "XLSX is made on the origin server", "ask the Node origin for format=xlsx, or use format=csv");
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { ...headers, "content-type": XLSX, "content-disposition": `attachment; filename="${name}.xlsx"` });
  },
);
