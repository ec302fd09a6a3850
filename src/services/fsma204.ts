import { asc, eq, inArray } from "drizzle-orm";
import { type Principal, requireRole } from "../auth/principal";
import type { AppDeps } from "../deps";
import { events, lotLinks, lots, parties, products, sites } from "../db/schema";
import { compareRows, describeLocation, type KdeRow, kdeRows, withinDates } from "../domain/fsma204/kde-rows";
import { regionCovers } from "../domain/region";
import { problems } from "../http/problem";
import { type Trace, traceOf } from "./trace";

/** Who may ask: the parties that hold the lots, and regulators (their region) and admins. */
const EXPORTERS = ["admin", "regulator", "producer", "buyer", "market"] as const;
/** A product-and-dates request covers at most this many lots; `truncated` says when there were more. */
export const MAX_PRODUCT_LOTS = 500;

export interface Fsma204Export {
  rows: KdeRow[];
  truncated: boolean;
}

/** Lots the caller may export: its own, or any in its region for a regulator, or all for an admin. */
function exportable(p: Principal, lot: { partyId: string; regionCode: string }): boolean {
  if (p.role === "admin") return true;
  if (p.role === "regulator") return p.regionCode !== null && regionCovers(p.regionCode, lot.regionCode);
  return p.partyId === lot.partyId;
}

/** Every CTE of the lots with this traceability lot code, and of the lots they came from and went to. */
export async function fsma204ForTlc(deps: AppDeps, principal: Principal | null, tlc: string): Promise<Fsma204Export> {
  const p = requireRole(principal, EXPORTERS);
  const found = await deps.db
    .select({ id: lots.id, partyId: lots.partyId, regionCode: parties.regionCode })
    .from(lots)
    .innerJoin(parties, eq(parties.id, lots.partyId))
    .where(eq(lots.code, tlc))
    .orderBy(asc(lots.id));
  const mine = found.filter((l) => exportable(p, l));
  if (mine.length === 0) throw problems.notFound(`traceability lot code ${tlc}`);
  const traces = await Promise.all(mine.map((l) => traceOf(deps, p, { lotId: l.id })));
  return { rows: await rowsOf(deps, traces), truncated: traces.some((t) => t.truncated) };
}

/** The CTEs of a product's lots dated within [from, to] (China dates, inclusive). */
export async function fsma204ForProduct(deps: AppDeps, principal: Principal | null, productId: string, from: string, to: string): Promise<Fsma204Export> {
  const p = requireRole(principal, EXPORTERS);
  const [product] = await deps.db
    .select({ partyId: products.partyId, regionCode: parties.regionCode })
    .from(products)
    .innerJoin(parties, eq(parties.id, products.partyId))
    .where(eq(products.id, productId));
  if (product === undefined || !exportable(p, product)) throw problems.notFound(`product ${productId}`);
  // Lots of the product held by others (received goods keep the grower's product) are theirs to export.
  const found = (
    await deps.db
      .select({ id: lots.id, partyId: lots.partyId, regionCode: parties.regionCode })
      .from(lots)
      .innerJoin(parties, eq(parties.id, lots.partyId))
      .where(eq(lots.productId, productId))
      .orderBy(asc(lots.id))
      .limit(MAX_PRODUCT_LOTS * 4)
  ).filter((l) => exportable(p, l));
  const kept = found.slice(0, MAX_PRODUCT_LOTS);
  const ids = new Set(kept.map((l) => l.id));
  // One generation either side is enough to say where each lot came from and where it went.
  const traces = await Promise.all(kept.map((l) => traceOf(deps, p, { lotId: l.id }, { depth: 1 })));
  const rows = (await rowsOf(deps, traces)).filter((r) => ids.has(r.lotId));
  return { rows: withinDates(rows, from, to), truncated: found.length > MAX_PRODUCT_LOTS };
}

/** The TLC and its source for lots shipped to a visible lot from a lot the reader may not see in full. */
async function shippedAs(deps: AppDeps, trace: Trace): Promise<Map<string, { tlc: string; tlcSource: string }>> {
  const visible = new Set(trace.nodes.filter((n) => n.visible).map((n) => n.lotId));
  const hidden = [...new Set(trace.shipments.filter((s) => s.receivedLotId !== null && visible.has(s.receivedLotId) && !visible.has(s.lotId)).map((s) => s.lotId))];
  if (hidden.length === 0) return new Map();
  const rows = await deps.db
    .select({ id: lots.id, code: lots.code, party: parties, site: sites })
    .from(lots)
    .innerJoin(parties, eq(parties.id, lots.partyId))
    .leftJoin(sites, eq(sites.id, lots.siteId))
    .where(inArray(lots.id, hidden));
  return new Map(
    rows.map((r) => [
      r.id,
      {
        tlc: r.code,
        tlcSource: describeLocation(r.party, r.site === null ? null : { name: r.site.name, regionCode: r.site.regionCode, address: r.site.address }),
      },
    ]),
  );
}

/** The trace's parentless-looking lots that do have parents, beyond the depth the trace walked. */
async function madeFrom(deps: AppDeps, trace: Trace): Promise<Set<string>> {
  const withParents = new Set(trace.edges.map((e) => e.to));
  const unsure = trace.nodes.filter((n) => n.visible && !withParents.has(n.lotId)).map((n) => n.lotId);
  if (unsure.length === 0) return new Set();
  const rows = await deps.db.selectDistinct({ id: lotLinks.childLotId }).from(lotLinks).where(inArray(lotLinks.childLotId, unsure));
  return new Set(rows.map((r) => r.id));
}

/** KDE rows of several traces, each row once, with the genealogy edges named by their EPCIS eventIDs. */
async function rowsOf(deps: AppDeps, traces: readonly Trace[]): Promise<KdeRow[]> {
  const edgeEventIds = [...new Set(traces.flatMap((t) => t.edges.map((e) => e.eventId)))];
  const hashes =
    edgeEventIds.length === 0
      ? new Map<string, string>()
      : new Map(
          (await deps.db.select({ id: events.id, hashId: events.hashId, eventId: events.eventId }).from(events).where(inArray(events.id, edgeEventIds))).map((e) => [
            e.id,
            e.eventId ?? e.hashId,
          ]),
        );
  const seen = new Set<string>();
  const rows: KdeRow[] = [];
  for (const trace of traces) {
    const source = {
      lots: trace.nodes,
      edges: trace.edges.map((e) => ({ ...e, eventId: hashes.get(e.eventId) ?? e.eventId })),
      shipments: trace.shipments,
      shippedAs: await shippedAs(deps, trace),
      madeFrom: await madeFrom(deps, trace),
    };
    for (const row of kdeRows(source)) {
      const key = JSON.stringify(row);
      if (!seen.has(key)) {
        seen.add(key);
        rows.push(row);
      }
    }
  }
  return rows.sort(compareRows);
}
