import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, IdParam, jsonContent, PageQuery, pageOf } from "../../http/openapi";
import { createRouter } from "../../http/router";
import { RegionCode, ShortText } from "../../http/validators";
import * as svc from "../../services/catalog";

const NewSite = z
  .object({
    name: ShortText(100),
    regionCode: RegionCode,
    address: ShortText(200).optional(),
    lat: z.number().min(-90, "must be between -90 and 90").max(90, "must be between -90 and 90").optional(),
    lon: z.number().min(-180, "must be between -180 and 180").max(180, "must be between -180 and 180").optional(),
  })
  .refine((s) => (s.lat === undefined) === (s.lon === undefined), { path: ["lon"], message: "lat and lon come together" })
  .openapi("NewSite");

const Site = z
  .object({
    id: z.string(),
    partyId: z.string(),
    name: z.string(),
    regionCode: z.string(),
    address: z.string().nullable(),
    lat: z.number().nullable(),
    lon: z.number().nullable(),
    createdAt: z.string(),
  })
  .openapi("Site");

const security = [{ bearer: [] }];
const tags = ["Sites"];

export const sitesRouter = createRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/sites",
      tags,
      security,
      summary: "Register a production site (基地, 地块, 棚)",
      request: { body: { content: { "application/json": { schema: NewSite } }, required: true } },
      responses: { 201: jsonContent(Site, "The site"), ...errorResponses },
    }),
    async (c) => c.json(svc.siteView(await svc.createSite(c.get("deps"), c.get("principal"), c.req.valid("json"))), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/sites",
      tags,
      security,
      summary: "Your sites",
      request: { query: PageQuery },
      responses: { 200: jsonContent(pageOf(Site, "SitePage"), "A page of sites"), ...errorResponses },
    }),
    async (c) => {
      const page = await svc.listSites(c.get("deps"), c.get("principal"), c.req.valid("query"));
      return c.json({ items: page.items.map(svc.siteView), nextCursor: page.nextCursor }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/sites/{id}",
      tags,
      security,
      summary: "One site",
      request: { params: IdParam },
      responses: { 200: jsonContent(Site, "The site"), ...errorResponses },
    }),
    async (c) => c.json(svc.siteView(await svc.getSite(c.get("deps"), c.get("principal"), c.req.valid("param").id)), 200),
  );
