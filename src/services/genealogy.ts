import { and, asc, eq, gt, inArray, isNull, like, type SQL, sql } from "drizzle-orm";
import { canRead, type Principal, requireParty, requireRole } from "../auth/principal";
import type { AppDeps } from "../deps";
import type { Database } from "../db/client";
import { CHECK_VIOLATION, pgError, UNIQUE_VIOLATION } from "../db/errors";
import { certificates, eventLots, events, lotBalances, lotLinks, lots, parties, products, sites } from "../db/schema";
import { certificateUrl } from "../domain/credential";
import { buildEpcisDocument, eventHashId, type EpcisEvent } from "../domain/epcis";
import type { EpcisEventJson } from "../domain/epcis/event-hash";
import { eventQueryColumns } from "../domain/epcis/repository/query-columns";
import {
  available,
  derivedId,
  type Draw,
  EVENT_HASH_CONTEXT,
  fromMilli,
  LOTPROOF_NAMESPACES,
  type LinkKind,
  type LotBalance,
  type LotQuantity,
  type Operation,
  operationEvent,
  type Plan,
  type PlanResult,
  planMerge,
  planRepack,
  planSplit,
  planTransform,
} from "../domain/genealogy";
import { chinaDate, uuidv7 } from "../domain/ids";
import { regionPrefix } from "../domain/region";
import { ApiError, type FieldError, problems } from "../http/problem";
import { toPage } from "../http/pagination";
import type { JSONValue } from "hono/utils/types";
import { rowsOf } from "../db/rows";

/** A JSON object as hono's typed responses want it. */
export type JsonRecord = { [key: string]: JSONValue };

/**
 * Split, merge (混装), repack (分装) and transform lots, each as one transaction that creates the caller's new lots,
 * the genealogy edges and one EPCIS event; and the recursive walks over the genealogy that trace and recall use.
 */

export type LotRow = typeof lots.$inferSelect;
export type EventRow = typeof events.$inferSelect;
type LinkRow = typeof lotLinks.$inferSelect;

const HOLDERS = ["producer", "buyer"] as const;
const READERS = ["admin", "regulator", "producer", "buyer", "market", "lab"] as const;

export const DEFAULT_DEPTH = 10;
export const MAX_DEPTH = 50;
/** A genealogy answer stops growing here and says so; trace and recall call the id walks, which have no such cap. */
export const MAX_GENEALOGY_NODES = 5000;

/** A lot with what has left it and, for lots counted in packages, the declared weight of one package. */
export interface HeldLot extends LotRow {
  consumedQuantity: number;
  packageWeightKg: number | null;
}

export function balanceOf(lot: HeldLot): LotBalance {
  return { id: lot.id, quantity: lot.quantity, consumed: lot.consumedQuantity, unit: lot.unit, packageWeightKg: lot.packageWeightKg };
}

export async function loadHeldLots(db: Database, ids: readonly string[]): Promise<Map<string, HeldLot>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ lot: lots, consumed: lotBalances.consumedQuantity, packageWeightKg: lotBalances.packageWeightKg })
    .from(lots)
    .leftJoin(lotBalances, eq(lotBalances.lotId, lots.id))
    .where(inArray(lots.id, [...ids]));
  return new Map(rows.map((r) => [r.lot.id, { ...r.lot, consumedQuantity: r.consumed ?? 0, packageWeightKg: r.packageWeightKg ?? null }]));
}

/** A lot in a request body: the caller's own, or a 422 naming the field (as for products and sites in a body). */
export async function lotsHeldBy(db: Database, partyId: string, refs: readonly { path: string; lotId: string }[]): Promise<HeldLot[]> {
  const found = await loadHeldLots(db, [...new Set(refs.map((r) => r.lotId))]);
  const errors: FieldError[] = [];
  const out: HeldLot[] = [];
  for (const ref of refs) {
    const lot = found.get(ref.lotId);
    if (lot === undefined || lot.partyId !== partyId) errors.push({ path: ref.path, message: "is not a lot you hold" });
    else out.push(lot);
  }
  if (errors.length > 0) throw problems.validation(errors);
  return out;
}

