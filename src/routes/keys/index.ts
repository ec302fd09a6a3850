import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, jsonContent } from "../../http/openapi";
import { createRouter } from "../../http/router";
import { listSigningKeys, markKeyCompromised, rotateSigningKey } from "../../services/signing-keys";

const tags = ["Keys"];
const security = [{ bearer: [] }];

const KeyView = z
  .object({
    kid: z.string(),
    alg: z.string(),
    createdAt: z.string(),
    retiredAt: z.string().nullable(),
    current: z.boolean().openapi({ description: "The key this process signs new certificates with" }),
    compromisedAt: z.string().nullable(),
    compromiseReason: z.string().nullable(),
  })
  .openapi("SigningKey");

const CompromiseBody = z
  .object({
    compromisedAt: z.iso
      .datetime({ offset: true, message: "must be an ISO 8601 date-time with offset" })
      .openapi({ description: "From when the key is to be distrusted: certificates logged from then on fail verification" }),
    reason: z.string().trim().min(1, "must not be empty").max(500),
  })
  .strict();

export const keysRouter = createRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/admin/keys",
      tags,
      security,
      summary: "Certificate signing keys, current, retired and compromised (admins)",
      responses: { 200: jsonContent(z.object({ items: z.array(KeyView) }), "The keys, oldest first"), ...errorResponses },
    }),
    async (c) => c.json({ items: await listSigningKeys(c.get("deps"), c.get("principal")) }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/admin/keys/rotate",
      tags,
      security,
      summary: "Start signing with a new key; the old one is retired but stays published, so what it signed keeps verifying",
      responses: {
        200: jsonContent(z.object({ kid: z.string(), retiredKid: z.string().nullable() }), "The new key and the one it replaced"),
        ...errorResponses,
        503: { description: "This node holds no signing keys (the edge)", content: errorResponses[409].content },
      },
    }),
    async (c) => c.json(await rotateSigningKey(c.get("deps"), c.get("principal")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/admin/keys/{kid}/compromise",
      tags,
      security,
      summary: "Mark a key compromised from a time: certificates it signed from then on fail verify with key_compromised",
      request: {
        params: z.object({ kid: z.string().min(1).max(128) }),
        body: { content: { "application/json": { schema: CompromiseBody } }, required: true },
      },
      responses: { 200: jsonContent(KeyView, "The key as now marked"), ...errorResponses },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const view = await markKeyCompromised(c.get("deps"), c.get("principal"), c.req.valid("param").kid, {
        compromisedAt: new Date(body.compromisedAt),
        reason: body.reason,
      });
      return c.json(view, 200);
    },
  );
