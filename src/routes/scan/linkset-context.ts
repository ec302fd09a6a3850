import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../../http/router";

/**
 * The JSON-LD context the linksets' Link header points to: read with it, a linkset is linked data about the anchor,
 * each relation type a GS1 vocabulary term and each href a resource.
 */
const CONTEXT = {
  "@context": {
    "@version": 1.1,
    gs1: "https://ref.gs1.org/voc/",
    linkset: "@graph",
    anchor: "@id",
    href: "@id",
    title: "http://purl.org/dc/terms/title",
    itemDescription: "http://purl.org/dc/terms/description",
    type: "http://purl.org/dc/terms/format",
    hreflang: "http://purl.org/dc/terms/language",
  },
};

export const linksetContextRouter = createRouter().openapi(
  createRoute({
    method: "get",
    path: "/ns/linkset-context.jsonld",
    tags: ["Scanning"],
    summary: "JSON-LD context for the linksets",
    responses: { 200: { description: "A JSON-LD context", content: { "application/ld+json": { schema: z.record(z.string(), z.unknown()) } } } },
  }),
  (c) => c.json(CONTEXT, 200, { "content-type": "application/ld+json", "access-control-allow-origin": "*", "cache-control": "public, max-age=86400" }),
);