/** The lot named in the path: the caller's own, or a 404 as if it did not exist. */
async function lotInPath(db: Database, partyId: string, lotId: string): Promise<HeldLot> {
  const lot = (await loadHeldLots(db, [lotId])).get(lotId);
  if (lot === undefined || lot.partyId !== partyId) throw problems.notFound(`lot ${lotId}`);
  return lot;
}

export async function liveCertificateUrls(deps: AppDeps, db: Database, lotIds: readonly string[]): Promise<string[]> {
  if (lotIds.length === 0) return [];
  const rows = await db
    .select({ code: certificates.code })
    .from(certificates)
    .where(and(inArray(certificates.lotId, [...lotIds]), eq(certificates.status, "valid")));
  return rows.map((r) => certificateUrl(deps.publicUrl, r.code)).sort();
}

/** Turns a planner refusal into the answer: bad fields are 422, taking more than is left is 409. */
export function planOrThrow(result: PlanResult): Plan {
  if (result.ok) return result.plan;
  if (result.kind === "invalid") throw problems.validation([...result.errors]);
  throw overConsumed(result.shortfalls.map((s) => ({ ...s })));
}

function overConsumed(shortfalls: { lotId: string; path: string; requested: number; available: number; unit: string }[]): ApiError {
  const detail = shortfalls.map((s) => `lot ${s.lotId} has ${s.available} ${s.unit} left; ${s.requested} ${s.unit} were requested`).join("; ");
  return problems.conflict("lot-over-consumed", detail, { shortfalls });
}

/** After the database refused a take, says which lots are short now (the request raced another one). */
export async function overConsumedNow(db: Database, takes: readonly { lotId: string; quantity: bigint; path: string }[]): Promise<ApiError> {
  const fresh = await loadHeldLots(db, takes.map((t) => t.lotId));
  const shortfalls = takes.flatMap((t) => {
    const lot = fresh.get(t.lotId);
    if (lot === undefined) return [];
    return [{ lotId: t.lotId, path: t.path, requested: fromMilli(t.quantity), available: fromMilli(available(balanceOf(lot))), unit: lot.unit }];
  });
  return overConsumed(shortfalls);
}

export function isOverConsumption(err: unknown): boolean {
  const e = pgError(err);
  return e?.code === CHECK_VIOLATION && e.constraint === "lot_balances_consumed_within_quantity";
}

export function isDuplicateEvent(err: unknown): boolean {
  const e = pgError(err);
  return e?.code === UNIQUE_VIOLATION && e.constraint === "events_hash_id_key";
}

export function isDuplicateLotCode(err: unknown): boolean {
  const e = pgError(err);
  return e?.code === UNIQUE_VIOLATION && e.constraint === "lots_party_code_key";
}

/** An event row ready to insert, with its hash id computed from the event as built. */
export function eventRow(deps: AppDeps, event: EpcisEvent, recordedBy: string | null): EventRow {
  const recordTime = deps.clock();
  const place = (p: { id: string } | undefined) => p?.id ?? null;
  return {
    id: uuidv7(recordTime, deps.randomBytes),
    hashId: eventHashId(event, EVENT_HASH_CONTEXT),
    type: event.type,
    action: "action" in event ? event.action : null,
    bizStep: event.bizStep ?? null,
    disposition: event.disposition ?? null,
    eventTime: new Date(event.eventTime),
    eventTimeZoneOffset: event.eventTimeZoneOffset,
    readPoint: place(event.readPoint),
    bizLocation: place(event.bizLocation),
    recordedBy,
    sourceList: [...(event.sourceList ?? [])],
    destinationList: [...(event.destinationList ?? [])],
    quantityList: "quantityList" in event ? [...(event.quantityList ?? [])] : [],
    inputQuantityList: event.type === "TransformationEvent" ? [...(event.inputQuantityList ?? [])] : [],
    outputQuantityList: event.type === "TransformationEvent" ? [...(event.outputQuantityList ?? [])] : [],
    certificationInfo: event.certificationInfo === undefined ? [] : typeof event.certificationInfo === "string" ? [event.certificationInfo] : [...event.certificationInfo],
    event,
    recordTime,
    eventId: null,
    capturedBy: null,
    captureId: null,
    context: null,
    ...eventQueryColumns(event as object as EpcisEventJson),
  };
}

