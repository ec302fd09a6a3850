import { and, asc, eq, gt, inArray, or, sql, type SQL } from "drizzle-orm";
import { canRead, type Principal, requireParty, requireRole, roleOfKind } from "../auth/principal";
import type { AppDeps } from "../deps";
import type { Database } from "../db/client";
import { eventLots, events, lotBalances, lotLinks, lots, parties, shipments, sites } from "../db/schema";
import { derivedId, fromMilli, type LinkKind, measureOf, planShipment, receivingEvent, shippingEvent } from "../domain/genealogy";
import { chinaDate, uuidv7 } from "../domain/ids";
import { problems } from "../http/problem";
import { toPage } from "../http/pagination";
import { epochMs, rowsOf } from "../db/rows";
import {
  balanceOf,
  epcisJson,
  eventByHash,
  eventInstant,
  eventRow,
  isDuplicateEvent,
  isDuplicateLotCode,
  isOverConsumption,
  liveCertificateUrls,
  loadHeldLots,
  lotsHeldBy,
  MAX_DEPTH,
  overConsumedNow,
  planOrThrow,
  readableLot,
  type StoredEpcisEvent,
  lotWalk,
} from "./genealogy";

/**
 * Custody: goods handed from one party to another. A shipment takes its quantity from the shipper's lot at once (the
 * goods have left); the receiver's arrival makes a lot of its own, linked to the shipped one by a transfer edge, so
 * the receiver can split or merge what it got and every later trace still reaches the farm.
 */

export type ShipmentRow = typeof shipments.$inferSelect;

const SHIPPERS = ["producer", "buyer"] as const;
const RECEIVERS = ["buyer", "market"] as const;
const READERS = ["admin", "regulator", "producer", "buyer", "market", "lab"] as const;

export interface ShipmentResult {
  shipment: ShipmentRow;
  event: StoredEpcisEvent;
  replayed: boolean;
}

export async function createShipment(
  deps: AppDeps,
  principal: Principal | null,
  input: { lotId: string; quantity: number; unit: string; toPartyId: string; toSiteId?: string | undefined; shippedAt: string },
): Promise<ShipmentResult> {
  const p = requireParty(principal, SHIPPERS);
  const [lot] = await lotsHeldBy(deps.db, p.partyId, [{ path: "lotId", lotId: input.lotId }]);
  const at = eventInstant(deps, input.shippedAt, "shippedAt");
  const [receiver] = await deps.db.select({ id: parties.id, kind: parties.kind }).from(parties).where(eq(parties.id, input.toPartyId));
  const errors: { path: string; message: string }[] = [];
  if (receiver === undefined || receiver.id === p.partyId || !(RECEIVERS as readonly string[]).includes(roleOfKind(receiver.kind))) {
    errors.push({ path: "toPartyId", message: "is not a registered buyer or market other than you" });
  } else if (input.toSiteId !== undefined) {
    const [site] = await deps.db.select({ id: sites.id }).from(sites).where(and(eq(sites.id, input.toSiteId), eq(sites.partyId, receiver.id)));
    if (site === undefined) errors.push({ path: "toSiteId", message: "is not a site of the receiving party" });
  }
  if (errors.length > 0) throw problems.validation(errors);
  const plan = planOrThrow(planShipment(balanceOf(lot!), input.quantity, input.unit));
  const take = plan.takes[0]!;

  const event = shippingEvent(deps.publicUrl, {
    at,
    lot: { lotId: lot!.id, quantity: input.quantity, ...measureOf(input.unit, undefined, [lot!]) },
    fromPartyId: p.partyId,
    fromSiteId: lot!.siteId,
    toPartyId: input.toPartyId,
    toSiteId: input.toSiteId ?? null,
    certificates: await liveCertificateUrls(deps, deps.db, [lot!.id]),
  });
  const row = eventRow(deps, event, p.partyId);
  const replay = async (): Promise<ShipmentResult | undefined> => {
    const existing = await eventByHash(deps.db, row.hashId);
    if (existing === undefined) return undefined;
    const [shipment] = await deps.db.select().from(shipments).where(eq(shipments.shipEventId, existing.id));
    if (shipment === undefined || shipment.fromPartyId !== p.partyId) throw problems.conflict("event-exists", "an identical event was recorded by another party");
    return { shipment, event: epcisJson(existing), replayed: true };
  };
  const earlier = await replay();
  if (earlier !== undefined) return earlier;

  const now = deps.clock();
  const shipment: ShipmentRow = {
    id: uuidv7(now, deps.randomBytes),
    lotId: lot!.id,
    fromPartyId: p.partyId,
    fromSiteId: lot!.siteId,
    toPartyId: input.toPartyId,
    toSiteId: input.toSiteId ?? null,
    quantity: input.quantity,
    unit: input.unit,
    lotQuantity: fromMilli(take.quantity),
    status: "pending",
    shippedAt: at,
    shipEventId: row.id,
    receivedAt: null,
    receiveEventId: null,
    receivedLotId: null,
    createdAt: now,
  };
  try {
    await deps.db.transaction(async (tx) => {
      await tx.insert(events).values(row);
      await tx.insert(eventLots).values({ lotId: lot!.id, eventId: row.id, role: "object" });
      // The trigger on shipments takes lot_quantity from the lot; the balance check refuses over-consumption.
      await tx.insert(shipments).values(shipment);
    });
  } catch (err) {
    if (isDuplicateEvent(err)) {
      const raced = await replay();
      if (raced !== undefined) return raced;
    }
    if (isOverConsumption(err)) throw await overConsumedNow(deps.db, [{ ...take, path: "quantity" }]);
    throw err;
  }
  return { shipment, event: epcisJson(row), replayed: false };
}

