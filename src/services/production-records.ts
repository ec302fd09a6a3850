import type DataLoader from "dataloader";
import { and, asc, desc, eq, gt, gte, inArray, like, lt, lte, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type Principal, requireParty, requireRole } from "../auth/principal";
import { anyOfPlaceholder, batchLoader, loaderFor, textArray } from "../db/batch";
import type { Database } from "../db/client";
import { lots, parties, productionRecords, sites } from "../db/schema";
import { UNIQUE_VIOLATION, pgError } from "../db/errors";
import type { AppDeps } from "../deps";
import { chinaDate, uuidv7 } from "../domain/ids";
import type { ChinaDate } from "../domain/production/china-date";
import type { Application } from "../domain/production/production-record";
import { seasonStart } from "../domain/production/season";
import type { ApplicationData, HarvestData, ProductionRecordData, ProductionRecordKind } from "../domain/production/stored-records";
import { regionCovers, regionPrefix } from "../domain/region";
import { problems } from "../http/problem";

export type ProductionRecordRow = typeof productionRecords.$inferSelect;

/** Where a record applies: a plot, a lot, or both (then the lot must come from that plot). */
export interface Placement {
  siteId?: string | null | undefined;
  lotId?: string | null | undefined;
}

const RECORDERS = ["producer"] as const;
const READERS = ["admin", "regulator", "producer"] as const;

/**
 * Checks that the site and lot are the producer's own and agree. A record on a lot also counts for the lot's plot,
 * since the other lots picked there in the same season grew on the same plants.
 */
async function resolvePlacement(deps: AppDeps, partyId: string, placement: Placement): Promise<{ siteId: string | null; lotId: string | null }> {
  const siteId = placement.siteId ?? null;
  const lotId = placement.lotId ?? null;
  const errors: { path: string; message: string }[] = [];
  if (siteId === null && lotId === null) errors.push({ path: "siteId", message: "give siteId (the plot) or lotId (the lot), or both" });
  let lotSite: string | null = null;
  if (lotId !== null) {
    const [lot] = await deps.db.select({ siteId: lots.siteId }).from(lots).where(and(eq(lots.id, lotId), eq(lots.partyId, partyId)));
    if (lot === undefined) errors.push({ path: "lotId", message: "is not one of your lots" });
    else lotSite = lot.siteId;
  }
  if (siteId !== null) {
    const [site] = await deps.db.select({ id: sites.id }).from(sites).where(and(eq(sites.id, siteId), eq(sites.partyId, partyId)));
    if (site === undefined) errors.push({ path: "siteId", message: "is not one of your sites" });
    else if (lotId !== null && lotSite !== null && lotSite !== siteId) errors.push({ path: "siteId", message: "the lot was harvested on another site" });
  }
  if (errors.length > 0) throw problems.validation(errors);
  return { siteId: siteId ?? lotSite, lotId };
}

function occurredOn(data: ProductionRecordData): ChinaDate {
  return data.kind === "application" ? data.appliedOn : data.harvestedOn;
}

function checkDates(deps: AppDeps, data: ProductionRecordData) {
  const today = chinaDate(deps.clock());
  const errors: { path: string; message: string }[] = [];
  const field = data.kind === "application" ? "appliedOn" : "harvestedOn";
  if (occurredOn(data) > today) errors.push({ path: field, message: `is in the future (today is ${today} in China)` });
  if (data.kind === "application" && data.stoppedOn !== null && data.stoppedOn < data.appliedOn) {
    errors.push({ path: "stoppedOn", message: "is before appliedOn" });
  }
  if (errors.length > 0) throw problems.validation(errors);
}

export async function createRecord(deps: AppDeps, principal: Principal | null, placement: Placement, data: ProductionRecordData): Promise<ProductionRecordRow> {
  const p = requireParty(principal, RECORDERS);
  checkDates(deps, data);
  const where = await resolvePlacement(deps, p.partyId, placement);
  const now = deps.clock();
  const id = uuidv7(now, deps.randomBytes);
  const row: ProductionRecordRow = {
    id,
    kind: data.kind,
    partyId: p.partyId,
    ...where,
    occurredOn: occurredOn(data),
    data,
    rootId: id,
    corrects: null,
    retracted: false,
    correctionReason: null,
    createdBy: p.keyId,
    createdAt: now,
  };
  await deps.db.insert(productionRecords).values(row);
  return row;
}

