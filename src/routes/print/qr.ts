import { createRoute, z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { certificateUrl } from "../../domain/credential";
import { certificates } from "../../db/schema";
import { errorResponses, IdParam, publicErrorResponses } from "../../http/openapi";
import { problems } from "../../http/problem";
import { createRouter } from "../../http/router";
import { qrSvg } from "../../render/qr";
import { getCertificate } from "../../services/certificates";
import { QrQuery } from "./print.schemas";

const SVG = "image/svg+xml";
const svgResponse = { description: "The QR code as SVG, one path of vector modules", content: { [SVG]: { schema: { type: "string" as const } } } };

/**
 * A code's QR symbol only ever encodes its scan URL, so it never changes once issued and any cache may keep it for a
 * day; what the scan shows (status, revocation) is decided by the scan page, not by the picture.
 */
const PUBLIC_SVG_HEADERS = { "content-type": `${SVG}; charset=utf-8`, "cache-control": "public, max-age=86400", "x-content-type-options": "nosniff" };

/** QR codes as SVG for producers who print labels with their own tools. Pure JavaScript, so it runs at the edge too. */
export const qrRouter = createRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/c/{code}/qr.svg",
      tags: ["Printing"],
      summary: "A certificate's QR code as SVG (public, cacheable)",
      description: "Encodes the scan URL `/c/{code}`. The code may be typed as printed (any case, dashes). Unknown codes answer 404.",
      request: { params: z.object({ code: z.string().min(1).max(64) }), query: QrQuery },
      responses: { 200: svgResponse, ...publicErrorResponses },
    }),
    async (c) => {
      const deps = c.get("deps");
      const raw = c.req.valid("param").code;
      const normalized = deps.codeScheme.normalize(raw);
      if (!normalized.ok) throw problems.notFound(`certificate ${raw} (${normalized.message})`);
      const [found] = await deps.db.select({ code: certificates.code }).from(certificates).where(eq(certificates.code, normalized.code)).limit(1);
      if (found === undefined) throw problems.notFound(`certificate ${raw}`);
      const { scale, margin } = c.req.valid("query");
      return c.body(qrSvg(certificateUrl(deps.publicUrl, found.code), { scale, margin }), 200, PUBLIC_SVG_HEADERS);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/certificates/{id}/qr.svg",
      tags: ["Printing"],
      security: [{ bearer: [] }],
      summary: "A certificate's QR code as SVG, by certificate id",
      description: "The same picture as `/c/{code}/qr.svg`, for clients that hold the id; readable by whoever may read the certificate.",
      request: { params: IdParam, query: QrQuery },
      responses: { 200: svgResponse, ...errorResponses },
    }),
    async (c) => {
      const deps = c.get("deps");
      const row = await getCertificate(deps, c.get("principal"), c.req.valid("param").id);
      const { scale, margin } = c.req.valid("query");
      return c.body(qrSvg(certificateUrl(deps.publicUrl, row.code), { scale, margin }), 200, {
        "content-type": `${SVG}; charset=utf-8`,
        "cache-control": "private, max-age=86400",
        "x-content-type-options": "nosniff",
      });
    },
  );
