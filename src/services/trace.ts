import { eq, type SQL, sql } from "drizzle-orm";
import { type Principal, requireRole } from "../auth/principal";
import type { AppDeps } from "../deps";
import { certificates, lots, parties } from "../db/schema";
import type { ApplicationData, ProductionRecordData } from "../domain/production/stored-records";
import { regionCovers, regionName } from "../domain/region";
import { problems } from "../http/problem";
import { DEFAULT_DEPTH, MAX_DEPTH } from "./genealogy";
import { rowsOf } from "../db/rows";
import { lotIdSet } from "./lot-sets";

/**
 * Trace (追溯): from one lot, back to the farms it came from and forward to every lot, certificate, buyer and market
 * it reached. Each direction is one recursive walk with a depth cap that keeps each lot once (no path enumeration);
 * everything shown about the lots is then read in parallel, one query per kind.
 */

export const DEFAULT_TRACE_DEPTH = DEFAULT_DEPTH * 2;
/** A trace larger than this lists the lots nearest the start and says it was truncated. */
export const MAX_TRACE_NODES = 5000;

const TRACERS = ["admin", "regulator", "producer", "buyer", "market"] as const;

export type TraceStart = { lotId: string } | { certificateId: string } | { code: string };

export interface TraceParty {
  id: string;
  name: string;
  kind: string;
  regionCode: string | null;
  regionName: string | null;
  contactName: string | null;
  phone: string | null;
  address: string | null;
}

export interface TraceNode {
  lotId: string;
  /** Negative above the start (its sources), 0 for the start, positive below (what was made from it or sent on). */
  layer: number;
  /** False in a party's reduced view for lots of other parties: only the holder and the product are shown. */
  visible: boolean;
  code: string | null;
  product: string;
  quantity: number | null;
  unit: string | null;
  harvestedOn: string | null;
  createdAt: string | null;
  party: TraceParty;
  site: { id: string; name: string; regionCode: string; address: string | null } | null;
  certificates: { id: string; code: string; quantity: number; unit: string; status: string; issuedAt: string }[];
  failed: boolean;
  recalled: boolean;
}

export interface TraceEdge {
  from: string;
  to: string;
  kind: string;
  quantity: number | null;
  unit: string | null;
  eventId: string;
  at: string;
}

export interface TraceShipment {
  id: string;
  lotId: string;
  from: TraceParty;
  to: TraceParty;
  quantity: number | null;
  unit: string | null;
  status: "pending" | "received";
  shippedAt: string;
  receivedAt: string | null;
  receivedLotId: string | null;
}

export interface TraceTest {
  id: string;
  lotId: string;
  kind: string;
  method: string;
  testedAt: string;
  verdict: string;
  lab: string | null;
  reportNo: string | null;
}

export interface TraceInput {
  recordId: string;
  lotId: string | null;
  siteId: string | null;
  inputName: string;
  inputType: string;
  registrationNo: string | null;
  activeIngredients: string[];
  dose: string | null;
  appliedOn: string;
  operator: string | null;
}

export interface Trace {
  start: { lotId: string; certificateId: string | null; code: string | null };
  view: "full" | "reduced";
  depth: number;
  truncated: boolean;
  nodes: TraceNode[];
  edges: TraceEdge[];
  shipments: TraceShipment[];
  tests: TraceTest[];
  inputs: TraceInput[];
}

async function resolveStart(deps: AppDeps, start: TraceStart): Promise<{ lotId: string; certificateId: string | null; code: string | null }> {
  if ("lotId" in start) return { lotId: start.lotId, certificateId: null, code: null };
  let where;
  if ("certificateId" in start) {
    where = eq(certificates.id, start.certificateId);
  } else {
    const normalized = deps.codeScheme.normalize(start.code);
    if (!normalized.ok) throw problems.validation([{ path: "query.code", message: normalized.message }]);
    where = eq(certificates.code, normalized.code);
  }
  const [cert] = await deps.db.select({ id: certificates.id, code: certificates.code, lotId: certificates.lotId }).from(certificates).where(where);
  if (cert === undefined) throw problems.notFound(`certificate ${"code" in start ? start.code : start.certificateId}`);
  return { lotId: cert.lotId, certificateId: cert.id, code: cert.code };
}

