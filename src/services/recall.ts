import { and, asc, desc, eq, gt, like, type SQL, sql } from "drizzle-orm";
import { type Principal, requireRole } from "../auth/principal";
import type { AppDeps } from "../deps";
import { lots, parties, recalls } from "../db/schema";
import { uuidv7 } from "../domain/ids";
import { regionCovers, regionPrefix } from "../domain/region";
import { problems } from "../http/problem";
import { MAX_DEPTH } from "./genealogy";
import { rowsOf } from "../db/rows";
import { lotIdSet } from "./lot-sets";

/**
 * Recalls: a regulator stops a lot and everything made from it. Only the recall itself is stored; whether a lot is
 * recalled is read by walking up its genealogy (verify, the market gate), so a hub lot's recall is one row however
 * many lots descend from it, and lots made later from a recalled lot are recalled too.
 */

export type RecallRow = typeof recalls.$inferSelect;

export interface ActiveRecall {
  recallId: string;
  /** The lot the recall was placed on: the lot asked about, or one of its ancestors. */
  recalledLotId: string;
  reason: string;
  recalledAt: string;
}

/** Depth of the upward walk on each scan and gate check: the same cap the genealogy routes allow. */
export const LINEAGE_DEPTH = MAX_DEPTH;

function activeRecall(r: { recall_id: string; recalled_lot_id: string; reason: string; recalled_at: Date | string }): ActiveRecall {
  return { recallId: r.recall_id, recalledLotId: r.recalled_lot_id, reason: r.reason, recalledAt: new Date(r.recalled_at).toISOString() };
}

/**
 * A lot's lineage (itself and its ancestors within `LINEAGE_DEPTH` generations) and the active recalls on any of
 * them, in one statement: verify pays one extra query for inheritance of both recalls and failures.
 */
export async function lineageOf(deps: Pick<AppDeps, "db">, lotId: string): Promise<{ lotIds: string[]; recalls: ActiveRecall[] }> {
  const result = await deps.db.execute(sql`
    WITH RECURSIVE up(lot_id, depth) AS (
      SELECT ${lotId}::text, 0
      UNION
      SELECT l.parent_lot_id, u.depth + 1 FROM up u JOIN lot_links l ON l.child_lot_id = u.lot_id WHERE u.depth < ${LINEAGE_DEPTH}
    ), lineage AS (SELECT lot_id, min(depth) AS depth FROM up GROUP BY lot_id)
    SELECT g.lot_id, g.depth, r.id AS recall_id, r.lot_id AS recalled_lot_id, r.reason, r.recalled_at
    FROM lineage g LEFT JOIN recalls r ON r.lot_id = g.lot_id AND r.status = 'active'
    ORDER BY g.depth, g.lot_id, r.recalled_at`);
  const rows = rowsOf<{ lot_id: string; recall_id: string | null; recalled_lot_id: string; reason: string; recalled_at: Date | string }>(result);
  const lotIds = [...new Set(rows.map((r) => r.lot_id))];
  const found = rows.filter((r): r is typeof r & { recall_id: string } => r.recall_id !== null).map(activeRecall);
  return { lotIds: lotIds.length === 0 ? [lotId] : lotIds, recalls: found };
}

/**
 * For the market gate and the scan page: the active recalls reaching each of `lotIds` (on the lot itself or on any
 * ancestor within `LINEAGE_DEPTH` generations). Lots under no recall are absent from the map.
 */
export async function activeRecallsFor(deps: Pick<AppDeps, "db">, lotIds: readonly string[]): Promise<Map<string, ActiveRecall[]>> {
  const out = new Map<string, ActiveRecall[]>();
  if (lotIds.length === 0) return out;
  const result = await deps.db.execute(sql`
    WITH RECURSIVE up(origin, lot_id, depth) AS (
      SELECT id, id, 0 FROM ${lotIdSet([...new Set(lotIds)])} AS s(id)
      UNION
      SELECT u.origin, l.parent_lot_id, u.depth + 1 FROM up u JOIN lot_links l ON l.child_lot_id = u.lot_id WHERE u.depth < ${LINEAGE_DEPTH}
    )
    SELECT DISTINCT u.origin, r.id AS recall_id, r.lot_id AS recalled_lot_id, r.reason, r.recalled_at
    FROM up u JOIN recalls r ON r.lot_id = u.lot_id AND r.status = 'active'
    ORDER BY u.origin, r.recalled_at`);
  for (const r of rowsOf<{ origin: string; recall_id: string; recalled_lot_id: string; reason: string; recalled_at: Date | string }>(result)) {
    const list = out.get(r.origin) ?? [];
    list.push(activeRecall(r));
    out.set(r.origin, list);
  }
  return out;
}