export async function eventByHash(db: Database, hashId: string): Promise<EventRow | undefined> {
  // The platform's own events: the same content captured by a party through POST /capture is that party's.
  const [row] = await db.select().from(events).where(and(eq(events.hashId, hashId), isNull(events.capturedBy)));
  return row;
}

/** A stored event as EPCIS JSON, with its hash as eventID and when it was recorded here. */
export type StoredEpcisEvent = EpcisEvent & { readonly eventID: string; readonly recordTime: string };

export function epcisJson(row: EventRow): StoredEpcisEvent {
  return { ...row.event, eventID: row.hashId, recordTime: row.recordTime.toISOString() } as StoredEpcisEvent;
}

// ── Operations ──────────────────────────────────────────────────────────────────────────────────────────────────

export interface NewLotInput {
  quantity: number;
  unit: string;
  packageWeightKg?: number | undefined;
  code?: string | undefined;
  siteId?: string | undefined;
  productId?: string | undefined;
}

export interface OperationResult {
  event: StoredEpcisEvent;
  eventId: string;
  lots: HeldLot[];
  links: { parentLotId: string; childLotId: string; quantity: number; unit: string; kind: LinkKind }[];
  replayed: boolean;
}

interface Prepared {
  operation: Operation;
  partyId: string;
  parents: HeldLot[];
  /** Field path of each parent's quantity, for 409 answers. */
  parentPaths: Map<string, string>;
  plan: Plan;
  children: { productId: string; siteId: string | null; code: string | undefined }[];
  siteId: string | null;
  at: Date;
  /** Everything the caller asked for: the same request at the same event time names the same new lots. */
  request: unknown;
}

/** The instant an operation happened: the caller's (so a re-sent request is the same event) or now. */
export function eventInstant(deps: AppDeps, eventTime: string | undefined, field: string): Date {
  const now = deps.clock();
  if (eventTime === undefined) return now;
  const at = new Date(eventTime);
  // A few minutes' grace for a phone whose clock runs ahead.
  if (at.getTime() > now.getTime() + 5 * 60_000) throw problems.validation([{ path: field, message: `is in the future (now is ${now.toISOString()})` }]);
  return at;
}

async function checkSites(db: Database, partyId: string, refs: readonly { path: string; siteId: string | undefined }[]): Promise<void> {
  const wanted = refs.filter((r): r is { path: string; siteId: string } => r.siteId !== undefined);
  if (wanted.length === 0) return;
  const rows = await db
    .select({ id: sites.id })
    .from(sites)
    .where(and(inArray(sites.id, [...new Set(wanted.map((r) => r.siteId))]), eq(sites.partyId, partyId)));
  const mine = new Set(rows.map((r) => r.id));
  const errors = wanted.filter((r) => !mine.has(r.siteId)).map((r) => ({ path: r.path, message: "is not one of your sites" }));
  if (errors.length > 0) throw problems.validation(errors);
}

/** A product for a new lot: one of the caller's, or the product of one of the lots it is made from. */
async function checkProducts(db: Database, partyId: string, parents: readonly HeldLot[], refs: readonly { path: string; productId: string }[]): Promise<void> {
  const fromParents = new Set(parents.map((p) => p.productId));
  const others = refs.filter((r) => !fromParents.has(r.productId));
  if (others.length === 0) return;
  const rows = await db
    .select({ id: products.id })
    .from(products)
    .where(and(inArray(products.id, [...new Set(others.map((r) => r.productId))]), eq(products.partyId, partyId)));
  const mine = new Set(rows.map((r) => r.id));
  const errors = others.filter((r) => !mine.has(r.productId)).map((r) => ({ path: r.path, message: "is not one of your products nor the product of a lot you use" }));
  if (errors.length > 0) throw problems.validation(errors);
}

