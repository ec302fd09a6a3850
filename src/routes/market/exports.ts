import { createRoute } from "@hono/zod-openapi";
import { chinaDate } from "../../domain/ids";
import { CSV_BOM, csvRecord, ledgerColumns } from "../../domain/market/ledger";
import { errorResponses } from "../../http/openapi";
import { ApiError } from "../../http/problem";
import { createRouter } from "../../http/router";
import { ledgerAudience, ledgerLines } from "../../services/market-gate";
import { ledgerXlsxStream, loadExcel } from "../../services/market-ledger-xlsx";
import { gateSession } from "../../auth/market-session";
import { LedgerRange } from "./market.schemas";

const security = [{ bearer: [] }];
const tags = ["Market gate"];
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

function fileName(range: { from?: string | undefined; to?: string | undefined }, today: string, ext: string): string {
  return `进货台账_${range.from ?? "start"}_${range.to ?? today}.${ext}`;
}

function download(name: string, type: string) {
  return {
    "content-type": type,
    "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
    "cache-control": "private, no-store",
    "x-content-type-options": "nosniff",
  };
}

/** The ledger as files for inspectors and spreadsheets, streamed so a long range never sits in memory. */
export const marketExportsRouter = createRouter();
marketExportsRouter.use("/v1/market/receipts.*", gateSession());

marketExportsRouter
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/market/receipts.csv",
      tags,
      security,
      summary: "The ledger as CSV (UTF-8 with BOM, Chinese headers)",
      request: { query: LedgerRange },
      responses: { 200: { description: "CSV file", content: { "text/csv": { schema: { type: "string" } } } }, ...errorResponses },
    }),
    async (c) => {
      const deps = c.get("deps");
      const principal = c.get("principal");
      const range = c.req.valid("query");
      const columns = ledgerColumns(ledgerAudience(principal));
      const chunks = ledgerLines(deps, principal, range);
      const encoder = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode(CSV_BOM + csvRecord(columns.map((col) => col.header))));
        },
        async pull(controller) {
          const next = await chunks.next();
          if (next.done === true) return controller.close();
          controller.enqueue(encoder.encode(next.value.map((line) => csvRecord(columns.map((col) => col.value(line)))).join("")));
        },
        async cancel() {
          await chunks.return(undefined);
        },
      });
      return c.body(body, 200, download(fileName(range, chinaDate(deps.clock()), "csv"), "text/csv; charset=utf-8"));
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/market/receipts.xlsx",
      tags,
      security,
      summary: "The ledger as an Excel workbook (Chinese headers)",
      description: "Served by the Node origin; the edge answers 501.",
      request: { query: LedgerRange },
      responses: { 200: { description: "XLSX file", content: { [XLSX]: { schema: { type: "string", format: "binary" } } } }, ...errorResponses },
    }),
    async (c) => {
      const deps = c.get("deps");
      const principal = c.get("principal");
      const range = c.req.valid("query");
      const columns = ledgerColumns(ledgerAudience(principal));
      const excel = await loadExcel();
      if (excel === null) throw new ApiError(501, "xlsx-unavailable", "XLSX export runs on the origin server", "use the .csv export here, or the origin");
      const body = await ledgerXlsxStream(excel, "进货台账", columns, ledgerLines(deps, principal, range));
      return c.body(body, 200, download(fileName(range, chinaDate(deps.clock()), "xlsx"), XLSX));
    },
  );
