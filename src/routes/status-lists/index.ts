import { createRoute, z } from "@hono/zod-openapi";
import { STATUS_PURPOSES } from "../../domain/status-list";
import { publicErrorResponses } from "../../http/openapi";
import { problems } from "../../http/problem";
import { createRouter } from "../../http/router";
import { statusListCredential } from "../../services/status-lists";

const StatusListParams = z.object({
  purpose: z.enum(STATUS_PURPOSES, { message: `must be one of ${STATUS_PURPOSES.join(", ")}` }).openapi({
    description: "revocation: voided (作废), final. suspension: recalled or failed a test, cleared when that is lifted",
  }),
  list: z
    .string()
    .regex(/^(0|[1-9]\d{0,8})$/, "must be a list number (0, 1, …)")
    .openapi({ description: "The number at the end of a certificate's statusListCredential URL", example: "0" }),
});

const StatusListQuery = z.object({
  format: z.enum(["json", "jwt"], { message: "must be json or jwt" }).optional().openapi({ description: "Instead of the Accept header" }),
});

const StatusListCredential = z
  .object({
    "@context": z.array(z.string()),
    id: z.string(),
    type: z.array(z.string()),
    issuer: z.string(),
    validFrom: z.string(),
    credentialSubject: z.object({
      id: z.string(),
      type: z.literal("BitstringStatusList"),
      statusPurpose: z.enum(STATUS_PURPOSES),
      encodedList: z.string().openapi({ description: "Multibase base64url (prefix u) of the GZIP-compressed bitstring, 131,072 bits, most significant bit first" }),
      ttl: z.number().int(),
    }),
  })
  .openapi("BitstringStatusListCredential");

const JWT_TYPES = ["application/vc+jwt", "application/jwt"];

/** Public, like the JWKS: a generic verifier needs nothing but these to learn whether a certificate is revoked. */
export const statusListsRouter = createRouter().openapi(
  createRoute({
    method: "get",
    path: "/v1/status-lists/{purpose}/{list}",
    tags: ["Verification"],
    summary: "A W3C Bitstring Status List credential (public)",
    description:
      "Named by each certificate's credentialStatus. `Accept: application/vc+jwt` (or `?format=jwt`) gives the credential signed by the key in /.well-known/jwks.json; otherwise the same credential as JSON. Bit statusListIndex set means revoked (revocation list) or recalled / failed a test (suspension list). Cached for at most 60 s and purged on every status change.",
    request: { params: StatusListParams, query: StatusListQuery },
    responses: {
      200: {
        description: "The list credential",
        content: { "application/json": { schema: StatusListCredential }, "application/vc+jwt": { schema: z.string() } },
      },
      ...publicErrorResponses,
    },
  }),
  async (c) => {
    const { purpose, list } = c.req.valid("param");
    const { format } = c.req.valid("query");
    const doc = await statusListCredential(c.get("deps"), purpose, Number(list));
    if (doc === null) throw problems.notFound(`status list ${purpose}/${list}`);
    // Any web verifier may read the lists from its own page, as it reads the certificate's token.
    c.header("access-control-allow-origin", "*");
    const accept = c.req.header("accept") ?? "";
    const wantsJwt = format === "jwt" || (format === undefined && JWT_TYPES.some((t) => accept.includes(t)));
    if (wantsJwt) return c.body(doc.jwt, 200, { "content-type": "application/vc+jwt" });
    return c.json(doc.credential as z.infer<typeof StatusListCredential>, 200);
  },
);
