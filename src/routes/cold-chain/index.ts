import { createRoute, z } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { checkReadingRows, parseReadingsCsv } from "../../domain/cold-chain";
import { type EpcisDocument, validateEpcisDocument } from "../../domain/epcis";
import { errorResponses, IdParam, jsonContent } from "../../http/openapi";
import { ApiError, problems } from "../../http/problem";
import { createRouter } from "../../http/router";
import * as svc from "../../services/cold-chain";
import { CsvQuery, EpcisIngestResult, EpcisQuery, Excursion, IngestResult, LotColdChain, NewExcursionAction, ReadingBatch } from "./cold-chain.schemas";

const security = [{ bearer: [] }];
const tags = ["Cold chain"];

/** 50,000 JSON readings are about 3 MB; the limit leaves room for verbose timestamps and EPCIS framing. */
export const MAX_UPLOAD_BYTES = 16 * 1024 * 1024;
const uploadLimit = bodyLimit({
  maxSize: MAX_UPLOAD_BYTES,
  onError: () => {
    throw new ApiError(413, "too-large", "The upload is too large", `send at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB per request; split the readings`);
  },
});
const tooLarge = { 413: { ...errorResponses[422], description: "Body larger than 16 MB" } };

const WHO =
  "Who: the lot's owner, and (until custody is recorded) any buyer, market or regulator, by the lot id on the certificate. " +
  "Readings already stored for the same logger and instant are ignored, so re-sending a file is safe. The lot's excursions are " +
  "recomputed in the same transaction.";

export const coldChainRouter = createRouter();

coldChainRouter.use("/v1/cold-chain/readings", uploadLimit);
coldChainRouter.use("/v1/cold-chain/readings.csv", uploadLimit);
coldChainRouter.use("/v1/cold-chain/readings.epcis", uploadLimit);

coldChainRouter
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/cold-chain/readings",
      tags,
      security,
      summary: "Upload a logger's temperature readings (JSON)",
      description: `One logger, up to 50,000 readings, for a lot (lotId) or your shipment (shipmentRef). ${WHO}`,
      request: { body: { content: { "application/json": { schema: ReadingBatch } }, required: true } },
      responses: { 200: jsonContent(IngestResult, "What was stored"), ...errorResponses, ...tooLarge },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const checked = checkReadingRows(body.readings, body.loggerId);
      if ("problems" in checked) throw problems.validation(checked.problems);
      const target = body.lotId !== undefined ? { lotId: body.lotId } : { shipmentRef: body.shipmentRef! };
      return c.json(await svc.ingestReadings(c.get("deps"), c.get("principal"), target, checked.rows), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/cold-chain/readings.csv",
      tags,
      security,
      summary: "Upload temperature readings as CSV",
      description: `UTF-8 CSV with a header row: at,celsius[,loggerId] (at = ISO 8601 with offset), up to 50,000 rows. ${WHO}`,
      request: {
        query: CsvQuery,
        body: { content: { "text/csv": { schema: z.string().openapi({ example: "at,celsius\n2026-11-19T08:00:00+08:00,3.1\n" }) } }, required: true },
      },
      responses: { 200: jsonContent(IngestResult, "What was stored"), ...errorResponses, ...tooLarge },
    }),
    async (c) => {
      const type = c.req.header("content-type") ?? "";
      if (!/^text\/(csv|plain)\b/i.test(type)) throw problems.validation([{ path: "(body)", message: "send the file as text/csv" }]);
      const query = c.req.valid("query");
      const parsed = parseReadingsCsv(await c.req.text(), query.loggerId ?? null);
      if ("problems" in parsed) throw problems.validation(parsed.problems);
      if (parsed.rows.length === 0) throw problems.validation([{ path: "(body)", message: "has a header but no readings" }]);
      const target = query.lotId !== undefined ? { lotId: query.lotId } : { shipmentRef: query.shipmentRef! };
      return c.json(await svc.ingestReadings(c.get("deps"), c.get("principal"), target, parsed.rows), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/cold-chain/readings.epcis",
      tags,
      security,
      summary: "Upload temperature readings in an EPCIS 2.0 document (sensorElementList)",
      description:
        "An EPCISDocument whose events carry sensorReport entries of type Temperature (uom CEL, FAH or KEL). Each event's readings go " +
        "to the lot its epcList / quantityList names by lot number (urn:epc:class:lgtin:… or a Digital Link with /10/), or to ?lotId= " +
        `when given. A report's logger is its deviceID (else the sensorMetadata's). ${WHO}`,
      request: {
        query: EpcisQuery,
        body: { content: { "application/ld+json": { schema: z.object({}).passthrough() }, "application/json": { schema: z.object({}).passthrough() } }, required: true },
      },
      responses: { 200: jsonContent(EpcisIngestResult, "What was stored, per lot"), ...errorResponses, ...tooLarge },
    }),
    async (c) => {
      const document: unknown = c.req.valid("json");
      const valid = validateEpcisDocument(document);
      if (!valid.valid) {
        throw problems.validation(valid.errors.slice(0, 20).map((e) => ({ path: pointerToPath(e.path), message: `EPCIS 2.0 schema: ${e.message}` })));
      }
      if ((document as { type?: unknown }).type !== "EPCISDocument") {
        throw problems.validation([{ path: "type", message: "must be EPCISDocument (capture), not a query document" }]);
      }
      return c.json(await svc.ingestEpcis(c.get("deps"), c.get("principal"), document as EpcisDocument, c.req.valid("query").lotId), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/cold-chain/lots/{id}",
      tags,
      security,
      summary: "A lot's temperatures: summary, chart series, handover check and excursions",
      description: "Visible to whoever may upload readings for the lot, admins, and regulators over the owner's region.",
      request: { params: IdParam },
      responses: { 200: jsonContent(LotColdChain, "The lot's cold chain"), ...errorResponses },
    }),
    async (c) => c.json(await svc.lotColdChain(c.get("deps"), c.get("principal"), c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/cold-chain/excursions/{id}/actions",
      tags,
      security,
      summary: "Record a corrective action, release or reject on an excursion",
      description:
        "An excursion stays open until it has a corrective action and a release or reject, recorded since it last changed (later " +
        "readings that extend it reopen it). Closed and voided excursions answer 409.",
      request: { params: IdParam, body: { content: { "application/json": { schema: NewExcursionAction } }, required: true } },
      responses: { 201: jsonContent(Excursion, "The excursion with its actions"), ...errorResponses },
    }),
    async (c) => c.json(await svc.recordExcursionAction(c.get("deps"), c.get("principal"), c.req.valid("param").id, c.req.valid("json")), 201),
  );

/** `/epcisBody/eventList/0/type` → `epcisBody.eventList.0.type`, the path style of every other 422. */
function pointerToPath(pointer: string): string {
  if (pointer === "") return "(body)";
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"))
    .join(".");
}