function earliestHarvest(parents: readonly HeldLot[]): string {
  return parents.map((p) => p.harvestedOn).sort()[0]!;
}

/** Same shape as the lot codes made at creation: a date and the random tail of the id. */
function defaultCode(at: Date, id: string): string {
  return `${chinaDate(at).replaceAll("-", "")}-${id.slice(-6).toUpperCase()}`;
}

/** Stores a prepared operation in one transaction, or recognises it as one already stored. */
async function commit(deps: AppDeps, prep: Prepared): Promise<OperationResult> {
  const seed = JSON.stringify([prep.operation, prep.partyId, prep.at.toISOString(), prep.request]);
  const childIds = prep.plan.children.map((_, i) => derivedId(`${seed}#${i}`, prep.at));
  const unitOf = new Map(prep.parents.map((p) => [p.id, p]));
  const inputs: LotQuantity[] = prep.plan.takes.map((t) => {
    const lot = unitOf.get(t.lotId)!;
    return { lotId: t.lotId, quantity: fromMilli(t.quantity), unit: lot.unit, packageWeightKg: lot.packageWeightKg };
  });
  const outputs: LotQuantity[] = prep.plan.children.map((c, i) => ({ lotId: childIds[i]!, quantity: fromMilli(c.quantity), ...c.measure }));
  const event = operationEvent(deps.publicUrl, {
    operation: prep.operation,
    at: prep.at,
    holderId: prep.partyId,
    siteId: prep.siteId,
    inputs,
    outputs,
    certificates: await liveCertificateUrls(deps, deps.db, prep.parents.map((p) => p.id)),
  });
  const row = eventRow(deps, event, prep.partyId);
  const replay = async () => {
    const existing = await eventByHash(deps.db, row.hashId);
    if (existing === undefined) return undefined;
    if (existing.recordedBy !== prep.partyId) throw problems.conflict("event-exists", "an identical event was recorded by another party");
    return { ...(await operationResult(deps.db, existing)), replayed: true };
  };
  const earlier = await replay();
  if (earlier !== undefined) return earlier;

  const now = deps.clock();
  const harvestedOn = earliestHarvest(prep.parents);
  const kind: LinkKind = prep.operation;
  try {
    await deps.db.transaction(async (tx) => {
      await tx.insert(events).values(row);
      await tx.insert(lots).values(
        prep.plan.children.map((c, i) => ({
          id: childIds[i]!,
          partyId: prep.partyId,
          productId: prep.children[i]!.productId,
          siteId: prep.children[i]!.siteId,
          code: prep.children[i]!.code ?? defaultCode(prep.at, childIds[i]!),
          quantity: fromMilli(c.quantity),
          unit: c.measure.unit,
          certifiedQuantity: 0,
          harvestedOn,
          createdAt: now,
        })),
      );
      await tx.insert(lotBalances).values(
        prep.plan.children.map((c, i) => ({ lotId: childIds[i]!, quantity: fromMilli(c.quantity), consumedQuantity: 0, packageWeightKg: c.measure.packageWeightKg })),
      );
      await tx.insert(eventLots).values([
        ...prep.plan.takes.map((t) => ({ lotId: t.lotId, eventId: row.id, role: "input" as const })),
        ...childIds.map((id) => ({ lotId: id, eventId: row.id, role: "output" as const })),
      ]);
      // The trigger on lot_links takes each edge's quantity from its parent; the balance check refuses over-consumption.
      await tx.insert(lotLinks).values(
        prep.plan.edges.map((e) => ({ parentLotId: e.parentId, childLotId: childIds[e.child]!, quantity: fromMilli(e.quantity), kind, eventId: row.id, createdAt: now })),
      );
    });
  } catch (err) {
    if (isDuplicateEvent(err)) {
      const raced = await replay();
      if (raced !== undefined) return raced;
    }
    if (isOverConsumption(err)) {
      throw await overConsumedNow(deps.db, prep.plan.takes.map((t) => ({ ...t, path: prep.parentPaths.get(t.lotId) ?? "quantity" })));
    }
    if (isDuplicateLotCode(err)) throw problems.conflict("duplicate-lot-code", "you already have a lot with one of these codes");
    throw err;
  }
  return { ...(await operationResult(deps.db, row)), replayed: false };
}

