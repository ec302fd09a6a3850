import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { cors } from "hono/cors";
import { eq } from "drizzle-orm";
import { certificates } from "../../db/schema";
import { certificateAnchorLinks, certificatePageUrl } from "../../domain/certificate-links";
import { LINKSET_MEDIA_TYPE } from "../../domain/digital-link";
import type { AppEnv } from "../../http/context";
import { jsonContent, publicErrorResponses } from "../../http/openapi";
import { problems } from "../../http/problem";
import { createRouter } from "../../http/router";
import { scanPageHtml } from "../../render/pages/scan/scan-page";
import { certificateScan } from "../../services/scan-view";
import { verifyCertificate } from "../../services/verify";
import { codeNotFound, linksetResponse, linkTypeResponse, negotiated, publicHeaders } from "./respond";
import { LinksetSchema, ScanQuery, ScanTrace, ScanView } from "./scan.schemas";
import { linksetContextRouter } from "./linkset-context";

const CodeParam = z.object({ code: z.string().min(1).max(64).openapi({ description: "The certificate code as printed, any case, dashes optional" }) });
const tags = ["Scanning"];

function canonical(c: Context<AppEnv>, raw: string): { ok: true; code: string } | { ok: false; message: string } {
  return c.get("deps").codeScheme.normalize(raw);
}

const scanRoute = createRoute({
  method: "get",
  path: "/c/{code}",
  tags,
  summary: "What a QR code on a label resolves to: the scan page, the certificate as JSON, or its linkset",
  description:
    "Content negotiation on one URL. `text/html` (and clients stating no preference): the consumer's page, Chinese by default, " +
    "English with `?lang=en` or Accept-Language. `application/json`: the certificate, its verdict and its trace. " +
    "`application/linkset+json` or `?linkType=linkset|all`: the RFC 9264 linkset with GS1 link types. `?linkType=gs1:…`: 307 to that link, " +
    "300 when several fit equally, 404 when there is none. Every GET is recorded as a scan (time, coarse place, client class).",
  request: { params: CodeParam, query: ScanQuery },
  responses: {
    200: {
      description: "The page, the certificate with its trace, or the linkset",
      content: { "text/html": { schema: z.string() }, "application/json": { schema: ScanView }, [LINKSET_MEDIA_TYPE]: { schema: LinksetSchema } },
    },
    300: { description: "Several links of the requested type fit equally well", content: { [LINKSET_MEDIA_TYPE]: { schema: LinksetSchema } } },
    307: { description: "Redirect to the requested link type" },
    ...publicErrorResponses,
  },
});

export const scanRouter = createRouter();
scanRouter.use("/c/*", cors({ origin: "*", allowMethods: ["GET", "HEAD", "OPTIONS"], exposeHeaders: ["Link", "Location", "ETag"] }));
scanRouter.route("/", linksetContextRouter);

scanRouter.openapi(scanRoute, async (c) => {
  const deps = c.get("deps");
  const raw = c.req.valid("param").code;
  const n = negotiated(c);
  const normalized = canonical(c, raw);
  // A code failing its check character never reaches the database.
  if (!normalized.ok) return codeNotFound(c, n, raw, `certificate ${raw} was not found (${normalized.message})`);
  const code = normalized.code;
  const page = certificatePageUrl(deps.publicUrl, code);
  const linksetUrl = `${page}?linkType=linkset`;

  if (n.representation === LINKSET_MEDIA_TYPE || n.linkType !== null) {
    const result = await verifyCertificate(deps, { code });
    if (result.certificate === null) return codeNotFound(c, n, raw, `certificate ${raw} was not found`);
    const anchor = certificateAnchorLinks({ publicUrl: deps.publicUrl, code, displayCode: deps.codeScheme.display(code), productName: result.certificate.product.name, status: result.status });
    if (n.linkType !== null) return linkTypeResponse(c, [anchor], n.linkType, n.linkLang, linksetUrl);
    return linksetResponse(c, [anchor], linksetUrl);
  }

  const { view, scans } = await certificateScan(deps, code);
  if (view.certificate === null) return codeNotFound(c, n, raw, `certificate ${raw} was not found`);
  if (n.representation === "application/json") return c.json(view, 200, publicHeaders(linksetUrl));
  const html = scanPageHtml({ lang: n.lang, view, scans, display: (x) => deps.codeScheme.display(x), publicUrl: deps.publicUrl });
  return c.html(html, 200, { ...publicHeaders(linksetUrl), "x-content-type-options": "nosniff" });
});

scanRouter.openapi(
  createRoute({
    method: "get",
    path: "/c/{code}/certificate.json",
    tags,
    summary: "The certificate with its verdict and trace (the gs1:certificationInfo link)",
    request: { params: CodeParam },
    responses: { 200: jsonContent(ScanView, "The certificate, its verdict and its trace"), ...publicErrorResponses },
  }),
  async (c) => {
    const raw = c.req.valid("param").code;
    const normalized = canonical(c, raw);
    if (!normalized.ok) throw problems.notFound(`certificate ${raw} (${normalized.message})`);
    const { view } = await certificateScan(c.get("deps"), normalized.code);
    if (view.certificate === null) throw problems.notFound(`certificate ${raw}`);
    return c.json(view, 200, { "access-control-allow-origin": "*" });
  },
);

scanRouter.openapi(
  createRoute({
    method: "get",
    path: "/c/{code}/trace.json",
    tags,
    summary: "Origin, tests, custody and cold chain of the certificate's goods (the gs1:traceability link)",
    request: { params: CodeParam },
    responses: { 200: jsonContent(ScanTrace, "The trace"), ...publicErrorResponses },
  }),
  async (c) => {
    const raw = c.req.valid("param").code;
    const normalized = canonical(c, raw);
    if (!normalized.ok) throw problems.notFound(`certificate ${raw} (${normalized.message})`);
    const { view } = await certificateScan(c.get("deps"), normalized.code);
    if (view.trace === null) throw problems.notFound(`certificate ${raw}`);
    return c.json(view.trace, 200, { "access-control-allow-origin": "*" });
  },
);

scanRouter.openapi(
  createRoute({
    method: "get",
    path: "/c/{code}/credential.jwt",
    tags,
    summary: "The signed credential (VC 2.0 as JWT; the gs1:jws link)",
    description: "Check it against GET /.well-known/jwks.json; its status (revoked, recalled …) is what verify and the scan page report.",
    request: { params: CodeParam },
    responses: { 200: { description: "The compact JWS", content: { "application/vc+jwt": { schema: z.string() } } }, ...publicErrorResponses },
  }),
  async (c) => {
    const raw = c.req.valid("param").code;
    const normalized = canonical(c, raw);
    if (!normalized.ok) throw problems.notFound(`certificate ${raw} (${normalized.message})`);
    const [row] = await c.get("deps").db.select({ jwt: certificates.jwt }).from(certificates).where(eq(certificates.code, normalized.code));
    if (row === undefined) throw problems.notFound(`certificate ${raw}`);
    return c.body(row.jwt, 200, { "content-type": "application/vc+jwt", "access-control-allow-origin": "*", "cache-control": "public, max-age=300" });
  },
);
