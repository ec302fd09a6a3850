import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { cors } from "hono/cors";
import { typedCertificateLinks } from "../../domain/certificate-links";
import { type AnchorLinks, buildResolverDescription, LINKSET_MEDIA_TYPE, parseDigitalLink } from "../../domain/digital-link";
import type { AppEnv } from "../../http/context";
import { PUBLIC_CACHE_CONTROL } from "../../http/cache";
import { jsonContent } from "../../http/openapi";
import { createRouter } from "../../http/router";
import { certificatesAt, defaultCertificate, type ResolvedCertificate, type ResolverLevel } from "../../services/resolver";
import { withPassedOnQuery } from "../../domain/link-choice";
import { LINKSET_CONTEXT_PATH, linksetResponse, linkTypeResponse, negotiated, problemWith, publicHeaders } from "../scan/respond";
import { LinksetSchema } from "../scan/scan.schemas";
import { ProblemSchema } from "../../http/openapi";

const PROBLEM_BASE = "https://lotproof.dev/problems/";
const tags = ["GS1 Digital Link"];

function anchorFor(publicUrl: string, level: ResolverLevel): string {
  let path = `/01/${level.gtin}`;
  if (level.lot !== undefined) path += `/10/${encodeURIComponent(level.lot)}`;
  if (level.serial !== undefined) path += `/21/${encodeURIComponent(level.serial)}`;
  return publicUrl + path;
}

/** The levels a request names, most specific first, up to the GTIN: the linkset covers each, as the standard asks. */
function levelsOf(level: ResolverLevel): ResolverLevel[] {
  const levels: ResolverLevel[] = [level];
  if (level.serial !== undefined && level.lot !== undefined) levels.push({ gtin: level.gtin, lot: level.lot });
  if (level.serial !== undefined || level.lot !== undefined) levels.push({ gtin: level.gtin });
  return levels;
}

function anchorLinks(c: Context<AppEnv>, level: ResolverLevel, found: readonly ResolvedCertificate[], onlyDefault: boolean): AnchorLinks {
  const deps = c.get("deps");
  const chosen = defaultCertificate(found);
  const listed = onlyDefault && chosen !== undefined ? [chosen] : found;
  const links = listed.flatMap((cert) =>
    typedCertificateLinks({ publicUrl: deps.publicUrl, code: cert.code, displayCode: deps.codeScheme.display(cert.code), productName: cert.productName, status: cert.status }),
  );
  return {
    anchor: anchorFor(deps.publicUrl, level),
    ...(chosen === undefined ? {} : { itemDescription: chosen.productName }),
    ...(chosen === undefined
      ? {}
      : { defaultLink: { href: `${deps.publicUrl}/c/${encodeURIComponent(chosen.code)}`, title: `${chosen.productName} 承诺达标合格证 ${deps.codeScheme.display(chosen.code)}` } }),
    links,
  };
}

function badSyntax(detail: string): Response {
  return problemWith({ type: `${PROBLEM_BASE}digital-link-syntax`, title: "Not a valid GS1 Digital Link URI", status: 400, detail }, null);
}

/**
 * GS1 Digital Link resolution for products with a GTIN. Syntax errors (check digit, qualifier order, AIs in the query
 * that belong in the path, malformed percent-encoding …) are 400 with the reason; a GTIN, lot or serial with no
 * certificate is 404. Without a link type the answer is a 307 to the newest valid certificate's scan page, which then
 * negotiates page or JSON as the scan URL does; the linkset lists every certificate of the lot.
 */
