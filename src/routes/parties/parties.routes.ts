import { createRoute, z } from "@hono/zod-openapi";
import { PARTY_KINDS } from "../../auth/principal";
import { errorResponses, IdParam, jsonContent, PageQuery, pageOf } from "../../http/openapi";
import { CreditCode, Phone, RegionCode, ShortText } from "../../http/validators";

export const NewPartySchema = z
  .object({
    kind: z.enum(PARTY_KINDS, { message: `must be one of ${PARTY_KINDS.join(", ")}` }),
    name: ShortText(100),
    creditCode: CreditCode.optional(),
    idNumber: z
      .string()
      .regex(/^\d{17}[\dX]$/i, "must be an 18-character resident ID number")
      .optional()
      .openapi({ description: "Natural persons only; visible to regulators only" }),
    contactName: ShortText(40).optional(),
    phone: Phone,
    regionCode: RegionCode,
    address: ShortText(200).optional(),
  })
  .refine((p) => p.idNumber === undefined || p.kind === "family_farm" || p.kind === "household", {
    path: ["idNumber"],
    message: "is only kept for natural persons (family_farm, household)",
  })
  .openapi("NewParty");

export const PartySchema = z
  .object({
    id: z.string(),
    kind: z.enum(PARTY_KINDS),
    role: z.string(),
    name: z.string(),
    creditCode: z.string().nullable(),
    idNumber: z.string().nullable().optional(),
    hasIdNumber: z.boolean(),
    contactName: z.string().nullable(),
    phone: z.string(),
    regionCode: z.string(),
    address: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("Party");

export const ApiKeySchema = z
  .object({
    id: z.string(),
    partyId: z.string().nullable(),
    role: z.string(),
    prefix: z.string(),
    label: z.string().nullable(),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .openapi("ApiKey");

const security = [{ bearer: [] }];

export const createParty = createRoute({
  method: "post",
  path: "/v1/parties",
  tags: ["Parties"],
  summary: "Register a party (admin, regulator within its region)",
  security,
  request: { body: { content: { "application/json": { schema: NewPartySchema } }, required: true } },
  responses: { 201: jsonContent(PartySchema, "The registered party"), ...errorResponses },
});

export const listParties = createRoute({
  method: "get",
  path: "/v1/parties",
  tags: ["Parties"],
  summary: "List parties (admin; regulators see their region)",
  security,
  request: { query: PageQuery.extend({ kind: z.enum(PARTY_KINDS).optional() }) },
  responses: { 200: jsonContent(pageOf(PartySchema, "PartyPage"), "A page of parties"), ...errorResponses },
});

export const getParty = createRoute({
  method: "get",
  path: "/v1/parties/{id}",
  tags: ["Parties"],
  summary: "One party",
  security,
  request: { params: IdParam },
  responses: { 200: jsonContent(PartySchema, "The party"), ...errorResponses },
});

export const createKey = createRoute({
  method: "post",
  path: "/v1/parties/{id}/keys",
  tags: ["Parties"],
  summary: "Create an API key for a party; the secret is returned once",
  security,
  request: {
    params: IdParam,
    body: { content: { "application/json": { schema: z.object({ label: ShortText(60).optional() }) } }, required: false },
  },
  responses: { 201: jsonContent(ApiKeySchema.extend({ key: z.string() }), "The key, with its secret shown this once"), ...errorResponses },
});

export const listKeys = createRoute({
  method: "get",
  path: "/v1/parties/{id}/keys",
  tags: ["Parties"],
  summary: "A party's keys (never their secrets)",
  security,
  request: { params: IdParam },
  responses: { 200: jsonContent(z.object({ items: z.array(ApiKeySchema) }), "Keys"), ...errorResponses },
});

export const revokeKey = createRoute({
  method: "post",
  path: "/v1/parties/{id}/keys/{keyId}/revoke",
  tags: ["Parties"],
  summary: "Revoke a key; it stops working at once",
  security,
  request: { params: IdParam.extend({ keyId: z.string().min(1).max(64) }) },
  responses: { 200: jsonContent(ApiKeySchema, "The revoked key"), ...errorResponses },
});