/** What an operation made, read back from its event: the same answer for the first request and for a re-sent one. */
async function operationResult(db: Database, row: EventRow): Promise<Omit<OperationResult, "replayed">> {
  const links = await db.select().from(lotLinks).where(eq(lotLinks.eventId, row.id)).orderBy(asc(lotLinks.childLotId), asc(lotLinks.parentLotId));
  const outputs = await db.select({ lotId: eventLots.lotId }).from(eventLots).where(and(eq(eventLots.eventId, row.id), eq(eventLots.role, "output")));
  const held = await loadHeldLots(db, [...new Set([...links.flatMap((l) => [l.parentLotId, l.childLotId]), ...outputs.map((o) => o.lotId)])]);
  const childIds = [...new Set(outputs.map((o) => o.lotId))].sort();
  return {
    event: epcisJson(row),
    eventId: row.id,
    lots: childIds.flatMap((id) => held.get(id) ?? []),
    links: links.map((l: LinkRow) => ({ parentLotId: l.parentLotId, childLotId: l.childLotId, quantity: l.quantity, unit: held.get(l.parentLotId)?.unit ?? "", kind: l.kind })),
  };
}

export async function splitLot(
  deps: AppDeps,
  principal: Principal | null,
  lotId: string,
  input: { children: NewLotInput[]; eventTime?: string | undefined },
): Promise<OperationResult> {
  const p = requireParty(principal, HOLDERS);
  const parent = await lotInPath(deps.db, p.partyId, lotId);
  const at = eventInstant(deps, input.eventTime, "eventTime");
  await checkSites(deps.db, p.partyId, input.children.map((c, i) => ({ path: `children.${i}.siteId`, siteId: c.siteId })));
  const plan = planOrThrow(planSplit(balanceOf(parent), input.children));
  return commit(deps, {
    operation: "split",
    partyId: p.partyId,
    parents: [parent],
    parentPaths: new Map([[parent.id, "children"]]),
    plan,
    children: input.children.map((c) => ({ productId: parent.productId, siteId: c.siteId ?? parent.siteId, code: c.code })),
    siteId: parent.siteId,
    at,
    request: { lotId, children: input.children },
  });
}

export async function mergeLots(
  deps: AppDeps,
  principal: Principal | null,
  input: {
    parents: { lotId: string; quantity: number; unit: string }[];
    productId?: string | undefined;
    unit?: string | undefined;
    packageWeightKg?: number | undefined;
    code?: string | undefined;
    siteId?: string | undefined;
    eventTime?: string | undefined;
  },
): Promise<OperationResult> {
  const p = requireParty(principal, HOLDERS);
  const held = await lotsHeldBy(deps.db, p.partyId, input.parents.map((d, i) => ({ path: `parents.${i}.lotId`, lotId: d.lotId })));
  const at = eventInstant(deps, input.eventTime, "eventTime");
  const productId = input.productId ?? held[0]!.productId;
  await checkProducts(deps.db, p.partyId, held, [{ path: "productId", productId }]);
  await checkSites(deps.db, p.partyId, [{ path: "siteId", siteId: input.siteId }]);
  const draws: Draw[] = input.parents.map((d, i) => ({ lot: balanceOf(held[i]!), quantity: d.quantity, unit: d.unit }));
  const plan = planOrThrow(planMerge(draws, { unit: input.unit ?? held[0]!.unit, packageWeightKg: input.packageWeightKg }));
  const siteId = input.siteId ?? null;
  return commit(deps, {
    operation: "merge",
    partyId: p.partyId,
    parents: held,
    parentPaths: new Map(input.parents.map((d, i) => [d.lotId, `parents.${i}.quantity`])),
    plan,
    children: [{ productId, siteId, code: input.code }],
    siteId,
    at,
    request: input,
  });
}

