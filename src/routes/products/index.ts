import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, IdParam, jsonContent, PageQuery, pageOf } from "../../http/openapi";
import { createRouter } from "../../http/router";
import { Gtin, ShortText, UnitField } from "../../http/validators";
import * as svc from "../../services/catalog";

export const CATEGORIES = ["蔬菜", "水果", "茶鲜叶", "畜禽", "禽蛋", "养殖水产品", "其他"] as const;

const Celsius = z.number().min(-80, "must be at least -80 °C").max(60, "must be at most 60 °C");

const NewProduct = z
  .object({
    name: ShortText(60),
    category: z.enum(CATEGORIES, { message: `must be one of ${CATEGORIES.join(", ")}` }),
    gtin: Gtin.optional(),
    unit: UnitField,
    storage: z
      .object({ minC: Celsius, maxC: Celsius })
      .refine((s) => s.minC <= s.maxC, { path: ["maxC"], message: "must not be below minC" })
      .optional()
      .openapi({ description: "Storage temperature range from the label or standard, °C" }),
  })
  .openapi("NewProduct");

const Product = z
  .object({
    id: z.string(),
    partyId: z.string(),
    name: z.string(),
    category: z.string(),
    gtin: z.string().nullable(),
    unit: z.string(),
    storage: z.object({ minC: z.number(), maxC: z.number() }).nullable(),
    createdAt: z.string(),
  })
  .openapi("Product");

const security = [{ bearer: [] }];
const tags = ["Products"];

export const productsRouter = createRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/products",
      tags,
      security,
      summary: "Describe a product",
      request: { body: { content: { "application/json": { schema: NewProduct } }, required: true } },
      responses: { 201: jsonContent(Product, "The product"), ...errorResponses },
    }),
    async (c) => c.json(svc.productView(await svc.createProduct(c.get("deps"), c.get("principal"), c.req.valid("json"))), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/products",
      tags,
      security,
      summary: "Your products",
      request: { query: PageQuery },
      responses: { 200: jsonContent(pageOf(Product, "ProductPage"), "A page of products"), ...errorResponses },
    }),
    async (c) => {
      const page = await svc.listProducts(c.get("deps"), c.get("principal"), c.req.valid("query"));
      return c.json({ items: page.items.map(svc.productView), nextCursor: page.nextCursor }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/products/{id}",
      tags,
      security,
      summary: "One product",
      request: { params: IdParam },
      responses: { 200: jsonContent(Product, "The product"), ...errorResponses },
    }),
    async (c) => c.json(svc.productView(await svc.getProduct(c.get("deps"), c.get("principal"), c.req.valid("param").id)), 200),
  );
