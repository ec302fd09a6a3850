import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, IdParam, jsonContent, PageQuery, pageOf } from "../../http/openapi";
import { createRouter } from "../../http/router";
import { Quantity, UnitField } from "../../http/validators";
import { chinaDate } from "../../domain/ids";
import * as svc from "../../services/catalog";

/** A calendar date, or an instant that is read as its date in China. */
const isDate = (v: string) => z.iso.date().safeParse(v).success;
const isDateTime = (v: string) => z.iso.datetime({ offset: true }).safeParse(v).success;
const HarvestDate = z
  .string()
  .refine((v) => isDate(v) || isDateTime(v), "must be a date (YYYY-MM-DD) or an ISO 8601 date-time with offset")
  .transform((v) => (isDate(v) ? v : chinaDate(new Date(v))))
  .openapi({ type: "string", example: "2026-11-27" });

const NewLot = z
  .object({
    productId: z.string().min(1),
    siteId: z.string().min(1).optional(),
    quantity: Quantity,
    unit: UnitField,
    harvestedAt: HarvestDate,
    code: z
      .string()
      .trim()
      .regex(/^[\p{L}\p{N}._\-/]{1,40}$/u, "must be 1–40 letters, digits, '.', '_', '-' or '/'")
      .optional()
      .openapi({ description: "Your own lot code; generated when omitted" }),
  })
  .openapi("NewLot");

const Lot = z
  .object({
    id: z.string(),
    partyId: z.string(),
    productId: z.string(),
    siteId: z.string().nullable(),
    code: z.string(),
    quantity: z.number(),
    unit: z.string(),
    certifiedQuantity: z.number(),
    remainingQuantity: z.number(),
    harvestedAt: z.string(),
    createdAt: z.string(),
  })
  .openapi("Lot");

const security = [{ bearer: [] }];
const tags = ["Lots"];

export const lotsRouter = createRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/lots",
      tags,
      security,
      summary: "Describe a production lot (生产批次)",
      request: { body: { content: { "application/json": { schema: NewLot } }, required: true } },
      responses: { 201: jsonContent(Lot, "The lot"), ...errorResponses },
    }),
    async (c) => {
      const { harvestedAt, ...rest } = c.req.valid("json");
      return c.json(svc.lotView(await svc.createLot(c.get("deps"), c.get("principal"), { ...rest, harvestedOn: harvestedAt })), 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/lots",
      tags,
      security,
      summary: "Your lots",
      request: { query: PageQuery },
      responses: { 200: jsonContent(pageOf(Lot, "LotPage"), "A page of lots"), ...errorResponses },
    }),
    async (c) => {
      const page = await svc.listLots(c.get("deps"), c.get("principal"), c.req.valid("query"));
      return c.json({ items: page.items.map(svc.lotView), nextCursor: page.nextCursor }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/lots/{id}",
      tags,
      security,
      summary: "One lot, with what is left to certify",
      request: { params: IdParam },
      responses: { 200: jsonContent(Lot, "The lot"), ...errorResponses },
    }),
    async (c) => c.json(svc.lotView(await svc.getLot(c.get("deps"), c.get("principal"), c.req.valid("param").id)), 200),
  );
