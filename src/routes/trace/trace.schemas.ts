import { z } from "@hono/zod-openapi";
import { MAX_DEPTH } from "../../services/genealogy";

const Id = z.string().min(1).max(64);

export const TraceQuery = z
  .object({
    lotId: Id.optional(),
    certificateId: Id.optional(),
    code: z.string().min(1).max(64).optional().openapi({ description: "A certificate code as printed or typed" }),
    depth: z.coerce.number().int("must be a whole number").min(1, "must be at least 1").max(MAX_DEPTH, `must be at most ${MAX_DEPTH}`).optional(),
    format: z.enum(["json", "csv"], { message: "must be json or csv" }).default("json"),
  })
  .superRefine((q, ctx) => {
    const given = [q.lotId, q.certificateId, q.code].filter((v) => v !== undefined).length;
    if (given !== 1) ctx.addIssue({ code: "custom", path: ["lotId"], message: "give exactly one of lotId, certificateId or code" });
  });

const Party = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  regionCode: z.string().nullable(),
  regionName: z.string().nullable(),
  contactName: z.string().nullable(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
});

export const TraceSchema = z
  .object({
    start: z.object({ lotId: z.string(), certificateId: z.string().nullable(), code: z.string().nullable() }),
    view: z.enum(["full", "reduced"]).openapi({ description: "reduced: a party's own trace; other parties' lots show holder and product only" }),
    depth: z.number().int(),
    truncated: z.boolean(),
    nodes: z.array(
      z.object({
        lotId: z.string(),
        layer: z.number().int().openapi({ description: "<0 sources, 0 the start, >0 what it reached" }),
        visible: z.boolean(),
        code: z.string().nullable(),
        product: z.string(),
        quantity: z.number().nullable(),
        unit: z.string().nullable(),
        harvestedOn: z.string().nullable(),
        createdAt: z.string().nullable(),
        party: Party,
        site: z.object({ id: z.string(), name: z.string(), regionCode: z.string(), address: z.string().nullable() }).nullable(),
        certificates: z.array(z.object({ id: z.string(), code: z.string(), quantity: z.number(), unit: z.string(), status: z.string(), issuedAt: z.string() })),
        failed: z.boolean(),
        recalled: z.boolean(),
      }),
    ),
    edges: z.array(z.object({ from: z.string(), to: z.string(), kind: z.string(), quantity: z.number().nullable(), unit: z.string().nullable(), eventId: z.string(), at: z.string() })),
    shipments: z.array(
      z.object({
        id: z.string(),
        lotId: z.string(),
        from: Party,
        to: Party,
        quantity: z.number().nullable(),
        unit: z.string().nullable(),
        status: z.enum(["pending", "received"]),
        shippedAt: z.string(),
        receivedAt: z.string().nullable(),
        receivedLotId: z.string().nullable(),
      }),
    ),
    tests: z.array(z.object({ id: z.string(), lotId: z.string(), kind: z.string(), method: z.string(), testedAt: z.string(), verdict: z.string(), lab: z.string().nullable(), reportNo: z.string().nullable() })),
    inputs: z.array(
      z.object({
        recordId: z.string(),
        lotId: z.string().nullable(),
        siteId: z.string().nullable(),
        inputName: z.string(),
        inputType: z.string(),
        registrationNo: z.string().nullable(),
        activeIngredients: z.array(z.string()),
        dose: z.string().nullable(),
        appliedOn: z.string(),
        operator: z.string().nullable(),
      }),
    ),
  })
  .openapi("Trace");