/**
 * Records a correction: a new version of the record that points at the one it corrects. Only the latest version
 * may be corrected, so the history stays one line; a concurrent correction of the same version loses with 409.
 */
export async function correctRecord<D extends ProductionRecordData>(
  deps: AppDeps,
  principal: Principal | null,
  kind: D["kind"],
  id: string,
  change: { placement: Placement; data: (previous: D) => D; reason: string; retract: boolean },
): Promise<ProductionRecordRow> {
  const p = requireParty(principal, RECORDERS);
  const [previous] = await deps.db
    .select()
    .from(productionRecords)
    .where(and(eq(productionRecords.id, id), eq(productionRecords.kind, kind), eq(productionRecords.partyId, p.partyId)));
  if (previous === undefined) throw problems.notFound(`${kind} record ${id}`);
  const data = change.data(previous.data as D);
  checkDates(deps, data);
  const placementGiven = change.placement.siteId !== undefined || change.placement.lotId !== undefined;
  const where = placementGiven
    ? await resolvePlacement(deps, p.partyId, {
        siteId: change.placement.siteId === undefined ? previous.siteId : change.placement.siteId,
        lotId: change.placement.lotId === undefined ? previous.lotId : change.placement.lotId,
      })
    : { siteId: previous.siteId, lotId: previous.lotId };
  const now = deps.clock();
  const row: ProductionRecordRow = {
    id: uuidv7(now, deps.randomBytes),
    kind,
    partyId: p.partyId,
    ...where,
    occurredOn: occurredOn(data),
    data,
    rootId: previous.rootId,
    corrects: previous.id,
    retracted: change.retract,
    correctionReason: change.reason,
    createdBy: p.keyId,
    createdAt: now,
  };
  try {
    await deps.db.insert(productionRecords).values(row);
  } catch (err) {
    if (pgError(err)?.code !== UNIQUE_VIOLATION) throw err;
    const [latest] = await deps.db
      .select({ id: productionRecords.id })
      .from(productionRecords)
      .where(and(eq(productionRecords.rootId, previous.rootId), isEffective()));
    throw problems.conflict("record-already-corrected", `record ${id} was already corrected; correct the latest version ${latest?.id ?? ""}`, {
      latestId: latest?.id ?? null,
    });
  }
  return row;
}

/** A version no later row corrects: what the record says now. */
function isEffective(): SQL {
  const later = alias(productionRecords, "later");
  return sql`NOT EXISTS (SELECT 1 FROM ${productionRecords} AS ${sql.identifier("later")} WHERE ${later.corrects} = ${productionRecords.id})`;
}

/**
 * A chain's versions newest first, by following `corrects` from the first version. Ids are not used for this:
 * two versions written in the same millisecond may sort either way.
 */
function orderChain(rows: readonly ProductionRecordRow[]): ProductionRecordRow[] {
  const next = new Map(rows.flatMap((r) => (r.corrects === null ? [] : [[r.corrects, r] as const])));
  const ordered: ProductionRecordRow[] = [];
  for (let r = rows.find((x) => x.corrects === null); r !== undefined; r = next.get(r.id)) ordered.push(r);
  return ordered.reverse();
}

export interface RecordChain {
  current: ProductionRecordRow;
  /** Earlier versions, newest first. */
  history: ProductionRecordRow[];
}

function visibility(p: Principal): SQL[] {
  if (p.role === "admin") return [];
  if (p.role === "regulator") return [like(parties.regionCode, `${regionPrefix(p.regionCode ?? "")}%`)];
  return [eq(productionRecords.partyId, p.partyId ?? "")];
}

/**
 * A page of records as they stand now, each with its earlier versions. Pages run over the chain's first id, which
 * a correction does not change, so correcting a record never moves it to another page.
 */
