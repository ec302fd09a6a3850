import { z } from "@hono/zod-openapi";
import { EXCURSION_ACTIONS, MAX_READINGS_PER_REQUEST } from "../../domain/cold-chain";
import { ShortText } from "../../http/validators";

const LotId = z.string().min(1).max(64);
const ShipmentRef = ShortText(100).openapi({ description: "Your own reference for a shipment (waybill, truck and date …)" });
export const LoggerId = z
  .string()
  .regex(/^[\p{L}\p{N}._:\-/#]{1,100}$/u, "must be 1–100 letters, digits or . _ : - / #")
  .openapi({ example: "TL-0042", description: "The logger's serial or asset id" });

const oneTarget = (v: { lotId?: string | undefined; shipmentRef?: string | undefined }) => (v.lotId === undefined) !== (v.shipmentRef === undefined);
const oneTargetIssue = { path: ["lotId"], message: "give exactly one of lotId and shipmentRef" };

/**
 * Rows are checked by the handler, not by zod: a bad 50,000-row upload then gets the first 20 problems by line
 * rather than 50,000 issues, and the check costs far less per row.
 */
export const ReadingBatch = z
  .object({
    lotId: LotId.optional(),
    shipmentRef: ShipmentRef.optional(),
    loggerId: LoggerId,
    readings: z
      .array(z.unknown())
      .min(1, "must hold at least one reading")
      .max(MAX_READINGS_PER_REQUEST, `must hold at most ${MAX_READINGS_PER_REQUEST} readings`)
      .openapi({
        type: "array",
        items: {
          type: "object",
          required: ["at", "celsius"],
          properties: {
            at: { type: "string", format: "date-time", description: "ISO 8601 with offset" },
            celsius: { type: "number", minimum: -80, maximum: 80 },
          },
        },
        example: [{ at: "2026-11-19T08:00:00+08:00", celsius: 3.1 }],
      }),
  })
  .refine(oneTarget, oneTargetIssue)
  .openapi("ReadingBatch");

export const CsvQuery = z
  .object({
    lotId: LotId.optional(),
    shipmentRef: ShipmentRef.optional(),
    loggerId: LoggerId.optional().openapi({ description: "Logger of rows whose CSV has no loggerId column (or an empty cell)" }),
  })
  .refine(oneTarget, oneTargetIssue);

export const EpcisQuery = z.object({
  lotId: LotId.optional().openapi({ description: "The lot every event's readings belong to; otherwise taken from each event's lot number" }),
});

const Excursion = z
  .object({
    id: z.string(),
    lotId: z.string(),
    loggerId: z.string(),
    kind: z.enum(["out_of_range", "not_recovered"]),
    start: z.string(),
    end: z.string(),
    durationMinutes: z.number(),
    peakC: z.number(),
    maxDeviationC: z.number(),
    readings: z.number().int(),
    includesGap: z.boolean(),
    status: z.enum(["open", "closed", "void"]),
    disposition: z.enum(["released", "rejected"]).nullable(),
    closedAt: z.string().nullable(),
    actions: z.array(
      z.object({ id: z.string(), action: z.enum(EXCURSION_ACTIONS), note: z.string(), partyId: z.string().nullable(), at: z.string() }),
    ),
  })
  .openapi("ColdChainExcursion");
export { Excursion };

export const IngestResult = z
  .object({
    lotId: z.string().nullable(),
    shipmentRef: z.string().nullable(),
    received: z.number().int(),
    inserted: z.number().int(),
    duplicates: z.number().int(),
    loggers: z.array(z.string()),
    openExcursions: z.array(Excursion),
  })
  .openapi("ReadingIngestResult");

export const EpcisIngestResult = z
  .object({ received: z.number().int(), inserted: z.number().int(), duplicates: z.number().int(), lots: z.array(IngestResult) })
  .openapi("EpcisReadingIngestResult");

const Point = z.object({ at: z.string(), celsius: z.number() });

export const LotColdChain = z
  .object({
    lotId: z.string(),
    range: z
      .object({
        minC: z.number().nullable(),
        maxC: z.number().nullable(),
        transitMaxC: z.number().nullable(),
        handoverMaxC: z.number().nullable(),
        source: z.enum(["product", "category"]),
        profile: z.enum(["frozen", "chilled", "fresh"]).nullable(),
      })
      .nullable(),
    readings: z.number().int(),
    min: z.number().nullable(),
    max: z.number().nullable(),
    first: z.string().nullable(),
    last: z.string().nullable(),
    lastReading: z.object({ at: z.string(), celsius: z.number(), loggerId: z.string() }).nullable(),
    handover: z.object({ flagged: z.boolean(), limitC: z.number().nullable(), reason: z.string().nullable() }).nullable(),
    loggers: z.array(z.string()),
    gaps: z
      .array(z.object({ loggerId: z.string(), start: z.string(), end: z.string() }))
      .openapi({ description: "Stretches over twice the 10-minute log interval with no reading (newest 50): temperature unknown there" }),
    series: z.array(Point).openapi({ description: "At most 200 points; each keeps the most extreme reading of its stretch" }),
    excursions: z.array(Excursion),
    openExcursions: z.number().int(),
  })
  .openapi("LotColdChain");

export const NewExcursionAction = z
  .object({
    action: z.enum(EXCURSION_ACTIONS, { message: `must be one of ${EXCURSION_ACTIONS.join(", ")}` }),
    note: ShortText(1000),
  })
  .openapi("NewExcursionAction");