export interface ReceiptResult extends ShipmentResult {
  lotId: string;
}

class AlreadyReceived extends Error {}

/**
 * The receiver records the arrival: a lot of its own, linked to the shipped lot by a transfer edge (which takes
 * nothing more: the shipment already did), and a receiving event. Receiving twice answers with the first receipt.
 */
export async function receiveShipment(
  deps: AppDeps,
  principal: Principal | null,
  shipmentId: string,
  input: { receivedAt?: string | undefined; siteId?: string | undefined; code?: string | undefined },
): Promise<ReceiptResult> {
  const p = requireParty(principal, RECEIVERS);
  const [shipment] = await deps.db.select().from(shipments).where(and(eq(shipments.id, shipmentId), eq(shipments.toPartyId, p.partyId)));
  if (shipment === undefined) throw problems.notFound(`shipment ${shipmentId}`);
  if (shipment.status === "received") return receipt(deps.db, shipment);

  const at = eventInstant(deps, input.receivedAt, "receivedAt");
  const errors: { path: string; message: string }[] = [];
  if (at < shipment.shippedAt) errors.push({ path: "receivedAt", message: `is before the goods were shipped (${shipment.shippedAt.toISOString()})` });
  if (input.siteId !== undefined) {
    const [site] = await deps.db.select({ id: sites.id }).from(sites).where(and(eq(sites.id, input.siteId), eq(sites.partyId, p.partyId)));
    if (site === undefined) errors.push({ path: "siteId", message: "is not one of your sites" });
  }
  if (errors.length > 0) throw problems.validation(errors);
  const shipped = (await loadHeldLots(deps.db, [shipment.lotId])).get(shipment.lotId)!;
  const measure = measureOf(shipment.unit, undefined, [shipped]);
  const siteId = input.siteId ?? shipment.toSiteId;
  const receivedLotId = derivedId(`receive#${shipment.id}`, at);
  const event = receivingEvent(deps.publicUrl, {
    at,
    lot: { lotId: shipped.id, quantity: shipment.quantity, ...measure },
    fromPartyId: shipment.fromPartyId,
    fromSiteId: shipment.fromSiteId,
    toPartyId: p.partyId,
    toSiteId: siteId,
    certificates: await liveCertificateUrls(deps, deps.db, [shipped.id]),
    receivedLotId,
  });
  const row = eventRow(deps, event, p.partyId);
  const now = deps.clock();
  try {
    await deps.db.transaction(async (tx) => {
      await tx.insert(events).values(row);
      await tx.insert(lots).values({
        id: receivedLotId,
        partyId: p.partyId,
        productId: shipped.productId,
        siteId,
        code: input.code ?? `${chinaDate(at).replaceAll("-", "")}-${receivedLotId.slice(-6).toUpperCase()}`,
        quantity: shipment.quantity,
        unit: shipment.unit,
        certifiedQuantity: 0,
        harvestedOn: shipped.harvestedOn,
        createdAt: now,
      });
      await tx.insert(lotBalances).values({ lotId: receivedLotId, quantity: shipment.quantity, consumedQuantity: 0, packageWeightKg: measure.packageWeightKg });
      await tx.insert(eventLots).values([
        { lotId: shipped.id, eventId: row.id, role: "input" },
        { lotId: receivedLotId, eventId: row.id, role: "output" },
      ]);
      await tx.insert(lotLinks).values({ parentLotId: shipped.id, childLotId: receivedLotId, quantity: shipment.lotQuantity, kind: "transfer", eventId: row.id, createdAt: now });
      // Taken last and conditionally: of two concurrent receipts, the one that finds the shipment already received
      // rolls back everything it wrote.
      const updated = await tx
        .update(shipments)
        .set({ status: "received", receivedAt: at, receiveEventId: row.id, receivedLotId })
        .where(and(eq(shipments.id, shipment.id), eq(shipments.status, "pending")))
        .returning({ id: shipments.id });
      if (updated.length === 0) throw new AlreadyReceived();
    });
  } catch (err) {
    if (err instanceof AlreadyReceived || isDuplicateEvent(err)) {
      const [fresh] = await deps.db.select().from(shipments).where(eq(shipments.id, shipment.id));
      if (fresh?.status === "received") return receipt(deps.db, fresh);
    }
    if (isDuplicateLotCode(err)) throw problems.conflict("duplicate-lot-code", `you already have a lot with code ${input.code}`);
    throw err;
  }
  const [fresh] = await deps.db.select().from(shipments).where(eq(shipments.id, shipment.id));
  return { shipment: fresh!, event: epcisJson(row), lotId: receivedLotId, replayed: false };
}