// ── Who holds what: the affected set of a recall ───────────────────────────────────────────────────────────────

export interface AffectedReceiver {
  party: { id: string; name: string; kind: string; contactName: string | null; phone: string; regionCode: string; address: string | null };
  /** `shipmentId` names a shipment, or a market receipt when `via` is market_receipt. */
  shipments: { shipmentId: string; via: "shipment" | "market_receipt"; lotId: string; quantity: number; unit: string; shippedAt: string; receivedAt: string | null; status: "pending" | "received" }[];
  /** All shipments to this party; `shipments` lists the first 20. */
  shipmentCount: number;
  /** Summed per unit: shipments may be counted in kg and in 箱. */
  totals: { quantity: number; unit: string }[];
  firstShippedAt: string;
  lastShippedAt: string;
}

export interface AffectedSet {
  lotIds: string[];
  certificateCodes: string[];
  receivers: AffectedReceiver[];
  /** True when the walk stopped at the depth cap with lots still below. */
  depthCapped: boolean;
}

/** The recalled lot, every lot made from it, their certificates, and every party that goods from any of them were sent to. */
export async function affectedBy(deps: Pick<AppDeps, "db">, lotId: string): Promise<AffectedSet> {
  // One statement: the walk is done once and shared by the three answers, which matters for a hub lot.
  const result = await deps.db.execute(sql`
    WITH RECURSIVE down(lot_id, depth) AS (
      SELECT ${lotId}::text, 0
      UNION
      SELECT l.child_lot_id, d.depth + 1 FROM down d JOIN lot_links l ON l.parent_lot_id = d.lot_id WHERE d.depth < ${MAX_DEPTH}
    ), ids AS (SELECT lot_id, min(depth) AS depth FROM down GROUP BY lot_id),
    -- Goods reach a party by a recorded shipment or over a market's gate (a receipt the market accepted or held).
    movements AS (
      SELECT s.id, s.lot_id, s.quantity, s.unit, s.shipped_at, s.received_at, s.status, s.to_party_id, 'shipment' AS via
      FROM shipments s JOIN ids ON ids.lot_id = s.lot_id
      UNION ALL
      SELECT r.id, r.lot_id, r.quantity, r.unit, r.received_at, r.received_at, 'received', r.market_id, 'market_receipt'
      FROM market_receipts r JOIN ids ON ids.lot_id = r.lot_id WHERE r.decision <> 'reject'
    )
    SELECT
      -- Unordered: sorting 30,000 ids of a hub lot's recall costs more than the rest of the statement's aggregates.
      (SELECT coalesce(json_agg(lot_id), '[]') FROM ids)::text AS lots,
      (SELECT coalesce(max(depth), 0) FROM ids)::int AS max_depth,
      (SELECT coalesce(json_agg(c.code), '[]') FROM certificates c JOIN ids ON ids.lot_id = c.lot_id)::text AS codes,
      -- At most 20 shipments per receiver are listed one by one; totals and counts cover them all.
      (SELECT coalesce(json_agg(json_build_object(
          'id', x.id, 'lot_id', x.lot_id, 'quantity', x.quantity, 'unit', x.unit, 'shipped_at', x.shipped_at, 'received_at', x.received_at,
          'status', x.status, 'via', x.via, 'party_id', p.id, 'name', p.name, 'kind', p.kind, 'contact_name', p.contact_name, 'phone', p.phone,
          'region_code', p.region_code, 'address', p.address) ORDER BY p.id, x.shipped_at, x.id), '[]')
       FROM (SELECT m.*, row_number() OVER (PARTITION BY m.to_party_id ORDER BY m.shipped_at, m.id) AS n
             FROM movements m) x JOIN parties p ON p.id = x.to_party_id WHERE x.n <= 20)::text AS shipments,
      (SELECT coalesce(json_agg(json_build_object('party_id', t.to_party_id, 'unit', t.unit, 'quantity', t.quantity, 'count', t.n,
          'first', t.first, 'last', t.last)), '[]')
       FROM (SELECT s.to_party_id, s.unit, sum(s.quantity) AS quantity, count(*) AS n, min(s.shipped_at) AS first, max(s.shipped_at) AS last
             FROM movements s GROUP BY 1, 2) t)::text AS totals`);
  const [row] = rowsOf<{ lots: string; max_depth: number; codes: string; shipments: string; totals: string }>(result);
  type ShipRow = {
    id: string; lot_id: string; quantity: string | number; unit: string; shipped_at: string; received_at: string | null; status: "pending" | "received";
    via: "shipment" | "market_receipt"; party_id: string; name: string; kind: string; contact_name: string | null; phone: string; region_code: string; address: string | null;
  };
  const byParty = new Map<string, AffectedReceiver>();
  for (const s of JSON.parse(row?.shipments ?? "[]") as ShipRow[]) {
    const shippedAt = new Date(s.shipped_at).toISOString();
    let entry = byParty.get(s.party_id);
    if (entry === undefined) {
      entry = {
        party: { id: s.party_id, name: s.name, kind: s.kind, contactName: s.contact_name, phone: s.phone, regionCode: s.region_code, address: s.address },
        shipments: [],
        shipmentCount: 0,
        totals: [],
        firstShippedAt: shippedAt,
        lastShippedAt: shippedAt,
      };
      byParty.set(s.party_id, entry);
    }
    entry.shipments.push({ shipmentId: s.id, via: s.via, lotId: s.lot_id, quantity: Number(s.quantity), unit: s.unit, shippedAt, receivedAt: s.received_at === null ? null : new Date(s.received_at).toISOString(), status: s.status });
  }
  for (const t of JSON.parse(row?.totals ?? "[]") as { party_id: string; unit: string; quantity: string | number; count: number; first: string; last: string }[]) {
    const entry = byParty.get(t.party_id);
    if (entry === undefined) continue;
    entry.totals.push({ quantity: Number(t.quantity), unit: t.unit });
    entry.shipmentCount += Number(t.count);
    const first = new Date(t.first).toISOString();
    const last = new Date(t.last).toISOString();
    if (first < entry.firstShippedAt) entry.firstShippedAt = first;
    if (last > entry.lastShippedAt) entry.lastShippedAt = last;
  }
  return {
    lotIds: JSON.parse(row?.lots ?? "[]") as string[],
    certificateCodes: JSON.parse(row?.codes ?? "[]") as string[],
    receivers: [...byParty.values()],
    depthCapped: Number(row?.max_depth ?? 0) >= MAX_DEPTH,
  };
}

