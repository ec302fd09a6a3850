import { z } from "@hono/zod-openapi";
import { MATCH_FIELDS, MAX_PER_PAGE, QUANTITY_OPS } from "../../domain/epcis/repository/query-params";

const param = (description: string, example?: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .openapi({ description, ...(example === undefined ? {} : { example }) });

const LIST = "Values separated by | match any of them.";

/** The SimpleEventQuery parameters answered; parsed by the domain so each bad one is named in a 400. */
export const EventsQuery = z
  .object({
    eventType: param(`ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent or AssociationEvent. ${LIST}`, "ObjectEvent|TransformationEvent"),
    GE_eventTime: param("eventTime at or after (RFC 3339 with offset)", "2026-11-01T00:00:00+08:00"),
    LT_eventTime: param("eventTime before"),
    GE_recordTime: param("recorded here at or after"),
    LT_recordTime: param("recorded here before"),
    EQ_action: param(`ADD, OBSERVE or DELETE. ${LIST}`),
    EQ_bizStep: param(`CBV business step in any of its spellings (shipping, cbv:BizStep-shipping, urn:epcglobal:cbv:bizstep:shipping). ${LIST}`, "shipping"),
    EQ_disposition: param(`CBV disposition. ${LIST}`),
    EQ_readPoint: param(`readPoint id. ${LIST}`),
    EQ_bizLocation: param(`bizLocation id. ${LIST}`),
    EQ_eventID: param(`eventID. ${LIST}`),
    EXISTS_errorDeclaration: param("only events declared erroneous"),
    ...Object.fromEntries(
      MATCH_FIELDS.map((f) => [`MATCH_${f}`, param(`identifiers in ${f}; urn:epc:idpat:…* patterns match by prefix. ${LIST}`)]),
    ),
    ...Object.fromEntries(QUANTITY_OPS.map((op) => [`${op}_quantity`, param(`a quantity element's quantity ${op} this number`)])),
    perPage: param(`events per page, 1–${MAX_PER_PAGE} (default 100)`),
    nextPageToken: param("from the Link rel=next of the previous page"),
  })
  .openapi("EpcisEventsQuery");

export const EpcisDocumentBody = z.unknown().openapi("EpcisDocumentInput", {
  description: "An EPCIS 2.0 EPCISDocument or EPCISQueryDocument (JSON-LD), checked against the official EPCIS 2.0 JSON schema",
  type: "object",
});

export const EpcisQueryDocument = z.object({}).passthrough().openapi("EpcisQueryDocument", {
  description: "EPCISQueryDocument (SimpleEventQuery results), valid against the EPCIS 2.0 JSON schema",
});

export const CaptureJob = z
  .object({
    captureID: z.string(),
    createdAt: z.string(),
    finishedAt: z.string().optional(),
    running: z.boolean(),
    success: z.boolean(),
    captureErrorBehaviour: z.enum(["rollback", "proceed"]),
    errors: z.array(z.record(z.string(), z.unknown())).openapi({ description: "RFC 9457 problems, one per event not captured" }),
    eventCount: z.number().int(),
    capturedCount: z.number().int(),
  })
  .openapi("CaptureJob");

export const CaptureIdParam = z.object({ captureID: z.string().min(1).max(64) });
export const EventIdParam = z.object({ eventID: z.string().min(1).max(2000) });
