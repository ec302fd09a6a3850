import { createRoute, z } from "@hono/zod-openapi";
import { SCAN_FLAG_KINDS } from "../../domain/scans";
import { errorResponses, IdParam, jsonContent, PageQuery, pageOf } from "../../http/openapi";
import { createRouter } from "../../http/router";
import * as svc from "../../services/scan-flags";

const security = [{ bearer: [] }];
const tags = ["Scanning"];

const ScanFlagItem = z
  .object({
    id: z.string(),
    kind: z.enum(SCAN_FLAG_KINDS),
    certificateCode: z.string(),
    regionCode: z.string().openapi({ description: "The issuer's district, whose regulators handle the case" }),
    detail: z.record(z.string(), z.unknown()).openapi({
      description: "The finding: the two scans too far apart (impossible_travel), the busy regions (many_regions), or the visitors against the scans explained (excess_scans), with its message in Chinese and English",
    }),
    caseId: z.string().nullable().openapi({ description: "The case opened for it (GET /v1/cases/{id})" }),
    createdAt: z.string(),
  })
  .openapi("ScanFlagRecord");

const ScanFlagEvidence = ScanFlagItem.extend({
  scans: z.object({ people: z.number().int(), visits: z.number().int() }).openapi({ description: "The code's scans by people so far, and as visits (a visitor's repeat scans on one day counted once)" }),
  places: z
    .array(z.object({ place: z.string().nullable(), scans: z.number().int() }))
    .openapi({ description: "Where people scanned the code, most first (up to 50); place null where it was not known" }),
}).openapi("ScanFlagEvidence");

const ScanFlagQuery = PageQuery.extend({ kind: z.enum(SCAN_FLAG_KINDS).optional() });

/** Copied-code flags for the regulators who handle them: the list, and one flag with the evidence behind it. */
export const scanFlagsRouter = createRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/scan-flags",
      tags,
      security,
      summary: "Copied-code flags raised by scans, on certificates issued in your region",
      request: { query: ScanFlagQuery },
      responses: { 200: jsonContent(pageOf(ScanFlagItem, "ScanFlagPage"), "A page of flags, oldest first"), ...errorResponses },
    }),
    async (c) => c.json(await svc.listScanFlags(c.get("deps"), c.get("principal"), c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/scan-flags/{id}",
      tags,
      security,
      summary: "One copied-code flag with its evidence: the code's scan counts and where it was scanned",
      request: { params: IdParam },
      responses: { 200: jsonContent(ScanFlagEvidence, "The flag and its evidence"), ...errorResponses },
    }),
    async (c) => c.json(await svc.scanFlagEvidence(c.get("deps"), c.get("principal"), c.req.valid("param").id), 200),
  );