// ── Recall records ──────────────────────────────────────────────────────────────────────────────────────────────

const RECALLERS = ["regulator", "admin"] as const;

async function lotInRegion(deps: AppDeps, p: Principal, lotId: string, path: string): Promise<{ id: string; regionCode: string }> {
  const [lot] = await deps.db
    .select({ id: lots.id, regionCode: parties.regionCode })
    .from(lots)
    .innerJoin(parties, eq(parties.id, lots.partyId))
    .where(eq(lots.id, lotId));
  const covered = lot !== undefined && (p.role === "admin" || (p.regionCode !== null && regionCovers(p.regionCode, lot.regionCode)));
  // A lot outside the regulator's region is answered as unknown, like any record of another region.
  if (!covered) throw problems.validation([{ path, message: "is not a lot in your region" }]);
  return lot;
}

async function notifyChanged(deps: AppDeps, codes: readonly string[]): Promise<void> {
  if (deps.onCertificateChanged === undefined) return;
  for (const code of codes) await deps.onCertificateChanged(code);
}

export async function createRecall(
  deps: AppDeps,
  principal: Principal | null,
  input: { lotId: string; reason: string; scope: "lot_and_descendants" },
): Promise<{ recall: RecallRow; affected: AffectedSet }> {
  const p = requireRole(principal, RECALLERS);
  const lot = await lotInRegion(deps, p, input.lotId, "lotId");
  const [existing] = await deps.db
    .select({ id: recalls.id })
    .from(recalls)
    .where(and(eq(recalls.lotId, lot.id), eq(recalls.status, "active")));
  if (existing !== undefined) throw problems.conflict("already-recalled", `lot ${lot.id} is already under recall ${existing.id}`, { recallId: existing.id });
  const affected = await affectedBy(deps, lot.id);
  const now = deps.clock();
  const row: RecallRow = {
    id: uuidv7(now, deps.randomBytes),
    lotId: lot.id,
    regionCode: lot.regionCode,
    reason: input.reason,
    scope: input.scope,
    status: "active",
    recalledAt: now,
    recalledBy: p.partyId,
    recalledByKey: p.keyId,
    affectedLots: affected.lotIds.length,
    affectedCertificates: affected.certificateCodes.length,
    liftedAt: null,
    liftReason: null,
    liftedBy: null,
    liftedByKey: null,
    createdAt: now,
  };
  await deps.db.insert(recalls).values(row);
  await notifyChanged(deps, affected.certificateCodes);
  return { recall: row, affected };
}