/** Admins and the regulators of the start lot's region see everything; the lot's owner sees a reduced view. */
async function viewFor(deps: AppDeps, p: Principal, lotId: string): Promise<"full" | "reduced"> {
  const [lot] = await deps.db
    .select({ partyId: lots.partyId, regionCode: parties.regionCode })
    .from(lots)
    .innerJoin(parties, eq(parties.id, lots.partyId))
    .where(eq(lots.id, lotId));
  if (lot !== undefined) {
    if (p.role === "admin") return "full";
    if (p.role === "regulator" && p.regionCode !== null && regionCovers(p.regionCode, lot.regionCode)) return "full";
    if (p.role !== "regulator" && p.partyId === lot.partyId) return "reduced";
  }
  throw problems.notFound(`lot ${lotId}`);
}

type NodeRow = {
  lot_id: string; layer: number; code: string; quantity: string | number; unit: string; harvested_on: string | Date; created_at: string | Date;
  product: string; party_id: string; party_name: string; party_kind: string; party_region: string; contact_name: string | null; phone: string; party_address: string | null;
  site_id: string | null; site_name: string | null; site_region: string | null; site_address: string | null;
};

const iso = (v: string | Date) => new Date(v).toISOString();
const day = (v: string | Date) => (typeof v === "string" ? v.slice(0, 10) : v.toISOString().slice(0, 10));

/** Both walks and the lots' own rows in one statement: ancestors get negative layers, descendants positive. */
async function walkBothWays(deps: AppDeps, lotId: string, depth: number, cap: number): Promise<NodeRow[]> {
  const result = await deps.db.execute(sql`
    WITH RECURSIVE
      up(lot_id, depth) AS (
        SELECT ${lotId}::text, 0
        UNION
        SELECT l.parent_lot_id, u.depth + 1 FROM up u JOIN lot_links l ON l.child_lot_id = u.lot_id WHERE u.depth < ${depth}
      ),
      down(lot_id, depth) AS (
        SELECT ${lotId}::text, 0
        UNION
        SELECT l.child_lot_id, d.depth + 1 FROM down d JOIN lot_links l ON l.parent_lot_id = d.lot_id WHERE d.depth < ${depth}
      ),
      walked AS (
        SELECT lot_id, -min(depth) AS layer FROM up GROUP BY lot_id
        UNION ALL
        SELECT lot_id, min(depth) AS layer FROM down WHERE lot_id <> ${lotId} GROUP BY lot_id
      ),
      kept AS (SELECT lot_id, layer FROM walked ORDER BY abs(layer), lot_id LIMIT ${cap + 1})
    SELECT k.lot_id, k.layer::int AS layer, lo.code, lo.quantity, lo.unit, lo.harvested_on, lo.created_at,
           pr.name AS product, pa.id AS party_id, pa.name AS party_name, pa.kind AS party_kind, pa.region_code AS party_region,
           pa.contact_name, pa.phone, pa.address AS party_address,
           si.id AS site_id, si.name AS site_name, si.region_code AS site_region, si.address AS site_address
    FROM kept k
    JOIN lots lo ON lo.id = k.lot_id
    JOIN products pr ON pr.id = lo.product_id
    JOIN parties pa ON pa.id = lo.party_id
    LEFT JOIN sites si ON si.id = lo.site_id
    ORDER BY abs(k.layer), k.layer, k.lot_id`);
  return rowsOf<NodeRow>(result);
}

function partyOf(r: { id: string; name: string; kind: string; region: string | null; contact: string | null; phone: string | null; address: string | null }, full: boolean): TraceParty {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    regionCode: r.region,
    regionName: r.region === null ? null : regionName(r.region),
    contactName: full ? r.contact : null,
    phone: full ? r.phone : null,
    address: full ? r.address : null,
  };
}

export async function traceOf(deps: AppDeps, principal: Principal | null, start: TraceStart, opts: { depth?: number | undefined } = {}): Promise<Trace> {
  const p = requireRole(principal, TRACERS);
  const resolved = await resolveStart(deps, start);
  const view = await viewFor(deps, p, resolved.lotId);
  const depth = Math.max(1, Math.min(Math.trunc(opts.depth ?? DEFAULT_TRACE_DEPTH), MAX_DEPTH));
  return traceFrom(deps, resolved, view, depth, p.partyId);
}