async function receipt(db: Database, shipment: ShipmentRow): Promise<ReceiptResult> {
  const [event] = await db.select().from(events).where(eq(events.id, shipment.receiveEventId!));
  return { shipment, event: epcisJson(event!), lotId: shipment.receivedLotId!, replayed: true };
}

/** A shipment its sender or receiver may see (and admins, and regulators of either's region). */
export async function getShipment(deps: AppDeps, principal: Principal | null, id: string): Promise<ShipmentRow> {
  const p = requireRole(principal, READERS);
  const [shipment] = await deps.db.select().from(shipments).where(eq(shipments.id, id));
  if (shipment === undefined) throw problems.notFound(`shipment ${id}`);
  const ends = await deps.db
    .select({ partyId: parties.id, regionCode: parties.regionCode })
    .from(parties)
    .where(inArray(parties.id, [shipment.fromPartyId, shipment.toPartyId]));
  if (!ends.some((end) => canRead(p, end))) throw problems.notFound(`shipment ${id}`);
  return shipment;
}

export async function listShipments(
  deps: AppDeps,
  principal: Principal | null,
  q: { direction: "incoming" | "outgoing" | "all"; status?: "pending" | "received" | undefined; limit: number; cursor?: string | undefined },
) {
  const p = requireParty(principal, ["producer", "buyer", "market"]);
  const where: SQL[] = [];
  const mine =
    q.direction === "incoming"
      ? eq(shipments.toPartyId, p.partyId)
      : q.direction === "outgoing"
        ? eq(shipments.fromPartyId, p.partyId)
        : or(eq(shipments.toPartyId, p.partyId), eq(shipments.fromPartyId, p.partyId));
  if (mine !== undefined) where.push(mine);
  if (q.status !== undefined) where.push(eq(shipments.status, q.status));
  if (q.cursor !== undefined) where.push(gt(shipments.id, q.cursor));
  const rows = await deps.db.select().from(shipments).where(and(...where)).orderBy(asc(shipments.id)).limit(q.limit + 1);
  return toPage(rows, q.limit);
}