export async function repackLot(
  deps: AppDeps,
  principal: Principal | null,
  lotId: string,
  input: { packages: number; packageWeightKg: number; unit: string; code?: string | undefined; siteId?: string | undefined; eventTime?: string | undefined },
): Promise<OperationResult> {
  const p = requireParty(principal, HOLDERS);
  const parent = await lotInPath(deps.db, p.partyId, lotId);
  const at = eventInstant(deps, input.eventTime, "eventTime");
  await checkSites(deps.db, p.partyId, [{ path: "siteId", siteId: input.siteId }]);
  const plan = planOrThrow(planRepack(balanceOf(parent), input));
  return commit(deps, {
    operation: "repack",
    partyId: p.partyId,
    parents: [parent],
    parentPaths: new Map([[parent.id, "packages"]]),
    plan,
    children: [{ productId: parent.productId, siteId: input.siteId ?? parent.siteId, code: input.code }],
    siteId: input.siteId ?? parent.siteId,
    at,
    request: { lotId, ...input },
  });
}

export async function transformLots(
  deps: AppDeps,
  principal: Principal | null,
  input: {
    inputs: { lotId: string; quantity: number; unit: string }[];
    outputs: (NewLotInput & { productId: string })[];
    siteId?: string | undefined;
    eventTime?: string | undefined;
  },
): Promise<OperationResult> {
  const p = requireParty(principal, HOLDERS);
  const held = await lotsHeldBy(deps.db, p.partyId, input.inputs.map((d, i) => ({ path: `inputs.${i}.lotId`, lotId: d.lotId })));
  const at = eventInstant(deps, input.eventTime, "eventTime");
  await checkProducts(deps.db, p.partyId, held, input.outputs.map((o, i) => ({ path: `outputs.${i}.productId`, productId: o.productId })));
  await checkSites(deps.db, p.partyId, [
    { path: "siteId", siteId: input.siteId },
    ...input.outputs.map((o, i) => ({ path: `outputs.${i}.siteId`, siteId: o.siteId })),
  ]);
  const draws: Draw[] = input.inputs.map((d, i) => ({ lot: balanceOf(held[i]!), quantity: d.quantity, unit: d.unit }));
  const plan = planOrThrow(planTransform(draws, input.outputs));
  const siteId = input.siteId ?? null;
  return commit(deps, {
    operation: "transform",
    partyId: p.partyId,
    parents: held,
    parentPaths: new Map(input.inputs.map((d, i) => [d.lotId, `inputs.${i}.quantity`])),
    plan,
    children: input.outputs.map((o) => ({ productId: o.productId, siteId: o.siteId ?? siteId, code: o.code })),
    siteId,
    at,
    request: input,
  });
}

// ── Walks ───────────────────────────────────────────────────────────────────────────────────────────────────────

export type Direction = "up" | "down";

/** A lot the principal may read (owner, admin, regulator of its region); anyone else gets the 404 of a missing lot. */
export async function readableLot(db: Database, p: Principal, lotId: string): Promise<{ partyId: string; regionCode: string }> {
  const [lot] = await db
    .select({ partyId: lots.partyId, regionCode: parties.regionCode })
    .from(lots)
    .innerJoin(parties, eq(parties.id, lots.partyId))
    .where(eq(lots.id, lotId));
  if (lot === undefined || !canRead(p, lot)) throw problems.notFound(`lot ${lotId}`);
  return lot;
}

function idList(ids: readonly string[]): SQL {
  return sql.join(
    ids.map((id) => sql`(${id})`),
    sql`, `,
  );
}

/**
 * The CTE `walk(lot_id, depth)`: every lot reachable from `lotIds` within `maxDepth` edges, once per distance. UNION
 * (not UNION ALL) keeps each (lot, depth) pair once, so the walk costs lots × depth at worst, never the number of
 * paths, and a cycle (which the data should never hold) cannot make it run away; the depth cap bounds it in any case.
 */