/** The trace itself, once access is settled (the benchmark calls this directly). */
export async function traceFrom(
  deps: AppDeps,
  start: { lotId: string; certificateId: string | null; code: string | null },
  view: "full" | "reduced",
  depth: number,
  viewerPartyId: string | null,
): Promise<Trace> {
  const rows = await walkBothWays(deps, start.lotId, depth, MAX_TRACE_NODES);
  const truncated = rows.length > MAX_TRACE_NODES;
  const kept = rows.slice(0, MAX_TRACE_NODES);
  const ids = kept.map((r) => r.lot_id);
  const full = view === "full";
  const mine = (partyId: string) => full || partyId === viewerPartyId;
  const set = lotIdSet(ids);
  const upIds = kept.filter((r) => r.layer <= 0).map((r) => r.lot_id);

  // Everything shown about the lots in one statement: one round trip instead of six, each a query of a few rows.
  const agg = (query: SQL, order: string) => sql`(SELECT coalesce(json_agg(x ORDER BY ${sql.raw(order)}), '[]') FROM (${query}) x)::text`;
  const result = await deps.db.execute(sql`SELECT
    ${agg(
      sql`SELECT l.parent_lot_id, l.child_lot_id, l.kind, l.quantity, l.event_id, e.event_time
          FROM lot_links l JOIN events e ON e.id = l.event_id WHERE l.child_lot_id IN ${set}`,
      "x.parent_lot_id, x.child_lot_id",
    )} AS edges,
    ${agg(sql`SELECT c.id, c.code, c.lot_id, c.quantity, c.unit, c.status, c.issued_at FROM certificates c WHERE c.lot_id IN ${set}`, "x.issued_at, x.id")} AS certificates,
    ${agg(
      sql`SELECT s.id, s.lot_id, s.quantity, s.unit, s.status, s.shipped_at, s.received_at, s.received_lot_id,
             f.id AS f_id, f.name AS f_name, f.kind AS f_kind, f.region_code AS f_region, f.contact_name AS f_contact, f.phone AS f_phone, f.address AS f_address,
             t.id AS t_id, t.name AS t_name, t.kind AS t_kind, t.region_code AS t_region, t.contact_name AS t_contact, t.phone AS t_phone, t.address AS t_address
          FROM shipments s JOIN parties f ON f.id = s.from_party_id JOIN parties t ON t.id = s.to_party_id WHERE s.lot_id IN ${set}`,
      "x.shipped_at, x.id",
    )} AS shipments,
    ${agg(
      sql`SELECT t.id, t.lot_id, t.lot_party_id, t.kind, t.method, t.tested_at, t.verdict, t.lab, t.report_no FROM lot_tests t WHERE t.lot_id IN ${set}`,
      "x.tested_at, x.id",
    )} AS tests,
    ${agg(
      // Inputs recorded on the lots the start came from, or on the plots where those lots grew (latest versions only).
      sql`SELECT r.id, r.lot_id, r.site_id, r.party_id, r.data, r.occurred_on
          FROM production_records r
          WHERE r.kind = 'application' AND NOT r.retracted
            AND NOT EXISTS (SELECT 1 FROM production_records n WHERE n.corrects = r.id)
            AND (r.lot_id IN ${lotIdSet(upIds)}
                 OR r.site_id IN (SELECT lo.site_id FROM lots lo WHERE lo.id IN ${lotIdSet(upIds)} AND lo.site_id IS NOT NULL
                                  AND r.occurred_on <= lo.harvested_on AND r.occurred_on > lo.harvested_on - 366))`,
      "x.occurred_on, x.id",
    )} AS inputs,
    ${agg(sql`SELECT DISTINCT r.lot_id FROM recalls r WHERE r.status = 'active' AND r.lot_id IN ${set}`, "x.lot_id")} AS recalls`);
  const [found] = rowsOf<Record<"edges" | "certificates" | "shipments" | "tests" | "inputs" | "recalls", string>>(result);
  const parsed = (column: keyof NonNullable<typeof found>) => JSON.parse(found?.[column] ?? "[]") as unknown[];
  const [edgeRows, certRows, shipRows, testRows, inputRows, recallRows] = (["edges", "certificates", "shipments", "tests", "inputs", "recalls"] as const).map(parsed);

  const partyOfLot = new Map(kept.map((r) => [r.lot_id, r.party_id]));
  const certsByLot = new Map<string, TraceNode["certificates"]>();
  for (const c of rowsOf<{ id: string; code: string; lot_id: string; quantity: string | number; unit: string; status: string; issued_at: string | Date }>(certRows)) {
    if (!mine(partyOfLot.get(c.lot_id) ?? "")) continue;
    const list = certsByLot.get(c.lot_id) ?? [];
    list.push({ id: c.id, code: deps.codeScheme.display(c.code), quantity: Number(c.quantity), unit: c.unit, status: c.status, issuedAt: iso(c.issued_at) });
    certsByLot.set(c.lot_id, list);
  }
  const tests = rowsOf<{ id: string; lot_id: string; lot_party_id: string; kind: string; method: string; tested_at: string | Date; verdict: string; lab: string | null; report_no: string | null }>(testRows);
  const failedLots = new Set(tests.filter((t) => t.verdict === "fail").map((t) => t.lot_id));
  const recalledLots = new Set(rowsOf<{ lot_id: string }>(recallRows).map((r) => r.lot_id));

  // Edges whose parent lies beyond the depth cap are left out: both ends must be lots of the trace.
  const unitOf = new Map(kept.map((r) => [r.lot_id, r.unit]));
  const edges: TraceEdge[] = rowsOf<{ parent_lot_id: string; child_lot_id: string; kind: string; quantity: string | number; event_id: string; event_time: string | Date }>(edgeRows)
    .filter((e) => partyOfLot.has(e.parent_lot_id))
    .map((e) => {
      const shown = mine(partyOfLot.get(e.parent_lot_id)!) || mine(partyOfLot.get(e.child_lot_id) ?? "");
      return { from: e.parent_lot_id, to: e.child_lot_id, kind: e.kind, quantity: shown ? Number(e.quantity) : null, unit: shown ? (unitOf.get(e.parent_lot_id) ?? null) : null, eventId: e.event_id, at: iso(e.event_time) };
    });

  // Failures and recalls flow down the trace's edges: a lot made from a failed or recalled lot is flagged too.
  const layerOf = new Map(kept.map((r) => [r.lot_id, r.layer]));
  const byLayer = [...edges].sort((a, b) => (layerOf.get(a.from) ?? 0) - (layerOf.get(b.from) ?? 0));
  for (const e of byLayer) {
    if (failedLots.has(e.from)) failedLots.add(e.to);
    if (recalledLots.has(e.from)) recalledLots.add(e.to);
  }

  const nodes: TraceNode[] = kept.map((r) => {
    const visible = mine(r.party_id);
    return {
      lotId: r.lot_id,
      layer: Number(r.layer),
      visible,
      code: visible ? r.code : null,
      product: r.product,
      quantity: visible ? Number(r.quantity) : null,
      unit: visible ? r.unit : null,
      harvestedOn: visible ? day(r.harvested_on) : null,
      createdAt: visible ? iso(r.created_at) : null,
      party: partyOf({ id: r.party_id, name: r.party_name, kind: r.party_kind, region: r.party_region, contact: r.contact_name, phone: r.phone, address: r.party_address }, full),
      site: visible && r.site_id !== null ? { id: r.site_id, name: r.site_name ?? "", regionCode: r.site_region ?? "", address: r.site_address } : null,
      certificates: certsByLot.get(r.lot_id) ?? [],
      failed: failedLots.has(r.lot_id),
      recalled: recalledLots.has(r.lot_id),
    };
  });

  type ShipRow = {
    id: string; lot_id: string; quantity: string | number; unit: string; status: "pending" | "received"; shipped_at: string | Date; received_at: string | Date | null; received_lot_id: string | null;
    f_id: string; f_name: string; f_kind: string; f_region: string; f_contact: string | null; f_phone: string; f_address: string | null;
    t_id: string; t_name: string; t_kind: string; t_region: string; t_contact: string | null; t_phone: string; t_address: string | null;
  };
  const shipments: TraceShipment[] = rowsOf<ShipRow>(shipRows).map((s) => {
    const shown = mine(s.f_id) || mine(s.t_id);
    return {
      id: s.id,
      lotId: s.lot_id,
      from: partyOf({ id: s.f_id, name: s.f_name, kind: s.f_kind, region: s.f_region, contact: s.f_contact, phone: s.f_phone, address: s.f_address }, full),
      to: partyOf({ id: s.t_id, name: s.t_name, kind: s.t_kind, region: s.t_region, contact: s.t_contact, phone: s.t_phone, address: s.t_address }, full),
      quantity: shown ? Number(s.quantity) : null,
      unit: shown ? s.unit : null,
      status: s.status,
      shippedAt: iso(s.shipped_at),
      receivedAt: s.received_at === null ? null : iso(s.received_at),
      receivedLotId: s.received_lot_id,
    };
  });

  const inputs: TraceInput[] = rowsOf<{ id: string; lot_id: string | null; site_id: string | null; party_id: string; data: ProductionRecordData | string; occurred_on: string | Date }>(inputRows)
    .filter((r) => mine(r.party_id))
    .flatMap((r) => {
      const data = (typeof r.data === "string" ? JSON.parse(r.data) : r.data) as ProductionRecordData;
      if (data.kind !== "application") return [];
      const a: ApplicationData = data;
      return [{
        recordId: r.id, lotId: r.lot_id, siteId: r.site_id, inputName: a.inputName, inputType: a.inputType, registrationNo: a.registrationNo,
        activeIngredients: a.activeIngredients, dose: a.dose, appliedOn: day(r.occurred_on), operator: a.operator,
      }];
    });

  return {
    start,
    view,
    depth,
    truncated,
    nodes,
    edges,
    shipments,
    tests: tests
      .filter((t) => mine(t.lot_party_id))
      .map((t) => ({ id: t.id, lotId: t.lot_id, kind: t.kind, method: t.method, testedAt: iso(t.tested_at), verdict: t.verdict, lab: t.lab, reportNo: t.report_no })),
    inputs,
  };
}