async function resolve(c: Context<AppEnv>): Promise<Response> {
  const deps = c.get("deps");
  const url = new URL(c.req.url);
  // A trailing slash is tolerated, as the resolver standard recommends.
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname;
  const parsed = parseDigitalLink(`${deps.publicUrl}${path}${url.search}`);
  if (!parsed.ok) return badSyntax(parsed.reason);
  if (parsed.primaryKey.ai !== "01") return badSyntax(`this resolver serves AI (01) GTINs; the path names AI (${parsed.primaryKey.ai})`);
  const qualifier = (ai: string) => parsed.qualifiers.find((q) => q.ai === ai)?.value;
  const level: ResolverLevel = { gtin: parsed.primaryKey.value, lot: qualifier("10"), serial: qualifier("21") };
  const anchorUrl = anchorFor(deps.publicUrl, level);
  const linksetUrl = `${anchorUrl}?linkType=linkset`;
  const n = negotiated(c);

  const found = await certificatesAt(deps, level);
  if (found.length === 0) {
    return problemWith({ type: `${PROBLEM_BASE}not-found`, title: "Not found", status: 404, detail: `no certificate for ${anchorUrl}` }, null);
  }
  if (n.representation === LINKSET_MEDIA_TYPE && n.linkType === null) {
    const upper = await Promise.all(levelsOf(level).slice(1).map(async (l) => anchorLinks(c, l, await certificatesAt(deps, l), false)));
    return linksetResponse(c, [anchorLinks(c, level, found, false), ...upper], linksetUrl);
  }
  // A link type is answered from the certificate a scan would be sent to: the newest valid one of the lot.
  if (n.linkType !== null) return linkTypeResponse(c, [anchorLinks(c, level, found, true)], n.linkType, n.linkLang, linksetUrl);
  const chosen = defaultCertificate(found)!;
  const target = withPassedOnQuery(`${deps.publicUrl}/c/${encodeURIComponent(chosen.code)}`, url.searchParams);
  return new Response(null, { status: 307, headers: { ...publicHeaders(linksetUrl), location: target, "cache-control": PUBLIC_CACHE_CONTROL } });
}

const ResolverDescriptionSchema = z
  .object({
    resolverRoot: z.string(),
    supportedPrimaryKeys: z.array(z.string()).readonly(),
    name: z.string().optional(),
    supportedLinkType: z.array(z.object({ namespace: z.string(), prefix: z.string() })).readonly(),
    linkTypeDefaultCanBeLinkset: z.boolean(),
    jsonLdContextLocation: z.string().optional(),
  })
  .openapi("ResolverDescription");

const dlResponses = {
  200: { description: "The linkset (Accept: application/linkset+json, or ?linkType=linkset|all)", content: { [LINKSET_MEDIA_TYPE]: { schema: LinksetSchema } } },
  300: { description: "Several links of the requested type fit equally well", content: { [LINKSET_MEDIA_TYPE]: { schema: LinksetSchema } } },
  307: { description: "To the newest valid certificate's scan page, or to the requested link type" },
  400: { description: "Not a valid GS1 Digital Link URI; detail says why", content: { "application/problem+json": { schema: ProblemSchema } } },
  404: { description: "No certificate for this GTIN, lot or serial, or no link of the requested type", content: { "application/problem+json": { schema: ProblemSchema } } },
};

const DlQuery = z.object({
  linkType: z.string().max(200).optional().openapi({ description: "`linkset`/`all`, or a GS1 link type such as gs1:pip" }),
});

export const resolverRouter = createRouter();
resolverRouter.use("/01/*", cors({ origin: "*", allowMethods: ["GET", "HEAD", "OPTIONS"], exposeHeaders: ["Link", "Location", "ETag"] }));
resolverRouter.use("/.well-known/gs1resolver", cors({ origin: "*", allowMethods: ["GET", "HEAD", "OPTIONS"] }));

// Documented per shape; served by one handler, so every path under /01/ gets the standard's syntax check.
for (const [path, params] of [
  ["/01/{gtin}", z.object({ gtin: z.string() })],
  ["/01/{gtin}/10/{lot}", z.object({ gtin: z.string(), lot: z.string() })],
  ["/01/{gtin}/10/{lot}/21/{serial}", z.object({ gtin: z.string(), lot: z.string(), serial: z.string().openapi({ description: "A certificate code" }) })],
] as const) {
  resolverRouter.openAPIRegistry.registerPath({
    method: "get",
    path,
    tags,
    summary: "Resolve a GS1 Digital Link URI (GTIN, lot, serial = certificate code)",
    request: { params, query: DlQuery },
    responses: dlResponses,
  });
}
resolverRouter.get("/01/*", resolve);

resolverRouter.openapi(
  createRoute({
    method: "get",
    path: "/.well-known/gs1resolver",
    tags,
    summary: "GS1 resolver description file (GS1-Conformant Resolver standard 1.2.0)",
    responses: { 200: jsonContent(ResolverDescriptionSchema, "The resolver description") },
  }),
  (c) => {
    const deps = c.get("deps");
    const description = buildResolverDescription({
      resolverRoot: deps.publicUrl,
      supportedPrimaryKeys: ["01"],
      name: "lotproof 承诺达标合格证 resolver",
      linkTypeDefaultCanBeLinkset: false,
      jsonLdContextLocation: `${deps.publicUrl}${LINKSET_CONTEXT_PATH}`,
    });
    return c.json(description, 200);
  },
);