export function lotWalk(lotIds: readonly string[], direction: Direction, maxDepth: number): SQL {
  const depth = Math.max(0, Math.min(Math.trunc(maxDepth), MAX_DEPTH));
  const step =
    direction === "down"
      ? sql`SELECT l.child_lot_id, w.depth + 1 FROM walk w JOIN lot_links l ON l.parent_lot_id = w.lot_id WHERE w.depth < ${depth}`
      : sql`SELECT l.parent_lot_id, w.depth + 1 FROM walk w JOIN lot_links l ON l.child_lot_id = w.lot_id WHERE w.depth < ${depth}`;
  return sql`walk(lot_id, depth) AS (
      SELECT v.id, 0 FROM (VALUES ${idList(lotIds)}) AS v(id)
      UNION
      ${step}
    )`;
}

/** Every lot reachable from `lotIds` within `maxDepth` edges, with its shortest distance. */
export async function walkLots(db: Database, lotIds: readonly string[], direction: Direction, maxDepth: number): Promise<{ lotId: string; depth: number }[]> {
  if (lotIds.length === 0) return [];
  const result = await db.execute(sql`
    WITH RECURSIVE ${lotWalk(lotIds, direction, maxDepth)}
    SELECT lot_id AS "lotId", min(depth)::int AS depth FROM walk GROUP BY lot_id ORDER BY 2, 1`);
  return rowsOf<{ lotId: string; depth: number }>(result).map((r) => ({ lotId: r.lotId, depth: Number(r.depth) }));
}

/** Lots the given lots were made from, up to `maxDepth` generations (the given lots excluded). */
export async function ancestorLotIds(deps: Pick<AppDeps, "db">, lotIds: readonly string[], maxDepth = MAX_DEPTH): Promise<string[]> {
  const start = new Set(lotIds);
  return (await walkLots(deps.db, lotIds, "up", maxDepth)).map((r) => r.lotId).filter((id) => !start.has(id));
}

/** Lots made from the given lots, transfers to other parties included, up to `maxDepth` generations. */
export async function descendantLotIds(deps: Pick<AppDeps, "db">, lotIds: readonly string[], maxDepth = MAX_DEPTH): Promise<string[]> {
  const start = new Set(lotIds);
  return (await walkLots(deps.db, lotIds, "down", maxDepth)).map((r) => r.lotId).filter((id) => !start.has(id));
}

export interface GenealogyNode {
  id: string;
  depth: number;
  partyId: string;
  productId: string;
  /** False for lots of other parties the caller may not read: only their place in the graph is shown. */
  visible: boolean;
  code: string | null;
  quantity: number | null;
  unit: string | null;
  consumedQuantity: number | null;
  harvestedAt: string | null;
}

export interface GenealogyEdge {
  parentLotId: string;
  childLotId: string;
  kind: LinkKind;
  eventId: string;
  quantity: number | null;
  unit: string | null;
}

/**
 * The genealogy of a lot the caller may read, up or down. Lots of other parties appear (a buyer's lot comes from
 * farms, a farm's goes to markets) but only as ids and holders unless the caller may read them.
 */