/** A recall the caller may see: admins, and regulators whose region covers the recalled lot's owner. */
export async function getRecall(deps: AppDeps, principal: Principal | null, id: string): Promise<RecallRow> {
  const p = requireRole(principal, RECALLERS);
  const [row] = await deps.db.select().from(recalls).where(eq(recalls.id, id));
  if (row === undefined || (p.role !== "admin" && (p.regionCode === null || !regionCovers(p.regionCode, row.regionCode)))) throw problems.notFound(`recall ${id}`);
  return row;
}

export async function listRecalls(
  deps: AppDeps,
  principal: Principal | null,
  q: { limit: number; cursor?: string | undefined; status?: "active" | "lifted" | undefined; lotId?: string | undefined },
) {
  const p = requireRole(principal, RECALLERS);
  const where: SQL[] = [];
  if (p.role === "regulator") where.push(like(recalls.regionCode, `${regionPrefix(p.regionCode ?? "")}%`));
  if (q.status !== undefined) where.push(eq(recalls.status, q.status));
  if (q.lotId !== undefined) where.push(eq(recalls.lotId, q.lotId));
  if (q.cursor !== undefined) where.push(gt(recalls.id, q.cursor));
  const rows = await deps.db.select().from(recalls).where(and(...where)).orderBy(asc(recalls.id)).limit(q.limit + 1);
  const items = rows.slice(0, q.limit);
  return { items, nextCursor: rows.length > q.limit ? (items.at(-1)?.id ?? null) : null };
}

/** Lifting keeps the recall and says who lifted it, when and why; the certificates show their own status again. */
export async function liftRecall(deps: AppDeps, principal: Principal | null, id: string, reason: string): Promise<{ recall: RecallRow; affected: AffectedSet }> {
  const current = await getRecall(deps, principal, id);
  const p = principal!;
  if (current.status !== "active") {
    throw problems.conflict("recall-lifted", `recall ${id} was already lifted on ${current.liftedAt?.toISOString() ?? "?"}`);
  }
  const now = deps.clock();
  const [updated] = await deps.db
    .update(recalls)
    .set({ status: "lifted", liftedAt: now, liftReason: reason, liftedBy: p.partyId, liftedByKey: p.keyId })
    .where(and(eq(recalls.id, id), eq(recalls.status, "active")))
    .returning();
  if (updated === undefined) throw problems.conflict("recall-lifted", `recall ${id} was lifted meanwhile`);
  const affected = await affectedBy(deps, updated.lotId);
  await notifyChanged(deps, affected.certificateCodes);
  return { recall: updated, affected };
}

/** Every recall placed on a lot, newest first, lifted ones included. */
export async function recallsOfLot(deps: Pick<AppDeps, "db">, lotId: string): Promise<RecallRow[]> {
  return deps.db.select().from(recalls).where(eq(recalls.lotId, lotId)).orderBy(desc(recalls.recalledAt));
}

export function recallView(row: RecallRow) {
  return {
    id: row.id,
    lotId: row.lotId,
    regionCode: row.regionCode,
    reason: row.reason,
    scope: row.scope,
    status: row.status,
    recalledAt: row.recalledAt.toISOString(),
    recalledBy: row.recalledBy,
    affectedLots: row.affectedLots,
    affectedCertificates: row.affectedCertificates,
    liftedAt: row.liftedAt?.toISOString() ?? null,
    liftReason: row.liftReason,
    liftedBy: row.liftedBy,
  };
}
