/** Certificate PDFs and batch print jobs. pdfkit runs on the Node origin only: import this router from server.ts, never from app.ts. */
import { Readable } from "node:stream";
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { ZodError } from "zod";
import { batchPdfName, certificatePdfName, contentDisposition } from "../../domain/printing";
import type { AppEnv } from "../../http/context";
import { errorResponses, IdParam } from "../../http/openapi";
import { ApiError, problems } from "../../http/problem";
import { createRouter } from "../../http/router";
import { renderCertificatePdf, renderCertificatesPdf, type SizePreset } from "../../render/pdf";
import { certificateForPrint, printBatch, type BatchSelection } from "../../services/printing";
import { PdfQuery, PrintQuery, PrintRequest } from "./print.schemas";

const security = [{ bearer: [] }];
const tags = ["Printing"];
const PDF = "application/pdf";
const pdfResponse = (description: string) => ({ description, content: { [PDF]: { schema: { type: "string" as const, format: "binary" } } } });

/**
 * A print parameter out of range is a malformed request line (400), not an invalid document: the copy bound is the
 * case that matters, so a client asking for 100000 copies is told the bound rather than handed a huge file.
 */
function queryErrorsAre400(result: { success: boolean; target: string; error?: ZodError }): undefined {
  if (result.success || result.error === undefined) return undefined;
  const prefix = result.target === "json" ? "" : `${result.target}.`;
  const errors = result.error.issues.map((i) => ({ path: prefix + (i.path.length > 0 ? i.path.join(".") : "(body)"), message: i.message }));
  if (result.target !== "query") throw problems.validation(errors);
  throw new ApiError(400, "bad-print-parameters", "Bad print parameters", errors.map((e) => `${e.path}: ${e.message}`).join("; "), { errors });
}

/** Copies of the PDF a client keeps are its own business; a shared cache must not keep one. */
function pdfHeaders(disposition: string, extra: Record<string, string> = {}) {
  return { "content-type": PDF, "content-disposition": disposition, "cache-control": "private, no-store", "x-content-type-options": "nosniff", ...extra };
}

function streamBatch(selection: Awaited<ReturnType<typeof printBatch>>, size: SizePreset): ReadableStream<Uint8Array> {
  const pdf = renderCertificatesPdf(selection.items, { size });
  return Readable.toWeb(pdf) as ReadableStream<Uint8Array>;
}

/** PDF routes: pdfkit runs on the Node origin only, so this router is mounted there (see server.ts). */
export const printRouter = createRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/certificates/{id}/pdf",
      tags,
      security,
      summary: "The certificate as a printable PDF: labels of one size, N copies",
      description:
        "Every field of the certificate's template (样式一 for producers, 样式二 for buyers), the commitment text as issued, the three basis options " +
        "with the chosen one ticked, a vector QR code with the code printed under it, and copies marked 第 i / N 张. The same certificate always gives " +
        "the same bytes. Readable by the owner, admins and regulators over the owner's region; revoked certificates, and those of lots that " +
        "failed a test or are recalled, are refused (409). " +
        "Parameters out of range answer 400.",
      request: { params: IdParam, query: PdfQuery },
      responses: { 200: pdfResponse("The PDF"), ...errorResponses },
    }),
    async (c) => {
      const deps = c.get("deps");
      const { size, copies } = c.req.valid("query");
      const { row, source } = await certificateForPrint(deps, c.get("principal"), c.req.valid("param").id);
      const pdf = await renderCertificatePdf(row.content, {
        url: source.url,
        size,
        copies: copies ?? row.copies,
        ...(source.logLeafIndex !== undefined && { logLeafIndex: source.logLeafIndex }),
      });
      return c.body(new Uint8Array(pdf), 200, pdfHeaders(contentDisposition("inline", certificatePdfName(row.code, size))));
    },
    queryErrorsAre400,
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/print",
      tags,
      security,
      summary: "Print many certificates as one PDF (a day's harvest), streamed as it is built",
      description:
        "Name the certificates (`certificateIds`, in print order), or a lot and/or issue dates (China calendar, up to 31 days) to print every valid " +
        "certificate among your own, in issue order. Each certificate gets its own copies unless `copies` is given. At most 10,000 labels per job " +
        "(400 `too-many-labels`); a revoked certificate, or one of a failed or recalled lot, named by id is refused (409); in lot and day jobs " +
        "such lots are left out (`X-Skipped-Lots`); nothing matching is 404. `X-Certificates` and `X-Labels` announce the job's size before the " +
        "first page arrives.",
      request: { body: { content: { "application/json": { schema: PrintRequest } }, required: true } },
      responses: { 200: pdfResponse("The PDF, streamed"), ...errorResponses },
    }),
    async (c) => {
      const body = c.req.valid("json");
      return batchResponse(c, body, body.size);
    },
    queryErrorsAre400,
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/print",
      tags,
      security,
      summary: "Print a lot's or a day's certificates as one PDF (link form of POST /v1/print)",
      description: "The same job as POST /v1/print selected by lot and/or issue dates, so a page can offer it as a plain link.",
      request: { query: PrintQuery },
      responses: { 200: pdfResponse("The PDF, streamed"), ...errorResponses },
    }),
    async (c) => {
      const query = c.req.valid("query");
      return batchResponse(c, query, query.size);
    },
    queryErrorsAre400,
  );

async function batchResponse(c: Context<AppEnv>, sel: BatchSelection, size: SizePreset): Promise<Response> {
  const deps = c.get("deps");
  const batch = await printBatch(deps, c.get("principal"), sel);
  const name = batchPdfName({ lotCode: batch.lotCode, from: sel.from ?? sel.to, to: sel.to ?? sel.from, count: batch.certificates }, size);
  return c.body(
    streamBatch(batch, size),
    200,
    pdfHeaders(contentDisposition("attachment", name), {
      "x-certificates": String(batch.certificates),
      "x-labels": String(batch.labels),
      "x-skipped-lots": String(batch.skippedLots),
    }),
  );
}