export function shipmentView(row: ShipmentRow) {
  return {
    ...row,
    shippedAt: row.shippedAt.toISOString(),
    receivedAt: row.receivedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

// ── Custody chain ───────────────────────────────────────────────────────────────────────────────────────────────

export interface CustodyEntry {
  lotId: string;
  lotCode: string;
  party: { id: string; name: string; kind: string };
  site: { id: string; name: string; regionCode: string } | null;
  /** How the holder came to hold this lot: it recorded it (origin), made it from other lots, or received it. */
  how: "origin" | LinkKind;
  eventId: string | null;
  /** From when the holder held it: the event that made it, or when an origin lot was recorded. */
  since: string;
  /** Until its goods went on toward the lot asked about; null for that lot itself. */
  until: string | null;
  /** Generations above the lot asked about (0 is the lot itself). */
  depth: number;
}

/**
 * Who held the goods of a lot, and when: the lot and every lot it came from (within `maxDepth` generations), farthest
 * generation first, then by time. Merges make this a tree; for a single line the list reads as its chain, even where
 * a lot was recorded after its goods had moved on (a shipment entered with an earlier time than the lot itself).
 */
export async function custodyChain(deps: Pick<AppDeps, "db">, lotId: string, maxDepth = MAX_DEPTH): Promise<CustodyEntry[]> {
  // One statement: a scan reads the chain of every certificate it shows. A lot's goods left it when the first lot
  // made from it was made, or, handed over, when they were shipped (not when the receiver recorded them).
  const rows = rowsOf<CustodyRow>(
    await deps.db.execute(sql`
      WITH RECURSIVE ${lotWalk([lotId], "up", maxDepth)},
      chain AS (SELECT lot_id, min(depth)::int AS depth FROM walk GROUP BY lot_id),
      moves AS (
        SELECT l.parent_lot_id AS parent, l.child_lot_id AS child, l.kind, l.event_id, e.event_time AS made_at,
          CASE WHEN l.kind = 'transfer'
            THEN coalesce((SELECT min(sh.shipped_at) FROM shipments sh WHERE sh.received_lot_id = l.child_lot_id), e.event_time)
            ELSE e.event_time END AS left_at
        FROM lot_links l JOIN chain c ON c.lot_id = l.child_lot_id JOIN events e ON e.id = l.event_id
      )
      SELECT lo.id, lo.code, p.id AS "partyId", p.name AS "partyName", p.kind AS "partyKind",
        s.id AS "siteId", s.name AS "siteName", s.region_code AS "siteRegion", c.depth, made.kind AS how, made.event_id AS "eventId",
        ${epochMs(sql`coalesce(made.made_at, lo.created_at)`)} AS since,
        ${epochMs(sql`(SELECT min(m.left_at) FROM moves m WHERE m.parent = lo.id)`)} AS until
      FROM chain c JOIN lots lo ON lo.id = c.lot_id JOIN parties p ON p.id = lo.party_id LEFT JOIN sites s ON s.id = lo.site_id
      LEFT JOIN LATERAL (SELECT m.kind, m.event_id, m.made_at FROM moves m WHERE m.child = lo.id ORDER BY m.made_at DESC, m.parent LIMIT 1) made ON true`),
  );
  const entries = rows.map(
    (r): CustodyEntry => ({
      lotId: r.id,
      lotCode: r.code,
      party: { id: r.partyId, name: r.partyName, kind: r.partyKind },
      site: r.siteId === null ? null : { id: r.siteId, name: r.siteName!, regionCode: r.siteRegion! },
      how: r.how ?? "origin",
      eventId: r.eventId,
      since: new Date(Number(r.since)).toISOString(),
      until: r.until === null ? null : new Date(Number(r.until)).toISOString(),
      depth: Number(r.depth),
    }),
  );
  return entries.sort((a, b) => b.depth - a.depth || (a.since === b.since ? 0 : a.since < b.since ? -1 : 1));
}

interface CustodyRow {
  id: string;
  code: string;
  partyId: string;
  partyName: string;
  partyKind: string;
  siteId: string | null;
  siteName: string | null;
  siteRegion: string | null;
  depth: number;
  how: LinkKind | null;
  eventId: string | null;
  since: number | string;
  until: number | string | null;
}

/** The custody chain of a lot the caller may read. */
export async function lotCustody(deps: AppDeps, principal: Principal | null, lotId: string): Promise<CustodyEntry[]> {
  const p = requireRole(principal, READERS);
  await readableLot(deps.db, p, lotId);
  return custodyChain(deps, lotId);
}