export async function listRecords(
  deps: AppDeps,
  principal: Principal | null,
  kind: ProductionRecordKind,
  q: { limit: number; cursor?: string | undefined; siteId?: string | undefined; lotId?: string | undefined },
): Promise<{ items: RecordChain[]; nextCursor: string | null }> {
  const p = requireRole(principal, READERS);
  const where: SQL[] = [eq(productionRecords.kind, kind), isEffective(), ...visibility(p)];
  if (q.cursor !== undefined) where.push(gt(productionRecords.rootId, q.cursor));
  if (q.siteId !== undefined) where.push(eq(productionRecords.siteId, q.siteId));
  if (q.lotId !== undefined) where.push(eq(productionRecords.lotId, q.lotId));
  const rows = await deps.db
    .select({ row: productionRecords })
    .from(productionRecords)
    .innerJoin(parties, eq(parties.id, productionRecords.partyId))
    .where(and(...where))
    .orderBy(asc(productionRecords.rootId))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit).map((r) => r.row);
  const versions = page.length === 0 ? [] : await deps.db.select().from(productionRecords).where(inArray(productionRecords.rootId, page.map((r) => r.rootId)));
  return {
    items: page.map((current) => ({ current, history: orderChain(versions.filter((v) => v.rootId === current.rootId)).slice(1) })),
    nextCursor: rows.length > q.limit ? (page.at(-1)?.rootId ?? null) : null,
  };
}

/** A producer's latest records as they stand, the most recent date first: what its console lists. */
export async function recentRecords(deps: AppDeps, principal: Principal | null, kind: ProductionRecordKind, limit: number): Promise<ProductionRecordRow[]> {
  const p = requireParty(principal, RECORDERS);
  return deps.db
    .select()
    .from(productionRecords)
    .where(and(eq(productionRecords.kind, kind), eq(productionRecords.partyId, p.partyId), isEffective()))
    .orderBy(desc(productionRecords.occurredOn), desc(productionRecords.rootId))
    .limit(limit);
}

/** One record by the id of any of its versions, with the whole chain. */
export async function getRecord(deps: AppDeps, principal: Principal | null, kind: ProductionRecordKind, id: string): Promise<RecordChain> {
  const p = requireRole(principal, READERS);
  const [found] = await deps.db
    .select({ rootId: productionRecords.rootId, partyId: productionRecords.partyId, regionCode: parties.regionCode })
    .from(productionRecords)
    .innerJoin(parties, eq(parties.id, productionRecords.partyId))
    .where(and(eq(productionRecords.id, id), eq(productionRecords.kind, kind)));
  const visible =
    found !== undefined &&
    (p.role === "admin" || p.partyId === found.partyId || (p.role === "regulator" && p.regionCode !== null && regionCovers(p.regionCode, found.regionCode)));
  if (!visible) throw problems.notFound(`${kind} record ${id}`);
  const [current, ...history] = orderChain(await deps.db.select().from(productionRecords).where(eq(productionRecords.rootId, found.rootId)));
  return { current: current!, history };
}

/** What decides which records count for a lot: the lot itself, its plot and its harvest date. */
export interface LotPlacement {
  id: string;
  siteId: string | null;
  harvestedOn: ChinaDate;
}

const applicationLoaders = new WeakMap<Database, DataLoader<LotPlacement, Application[]>>();

const earliest = (dates: readonly ChinaDate[]) => dates.reduce((a, b) => (b < a ? b : a));
const latest = (dates: readonly ChinaDate[]) => dates.reduce((a, b) => (b > a ? b : a));

/**
 * One query for the lots of a batch reads every candidate: applications on the lots, and applications and
 * season-ending harvests on their plots within the widest window any of the lots needs. Each lot's own window is
 * then cut in memory; the filters that decide what a record is (kind, input type, retracted, latest version) stay
 * in SQL.
 */