// ── Affected parties, as a regulator calls them ────────────────────────────────────────────────────────────────

export interface AffectedPartyRow {
  relation: "source" | "start" | "downstream" | "receiver";
  partyName: string;
  role: string;
  contactName: string;
  phone: string;
  regionCode: string;
  regionName: string;
  holds: string;
  quantity: string;
  unit: string;
  dates: string;
}

/** One row per lot held (with its certificates) and per shipment still on its way: who to call, about what. */
export function affectedParties(trace: Trace): AffectedPartyRow[] {
  const out: AffectedPartyRow[] = [];
  for (const n of trace.nodes) {
    const certs = n.certificates.map((c) => c.code).join(" ");
    out.push({
      relation: n.layer < 0 ? "source" : n.layer === 0 ? "start" : "downstream",
      partyName: n.party.name,
      role: n.party.kind,
      contactName: n.party.contactName ?? "",
      phone: n.party.phone ?? "",
      regionCode: n.party.regionCode ?? "",
      regionName: n.party.regionName ?? "",
      holds: [n.product, n.code === null ? "" : `批次 ${n.code}`, certs === "" ? "" : `合格证 ${certs}`].filter(Boolean).join("; "),
      quantity: n.quantity === null ? "" : String(n.quantity),
      unit: n.unit ?? "",
      dates: [n.harvestedOn === null ? "" : `采收 ${n.harvestedOn}`, n.createdAt === null ? "" : `登记 ${n.createdAt.slice(0, 10)}`].filter(Boolean).join("; "),
    });
  }
  for (const s of trace.shipments.filter((x) => x.status === "pending")) {
    out.push({
      relation: "receiver",
      partyName: s.to.name,
      role: s.to.kind,
      contactName: s.to.contactName ?? "",
      phone: s.to.phone ?? "",
      regionCode: s.to.regionCode ?? "",
      regionName: s.to.regionName ?? "",
      holds: `在途 (发货 ${s.id})`,
      quantity: s.quantity === null ? "" : String(s.quantity),
      unit: s.unit ?? "",
      dates: `发货 ${s.shippedAt.slice(0, 10)}`,
    });
  }
  return out;
}
