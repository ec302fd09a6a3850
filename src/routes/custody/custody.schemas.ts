import { z } from "@hono/zod-openapi";
import { COUNT_UNITS } from "../../domain/units";
import { Quantity, UnitField } from "../../http/validators";

const Id = z.string().min(1).max(64);

const LotCode = z
  .string()
  .trim()
  .regex(/^[\p{L}\p{N}._\-/]{1,40}$/u, "must be 1–40 letters, digits, '.', '_', '-' or '/'")
  .openapi({ description: "Your own code for the new lot; generated when omitted" });

const PackageWeight = Quantity.refine((v) => v <= 100_000, "must be at most 100000 kg").openapi({
  example: 5,
  description: "Net weight of one package in kg, for lots counted in packages (箱, 袋 …)",
});

const EventTime = z.iso
  .datetime({ offset: true, message: "must be an ISO 8601 date-time with offset" })
  .openapi({ example: "2026-11-20T10:00:00+08:00" });

const eventTime = EventTime.optional().openapi({
  description: "When it happened; defaults to now. Send it so a retried request is recognised as the same event.",
});

function distinctCodes<T extends { code?: string | undefined }>(items: T[], ctx: z.RefinementCtx, field: string) {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (item.code === undefined) return;
    if (seen.has(item.code)) ctx.addIssue({ code: "custom", path: [field, i, "code"], message: "repeats a code given above; codes name one lot each" });
    seen.add(item.code);
  });
}

function distinctLots<T extends { lotId: string }>(items: T[], ctx: z.RefinementCtx, field: string) {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.lotId)) ctx.addIssue({ code: "custom", path: [field, i, "lotId"], message: "names a lot already listed; give each lot once" });
    seen.add(item.lotId);
  });
}

const NewChild = z.object({
  quantity: Quantity,
  unit: UnitField,
  packageWeightKg: PackageWeight.optional(),
  code: LotCode.optional(),
  siteId: Id.optional(),
});

export const SplitBody = z
  .object({ children: z.array(NewChild).min(1, "must list at least one new lot").max(200, "may list at most 200 lots"), eventTime })
  .superRefine((v, ctx) => distinctCodes(v.children, ctx, "children"))
  .openapi("SplitRequest");

const Draw = z.object({ lotId: Id, quantity: Quantity, unit: UnitField });

export const MergeBody = z
  .object({
    parents: z.array(Draw).min(2, "a merge needs at least two lots").max(200, "may list at most 200 lots"),
    productId: Id.optional().openapi({ description: "Yours, or a parent's product; defaults to the first parent's" }),
    unit: UnitField.optional().openapi({ description: "Unit of the new lot; defaults to the first parent's" }),
    packageWeightKg: PackageWeight.optional(),
    code: LotCode.optional(),
    siteId: Id.optional(),
    eventTime,
  })
  .superRefine((v, ctx) => distinctLots(v.parents, ctx, "parents"))
  .openapi("MergeRequest");

export const RepackBody = z
  .object({
    packages: z.number().int("must be a whole number of packages").min(1, "must be at least 1").max(1_000_000, "must be at most 1000000"),
    packageWeightKg: PackageWeight,
    unit: z.enum(COUNT_UNITS, { message: `must be a package unit: ${COUNT_UNITS.join(", ")}` }).openapi({ example: "箱" }),
    code: LotCode.optional(),
    siteId: Id.optional(),
    eventTime,
  })
  .openapi("RepackRequest");

export const TransformBody = z
  .object({
    inputs: z.array(Draw).min(1, "must list at least one input lot").max(200, "may list at most 200 lots"),
    outputs: z.array(NewChild.extend({ productId: Id })).min(1, "must list at least one output").max(50, "may list at most 50 outputs"),
    siteId: Id.optional(),
    eventTime,
  })
  .superRefine((v, ctx) => {
    distinctLots(v.inputs, ctx, "inputs");
    distinctCodes(v.outputs, ctx, "outputs");
  })
  .openapi("TransformRequest");

export const EpcisEventSchema = z.record(z.string(), z.unknown()).openapi("EpcisEvent", {
  description: "An EPCIS 2.0 event (JSON-LD, standard context plus lotproof: https://lotproof.dev/voc/); eventID is its CBV 2.0 hash id",
});

