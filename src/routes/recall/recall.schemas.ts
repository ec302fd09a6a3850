import { z } from "@hono/zod-openapi";
import { ShortText } from "../../http/validators";

const Id = z.string().min(1).max(64);

export const NewRecall = z
  .object({
    lotId: Id.openapi({ description: "The lot to recall; every lot made from it is recalled with it" }),
    reason: ShortText(500).openapi({ example: "监督抽检克百威超标" }),
    scope: z.enum(["lot_and_descendants"], { message: "must be lot_and_descendants" }).default("lot_and_descendants"),
  })
  .openapi("NewRecall");

export const LiftBody = z.object({ reason: ShortText(500).openapi({ example: "复检合格，解除召回" }) }).openapi("LiftRecall");

export const RecallQuery = z.object({
  limit: z.coerce.number().int().min(1, "must be at least 1").max(200, "must be at most 200").default(50),
  cursor: z.string().max(64).optional(),
  status: z.enum(["active", "lifted"], { message: "must be active or lifted" }).optional(),
  lotId: Id.optional(),
});

export const Recall = z
  .object({
    id: z.string(),
    lotId: z.string(),
    regionCode: z.string(),
    reason: z.string(),
    scope: z.literal("lot_and_descendants"),
    status: z.enum(["active", "lifted"]),
    recalledAt: z.string(),
    recalledBy: z.string().nullable(),
    affectedLots: z.number().int(),
    affectedCertificates: z.number().int(),
    liftedAt: z.string().nullable(),
    liftReason: z.string().nullable(),
    liftedBy: z.string().nullable(),
  })
  .openapi("Recall");

const Receiver = z.object({
  party: z.object({
    id: z.string(),
    name: z.string(),
    kind: z.string(),
    contactName: z.string().nullable(),
    phone: z.string(),
    regionCode: z.string(),
    address: z.string().nullable(),
  }),
  shipments: z.array(
    z.object({
      shipmentId: z.string().openapi({ description: "The shipment, or the market receipt when `via` is market_receipt" }),
      via: z.enum(["shipment", "market_receipt"]).openapi({ description: "A recorded shipment, or goods taken in at a market's gate" }),
      lotId: z.string(),
      quantity: z.number(),
      unit: z.string(),
      shippedAt: z.string(),
      receivedAt: z.string().nullable(),
      status: z.enum(["pending", "received"]),
    }),
  ),
  shipmentCount: z.number().int().openapi({ description: "All shipments to this party; `shipments` lists the first 20" }),
  totals: z.array(z.object({ quantity: z.number(), unit: z.string() })),
  firstShippedAt: z.string(),
  lastShippedAt: z.string(),
});

export const RecallDetail = z
  .object({
    recall: Recall,
    affected: z.object({
      lots: z.number().int(),
      lotIds: z.array(z.string()),
      certificateCodes: z.array(z.string()),
      receivers: z.array(Receiver).openapi({ description: "Buyers and markets goods from any affected lot were sent to or taken in at their gate: the parties to call" }),
      depthCapped: z.boolean(),
    }),
  })
  .openapi("RecallDetail");

export const RecallPage = z.object({ items: z.array(Recall), nextCursor: z.string().nullable() }).openapi("RecallPage");
