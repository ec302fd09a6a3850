import { z } from "@hono/zod-openapi";
import { Quantity, ShortText, UnitField } from "../../http/validators";
import type { UpstreamNode } from "../../services/certificate-standing";

const Amount = z.object({ amount: z.number(), unit: z.string() });

/** One upstream entry of a buyer's certificate request (样式二). */
export const UpstreamEntry = z
  .discriminatedUnion(
    "kind",
    [
      z
        .object({
          kind: z.literal("certificate"),
          code: z.string().trim().min(1, "must not be empty").max(64, "must be at most 64 characters").openapi({ description: "A certificate issued here, as printed" }),
          quantity: Quantity.openapi({ description: "How much of the goods came under it" }),
          unit: UnitField.optional().openapi({ description: "Defaults to the upstream certificate's unit" }),
        })
        .strict(),
      z
        .object({
          kind: z.literal("other_platform"),
          platform: ShortText(100).openapi({ description: "The platform that issued it, e.g. 国家农产品质量安全追溯管理信息平台" }),
          code: ShortText(100),
          quantity: Quantity,
          unit: UnitField,
        })
        .strict(),
      z
        .object({
          kind: z.literal("paper"),
          number: ShortText(100).openapi({ description: "The paper certificate's number" }),
          photoId: z.string().min(1).max(64).openapi({ description: "A photo uploaded with POST /v1/upstream-photos" }),
          quantity: Quantity,
          unit: UnitField,
        })
        .strict(),
    ],
    { message: "kind must be one of certificate, other_platform, paper" },
  )
  .openapi("UpstreamEntry");

/** An upstream reference as frozen into a buyer's signed certificate. */
export const UpstreamReferenceSchema = z
  .discriminatedUnion("kind", [
    z.object({
      kind: z.literal("certificate"),
      code: z.string(),
      quantity: Amount,
      product: z.string(),
      issuer: z.object({ name: z.string(), creditCode: z.string().nullable() }),
      issueDate: z.string(),
    }),
    z.object({ kind: z.literal("other_platform"), platform: z.string(), code: z.string(), quantity: Amount }),
    z.object({ kind: z.literal("paper"), number: z.string(), quantity: Amount, photo: z.object({ id: z.string(), sha256: z.string() }) }),
  ])
  .openapi("UpstreamReference");

/** One node of verify's upstream tree: a certificate issued here (with its own upstream), or an external reference. */
export const UpstreamNodeSchema: z.ZodType<UpstreamNode> = z
  .lazy(() =>
    z.discriminatedUnion("kind", [
      z.object({
        kind: z.literal("certificate"),
        code: z.string(),
        quantity: Amount.openapi({ description: "Claimed from it by the certificate above" }),
        certificateQuantity: Amount,
        product: z.object({ name: z.string(), category: z.string() }),
        issuer: z.object({ name: z.string(), creditCode: z.string().nullable(), regionCode: z.string(), regionName: z.string().nullable() }),
        issueDate: z.string(),
        templateVersion: z.string(),
        status: z.enum(["valid", "revoked", "recalled", "failed_test"]).openapi({ description: "Its status, its own upstream counted" }),
        truncated: z.boolean().openapi({ description: "The depth cap stopped the walk before its upstream" }),
        upstream: z.array(UpstreamNodeSchema),
      }),
      z.object({ kind: z.literal("other_platform"), platform: z.string(), code: z.string(), quantity: Amount, status: z.literal("unverified") }),
      z.object({ kind: z.literal("paper"), number: z.string(), quantity: Amount, photoId: z.string(), status: z.literal("unverified") }),
    ]),
  )
  .openapi("UpstreamNode");