export const HeldLot = z
  .object({
    id: z.string(),
    partyId: z.string(),
    productId: z.string(),
    siteId: z.string().nullable(),
    code: z.string(),
    quantity: z.number(),
    unit: z.string(),
    packageWeightKg: z.number().nullable(),
    consumedQuantity: z.number(),
    availableQuantity: z.number(),
    certifiedQuantity: z.number(),
    harvestedAt: z.string(),
    createdAt: z.string(),
  })
  .openapi("HeldLot");

const LinkKindSchema = z.enum(["split", "merge", "repack", "transform", "transfer"]);

export const OperationResult = z
  .object({
    eventId: z.string(),
    event: EpcisEventSchema,
    lots: z.array(HeldLot),
    links: z.array(z.object({ parentLotId: z.string(), childLotId: z.string(), quantity: z.number(), unit: z.string(), kind: LinkKindSchema })),
  })
  .openapi("LotOperationResult");

export const NewShipment = z
  .object({
    lotId: Id,
    quantity: Quantity,
    unit: UnitField,
    toPartyId: Id,
    toSiteId: Id.optional(),
    shippedAt: EventTime,
  })
  .openapi("NewShipment");

export const ReceiveBody = z
  .object({
    receivedAt: eventTime,
    siteId: Id.optional().openapi({ description: "Where it arrived; defaults to the site the shipper named" }),
    code: LotCode.optional(),
  })
  .openapi("ReceiveShipment");

export const Shipment = z
  .object({
    id: z.string(),
    lotId: z.string(),
    fromPartyId: z.string(),
    fromSiteId: z.string().nullable(),
    toPartyId: z.string(),
    toSiteId: z.string().nullable(),
    quantity: z.number(),
    unit: z.string(),
    lotQuantity: z.number(),
    status: z.enum(["pending", "received"]),
    shippedAt: z.string(),
    shipEventId: z.string(),
    receivedAt: z.string().nullable(),
    receiveEventId: z.string().nullable(),
    receivedLotId: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("Shipment");

export const ShipmentResult = z.object({ shipment: Shipment, event: EpcisEventSchema }).openapi("ShipmentResult");
export const ReceiptResult = z.object({ shipment: Shipment, event: EpcisEventSchema, lot: HeldLot }).openapi("ReceiptResult");

export const ShipmentQuery = z.object({
  direction: z.enum(["incoming", "outgoing", "all"], { message: "must be incoming, outgoing or all" }).default("all"),
  status: z.enum(["pending", "received"], { message: "must be pending or received" }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(64).optional(),
});

export const GenealogyQuery = z.object({
  direction: z.enum(["up", "down"], { message: "must be up (where it came from) or down (where it went)" }).default("up"),
  depth: z.coerce
    .number()
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(50, "must be at most 50")
    .default(10)
    .openapi({ description: "Generations to walk (1–50)" }),
});

export const Genealogy = z
  .object({
    lotId: z.string(),
    direction: z.enum(["up", "down"]),
    depth: z.number(),
    truncated: z.boolean(),
    nodes: z.array(
      z.object({
        id: z.string(),
        depth: z.number(),
        partyId: z.string(),
        productId: z.string(),
        visible: z.boolean(),
        code: z.string().nullable(),
        quantity: z.number().nullable(),
        unit: z.string().nullable(),
        consumedQuantity: z.number().nullable(),
        harvestedAt: z.string().nullable(),
      }),
    ),
    edges: z.array(
      z.object({
        parentLotId: z.string(),
        childLotId: z.string(),
        kind: LinkKindSchema,
        eventId: z.string(),
        quantity: z.number().nullable(),
        unit: z.string().nullable(),
      }),
    ),
  })
  .openapi("Genealogy");

export const Custody = z
  .object({
    lotId: z.string(),
    holders: z.array(
      z.object({
        lotId: z.string(),
        lotCode: z.string(),
        party: z.object({ id: z.string(), name: z.string(), kind: z.string() }),
        site: z.object({ id: z.string(), name: z.string(), regionCode: z.string() }).nullable(),
        how: z.enum(["origin", "split", "merge", "repack", "transform", "transfer"]),
        eventId: z.string().nullable(),
        since: z.string(),
        until: z.string().nullable(),
        depth: z.number(),
      }),
    ),
  })
  .openapi("Custody");

export const EventsQuery = z.object({
  lotId: Id.optional().openapi({ description: "Events about this lot; without it, the events your party recorded" }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(64).optional(),
});

export const EventPage = z
  .object({
    document: z.record(z.string(), z.unknown()).openapi({ description: "An EPCISDocument holding this page's events" }),
    nextCursor: z.string().nullable(),
  })
  .openapi("EventPage");