function loadApplications(db: Database) {
  const onTheirPlots = and(
    anyOfPlaceholder(productionRecords.siteId, "siteIds"),
    gte(productionRecords.occurredOn, sql.placeholder("from")),
    lte(productionRecords.occurredOn, sql.placeholder("to")),
  );
  const applications = and(
    eq(productionRecords.kind, "application"),
    sql`${productionRecords.data} ->> 'inputType' IN ('pesticide', 'veterinary_drug', 'other')`,
    or(anyOfPlaceholder(productionRecords.lotId, "lotIds"), onTheirPlots),
  );
  const seasonEnds = and(
    eq(productionRecords.kind, "harvest"),
    sql`(${productionRecords.data} ->> 'endsSeason') = 'true'`,
    anyOfPlaceholder(productionRecords.siteId, "siteIds"),
    gte(productionRecords.occurredOn, sql.placeholder("from")),
    lt(productionRecords.occurredOn, sql.placeholder("to")),
  );
  const statement = db
    .select({
      id: productionRecords.id,
      kind: productionRecords.kind,
      lotId: productionRecords.lotId,
      siteId: productionRecords.siteId,
      occurredOn: productionRecords.occurredOn,
      data: productionRecords.data,
    })
    .from(productionRecords)
    .where(and(eq(productionRecords.retracted, false), isEffective(), or(applications, seasonEnds)))
    .prepare("applications_for_lots");

  return batchLoader<LotPlacement, Application[]>(async (placements) => {
    const onPlots = placements.filter((l): l is LotPlacement & { siteId: string } => l.siteId !== null);
    // No lot's window opens before its harvest date less SEASON_DAYS, whatever ended a season on its plot; with no
    // plot in the batch the bounds are null and nothing matches by plot.
    const rows = await statement.execute({
      lotIds: textArray(new Set(placements.map((l) => l.id))),
      siteIds: textArray(new Set(onPlots.map((l) => l.siteId))),
      from: onPlots.length === 0 ? null : earliest(onPlots.map((l) => seasonStart(l.harvestedOn, null))),
      to: onPlots.length === 0 ? null : latest(onPlots.map((l) => l.harvestedOn)),
    });
    const used = rows.filter((r) => r.kind === "application");
    const ends = rows.filter((r) => r.kind === "harvest");

    return placements.map((lot) => {
      let counts = (r: (typeof rows)[number]) => r.lotId === lot.id;
      if (lot.siteId !== null) {
        const before = ends.filter((e) => e.siteId === lot.siteId && e.occurredOn < lot.harvestedOn).map((e) => e.occurredOn);
        const from = seasonStart(lot.harvestedOn, before.length === 0 ? null : latest(before));
        counts = (r) => r.lotId === lot.id || (r.siteId === lot.siteId && r.occurredOn >= from && r.occurredOn <= lot.harvestedOn);
      }
      return used.filter(counts).map(({ id, data }) => {
        const d = data as ApplicationData;
        return {
          id,
          input: { registrationNo: d.registrationNo, name: d.inputName, formulation: d.formulation, activeIngredients: d.activeIngredients },
          appliedAt: d.appliedOn,
        };
      });
    });
  });
}

/**
 * The applications that count for a lot, as the issuing gate reads them: those recorded on the lot, and those on
 * its plot within the season before the harvest (see domain/production/season.ts). Retracted records and
 * fertilisers drop out; every application is taken as it stands after its latest correction. Requests issuing in
 * the same turn of the event loop share one query.
 */
export function applicationsForLot(deps: Pick<AppDeps, "db">, lot: LotPlacement): Promise<Application[]> {
  return loaderFor(applicationLoaders, deps.db, loadApplications).load({ id: lot.id, siteId: lot.siteId, harvestedOn: lot.harvestedOn });
}

function common(row: ProductionRecordRow) {
  return {
    id: row.id,
    partyId: row.partyId,
    siteId: row.siteId,
    lotId: row.lotId,
    rootId: row.rootId,
    corrects: row.corrects,
    retracted: row.retracted,
    correctionReason: row.correctionReason,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}

function applicationVersion(row: ProductionRecordRow) {
  if (row.data.kind !== "application") throw new Error(`record ${row.id} is not an application`);
  const { kind: _kind, ...fields } = row.data;
  return { ...common(row), ...fields };
}

function harvestVersion(row: ProductionRecordRow) {
  if (row.data.kind !== "harvest") throw new Error(`record ${row.id} is not a harvest`);
  const { kind: _kind, ...fields } = row.data;
  return { ...common(row), ...fields };
}

export const applicationView = (chain: RecordChain) => ({ ...applicationVersion(chain.current), history: chain.history.map(applicationVersion) });
export const harvestView = (chain: RecordChain) => ({ ...harvestVersion(chain.current), history: chain.history.map(harvestVersion) });