export async function genealogy(
  deps: AppDeps,
  principal: Principal | null,
  lotId: string,
  q: { direction: Direction; depth: number },
): Promise<{ lotId: string; direction: Direction; depth: number; nodes: GenealogyNode[]; edges: GenealogyEdge[]; truncated: boolean }> {
  const p = requireRole(principal, READERS);
  await readableLot(deps.db, p, lotId);
  const walked = await walkLots(deps.db, [lotId], q.direction, q.depth);
  const truncated = walked.length > MAX_GENEALOGY_NODES;
  const kept = walked.slice(0, MAX_GENEALOGY_NODES);
  const ids = kept.map((w) => w.lotId);
  const rows = ids.length === 0 ? [] : await deps.db
    .select({ lot: lots, regionCode: parties.regionCode, consumed: lotBalances.consumedQuantity })
    .from(lots)
    .innerJoin(parties, eq(parties.id, lots.partyId))
    .leftJoin(lotBalances, eq(lotBalances.lotId, lots.id))
    .where(inArray(lots.id, ids));
  const byId = new Map(rows.map((r) => [r.lot.id, r]));

  const nodes: GenealogyNode[] = kept.flatMap((w) => {
    const r = byId.get(w.lotId);
    if (r === undefined) return [];
    const visible = canRead(p, { partyId: r.lot.partyId, regionCode: r.regionCode });
    return [
      {
        id: r.lot.id,
        depth: w.depth,
        partyId: r.lot.partyId,
        productId: r.lot.productId,
        visible,
        code: visible ? r.lot.code : null,
        quantity: visible ? r.lot.quantity : null,
        unit: visible ? r.lot.unit : null,
        consumedQuantity: visible ? (r.consumed ?? 0) : null,
        harvestedAt: visible ? r.lot.harvestedOn : null,
      },
    ];
  });
  const visibleIds = new Set(nodes.filter((n) => n.visible).map((n) => n.id));
  const links =
    ids.length === 0
      ? []
      : await deps.db
          .select()
          .from(lotLinks)
          .where(and(inArray(lotLinks.parentLotId, ids), inArray(lotLinks.childLotId, ids)))
          .orderBy(asc(lotLinks.parentLotId), asc(lotLinks.childLotId));
  const edges = links.map((l) => {
    // What a parent gave is the business of whoever may read either end.
    const shown = visibleIds.has(l.parentLotId) || visibleIds.has(l.childLotId);
    return {
      parentLotId: l.parentLotId,
      childLotId: l.childLotId,
      kind: l.kind,
      eventId: l.eventId,
      quantity: shown ? l.quantity : null,
      unit: shown ? (byId.get(l.parentLotId)?.lot.unit ?? null) : null,
    };
  });
  return { lotId, direction: q.direction, depth: q.depth, nodes, edges, truncated };
}

// ── Events ──────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * One page of events as an EPCIS document: those about a lot the caller may read, or without a lot those the caller's
 * party recorded (all for an admin, the region's parties' for a regulator).
 */
export async function listEvents(
  deps: AppDeps,
  principal: Principal | null,
  q: { lotId?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<{ document: JsonRecord; nextCursor: string | null }> {
  const p = requireRole(principal, READERS);
  const where: SQL[] = [];
  if (q.cursor !== undefined) where.push(gt(events.id, q.cursor));
  let rows: EventRow[];
  if (q.lotId !== undefined) {
    await readableLot(deps.db, p, q.lotId);
    rows = (
      await deps.db
        .select({ event: events })
        .from(eventLots)
        .innerJoin(events, eq(events.id, eventLots.eventId))
        .where(and(eq(eventLots.lotId, q.lotId), ...where))
        .orderBy(asc(events.id))
        .limit(q.limit + 1)
    ).map((r) => r.event);
  } else {
    if (p.role === "regulator") where.push(like(parties.regionCode, `${regionPrefix(p.regionCode ?? "")}%`));
    else if (p.role !== "admin") where.push(eq(events.recordedBy, p.partyId ?? ""));
    rows = (
      await deps.db
        .select({ event: events })
        .from(events)
        .leftJoin(parties, eq(parties.id, events.recordedBy))
        .where(and(...where))
        .orderBy(asc(events.id))
        .limit(q.limit + 1)
    ).map((r) => r.event);
  }
  const page = toPage(rows, q.limit);
  return {
    document: buildEpcisDocument(page.items.map(epcisJson), { creationDate: deps.clock().toISOString(), namespaces: LOTPROOF_NAMESPACES }) as unknown as JsonRecord,
    nextCursor: page.nextCursor,
  };
}

export function heldLotView(lot: HeldLot) {
  const { harvestedOn, ...rest } = lot;
  return {
    ...rest,
    availableQuantity: fromMilli(available(balanceOf(lot))),
    harvestedAt: harvestedOn,
    createdAt: lot.createdAt.toISOString(),
  };
}

/** An event for a JSON response: built only from JSON values, typed readonly, so it needs this one widening. */
export function eventJson(event: StoredEpcisEvent): JsonRecord {
  return event as unknown as JsonRecord;
}

export function operationView(result: OperationResult) {
  return { eventId: result.eventId, event: eventJson(result.event), lots: result.lots.map(heldLotView), links: result.links };
}
