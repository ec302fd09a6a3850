import { createRoute } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { parseEventQuery } from "../../domain/epcis/repository/query-params";
import { errorResponses, jsonContent } from "../../http/openapi";
import { ApiError } from "../../http/problem";
import { createRouter } from "../../http/router";
import { CAPTURE_LIMIT, captureDocument, captureJob, captureJobView, errorBehaviour } from "../../services/epcis/capture";
import { eventById, queryEvents, queryParameterProblem } from "../../services/epcis/query";
import { CaptureIdParam, CaptureJob, EpcisDocumentBody, EpcisQueryDocument, EventIdParam, EventsQuery } from "./epcis.schemas";

const security = [{ bearer: [] }];
const tags = ["EPCIS 2.0"];

/** The versions this repository speaks, sent on every answer as the REST binding asks. */
const VERSION_HEADERS = { "GS1-EPCIS-Version": "2.0.0", "GS1-CBV-Version": "2.0.0" };

const MAX_CAPTURE_BYTES = 64 * 1024 * 1024;
const EPCIS_JSON = ["application/json", "application/ld+json"] as const;

// EPCIS refuses U+0000 itself, with the standard's 400 ValidationException (services/epcis/capture.ts).
export const epcisRouter = createRouter({ refuseNul: false });

epcisRouter.use(
  "/capture",
  bodyLimit({
    maxSize: MAX_CAPTURE_BYTES,
    onError: () => {
      throw new ApiError(413, "too-large", "The document is too large", `send at most ${MAX_CAPTURE_BYTES / 1024 / 1024} MB per capture`, {
        type: "epcisException:CaptureLimitExceededException",
      });
    },
  }),
);

const queryDocumentResponse = (description: string) => ({
  description,
  content: Object.fromEntries(EPCIS_JSON.map((t) => [t, { schema: EpcisQueryDocument }])),
});

epcisRouter
  .openapi(
    createRoute({
      method: "post",
      path: "/capture",
      tags,
      security,
      summary: "Capture EPCIS 2.0 events",
      description:
        "Any party with an API key captures an EPCISDocument or EPCISQueryDocument; its events are recorded as captured by that party. " +
        "A document the EPCIS 2.0 JSON schema rejects is refused with a 400 listing each schema error (JSON pointer and message). " +
        "Otherwise the capture job is finished before the answer: 202 with Location /capture/{captureID}. " +
        "GS1-Capture-Error-Behaviour: rollback (default: all events or none, in one transaction) or proceed. " +
        "Events keep their eventID or get the CBV 2.0 hash id; an event sent again is stored once. " +
        `At most ${CAPTURE_LIMIT} events per document.`,
      request: {
        body: { content: { "application/json": { schema: EpcisDocumentBody }, "application/ld+json": { schema: EpcisDocumentBody } }, required: true },
      },
      responses: {
        202: { ...jsonContent(CaptureJob, "Capture job created (and finished); its URL is in Location"), headers: { Location: { schema: { type: "string" } } } },
        413: { ...errorResponses[400], description: "More events or bytes than the capture limit" },
        ...errorResponses,
      },
    }),
    async (c) => {
      const behaviour = errorBehaviour(c.req.header("GS1-Capture-Error-Behaviour"));
      const job = await captureDocument(c.get("deps"), c.get("principal"), c.req.valid("json"), behaviour);
      return c.json(captureJobView(job), 202, {
        ...VERSION_HEADERS,
        Location: `/capture/${job.id}`,
        "GS1-EPCIS-Capture-Limit": String(CAPTURE_LIMIT),
        "GS1-Capture-Error-Behaviour": behaviour,
      });
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/capture/{captureID}",
      tags,
      security,
      summary: "A capture job: whether it succeeded, and the errors when not",
      request: { params: CaptureIdParam },
      responses: { 200: jsonContent(CaptureJob, "The capture job"), ...errorResponses },
    }),
    async (c) => c.json(captureJobView(await captureJob(c.get("deps"), c.get("principal"), c.req.valid("param").captureID)), 200, VERSION_HEADERS),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/events",
      tags,
      security,
      summary: "Query events (EPCIS 2.0 SimpleEventQuery over REST)",
      description:
        "Captured events and the platform's own genealogy, shipping and receiving events, as an EPCISQueryDocument, oldest record " +
        "first. Admins and regulators read every event; other parties the events they captured, those recorded for them and those " +
        "about their lots. An unknown or malformed parameter is a 400 naming it. More pages: the Link header with rel=next.",
      request: { query: EventsQuery },
      responses: { 200: queryDocumentResponse("A page of events"), ...errorResponses },
    }),
    async (c) => {
      const parsed = parseEventQuery(c.req.queries());
      if (!parsed.ok) throw queryParameterProblem(parsed.errors);
      const deps = c.get("deps");
      const page = await queryEvents(deps, c.get("principal"), parsed.query);
      const headers: Record<string, string> = { ...VERSION_HEADERS };
      if (page.nextPageToken !== null) {
        const next = new URL(c.req.url);
        next.searchParams.set("nextPageToken", page.nextPageToken);
        headers["Link"] = `<${deps.publicUrl}/events${next.search}>; rel="next"`;
      }
      return c.json(page.document, 200, headers);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/events/{eventID}",
      tags,
      security,
      summary: "One event by its eventID (URL-encoded), as an EPCISQueryDocument",
      request: { params: EventIdParam },
      responses: { 200: queryDocumentResponse("The event"), ...errorResponses },
    }),
    async (c) => c.json(await eventById(c.get("deps"), c.get("principal"), c.req.valid("param").eventID), 200, VERSION_HEADERS),
  );
