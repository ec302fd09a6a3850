import type { Context } from "hono";
import type { AppEnv } from "../../http/context";
import { PUBLIC_CACHE_CONTROL } from "../../http/cache";
import { negotiate } from "../../http/negotiate";
import { problemResponse, type Problem } from "../../http/problem";
import { type AnchorLinks, buildLinkset, LINKSET_MEDIA_TYPE } from "../../domain/digital-link";
import { chooseLink, withPassedOnQuery } from "../../domain/link-choice";
import { notFoundPageHtml } from "../../render/pages/scan/scan-page";
import { type PageLanguage, statedLanguage } from "../../render/pages/scan/language";

/** JSON-LD context for reading a linkset as linked data, served by this app (see linkset-context.ts). */
export const LINKSET_CONTEXT_PATH = "/ns/linkset-context.jsonld";

export type Representation = "text/html" | "application/json" | typeof LINKSET_MEDIA_TYPE;
const OFFERS: readonly Representation[] = ["text/html", "application/json", LINKSET_MEDIA_TYPE];

export interface Negotiated {
  representation: Representation;
  /** `?linkType=` when it asks for one link type (not the linkset). */
  linkType: string | null;
  lang: PageLanguage;
  /** For choosing among links by hreflang: null when the client named languages but neither of ours. */
  linkLang: PageLanguage | null;
}

/**
 * What a scan or resolver request asks for. `?linkType=linkset|all` wins over Accept; otherwise Accept picks among the
 * page, the JSON and the linkset, and a client that states no preference (or only unknown types) gets the page.
 */
export function negotiated(c: Context<AppEnv>): Negotiated {
  const linkType = c.req.query("linkType");
  const linkLang = statedLanguage(c.req.query("lang"), c.req.header("accept-language"));
  const lang = linkLang ?? "zh";
  if (linkType === "linkset" || linkType === "all") return { representation: LINKSET_MEDIA_TYPE, linkType: null, lang, linkLang };
  const representation = negotiate(c.req.header("accept"), OFFERS) ?? "text/html";
  return { representation, linkType: linkType === undefined || linkType === "" ? null : linkType, lang, linkLang };
}

/** Headers every scan and resolver answer carries: where its linkset is, CORS, and what the answer varies on. */
export function publicHeaders(linksetUrl: string): Record<string, string> {
  return {
    link: `<${linksetUrl}>; rel="linkset"; type="${LINKSET_MEDIA_TYPE}"`,
    "access-control-allow-origin": "*",
    "access-control-expose-headers": "Link, Location, ETag",
    vary: "Accept, Accept-Language",
  };
}

export function linksetResponse(c: Context<AppEnv>, anchors: readonly AnchorLinks[], linksetUrl: string): Response {
  const base = c.get("deps").publicUrl;
  return new Response(JSON.stringify(buildLinkset(anchors)), {
    status: 200,
    headers: {
      "content-type": LINKSET_MEDIA_TYPE,
      ...publicHeaders(linksetUrl),
      link: `<${linksetUrl}>; rel="linkset"; type="${LINKSET_MEDIA_TYPE}", <${base}${LINKSET_CONTEXT_PATH}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`,
    },
  });
}

export function problemWith(problem: Problem, linksetUrl: string | null): Response {
  const headers: Record<string, string> = linksetUrl === null ? { "access-control-allow-origin": "*", vary: "Accept, Accept-Language" } : publicHeaders(linksetUrl);
  return problemResponse(problem, headers);
}

const PROBLEM_BASE = "https://lotproof.dev/problems/";

/**
 * The answer to `?linkType=<a GS1 link type>`: 307 to the one matching link (the request's other query parameters
 * passed on), 300 with the candidates when the client's language does not settle it, 404 when there is none.
 */
export function linkTypeResponse(c: Context<AppEnv>, anchors: readonly AnchorLinks[], linkType: string, lang: PageLanguage | null, linksetUrl: string): Response {
  const choice = chooseLink(anchors, linkType, lang);
  const headers = publicHeaders(linksetUrl);
  switch (choice.kind) {
    case "linkset":
      return linksetResponse(c, anchors, linksetUrl);
    case "redirect": {
      const query = new URL(c.req.url).searchParams;
      return new Response(null, { status: 307, headers: { ...headers, location: withPassedOnQuery(choice.href, query), "cache-control": PUBLIC_CACHE_CONTROL } });
    }
    case "multiple":
      return new Response(JSON.stringify({ linkset: [{ anchor: anchors[0]?.anchor ?? "", [linkTypeRelation(linkType)]: choice.targets }] }), {
        status: 300,
        headers: { ...headers, "content-type": LINKSET_MEDIA_TYPE, "cache-control": PUBLIC_CACHE_CONTROL },
      });
    case "not_found":
      return problemWith(
        { type: `${PROBLEM_BASE}link-type-not-found`, title: "Not found", status: 404, detail: `no link of type ${choice.linkType} for ${anchors[0]?.anchor ?? "this item"}`, linkType: choice.linkType },
        linksetUrl,
      );
  }
}

function linkTypeRelation(linkType: string): string {
  return linkType.startsWith("gs1:") ? `https://ref.gs1.org/voc/${linkType.slice(4)}` : linkType;
}

/** 404 for a code nobody issued, as a page for browsers and as problem+json for programs. */
export function codeNotFound(c: Context<AppEnv>, n: Negotiated, code: string, detail: string): Response {
  if (n.representation === "text/html" && n.linkType === null) {
    return new Response(notFoundPageHtml(n.lang, code), {
      status: 404,
      headers: { "content-type": "text/html; charset=UTF-8", "access-control-allow-origin": "*", vary: "Accept, Accept-Language", "cache-control": "no-store" },
    });
  }
  return problemWith({ type: `${PROBLEM_BASE}not-found`, title: "Not found", status: 404, detail }, null);
}
