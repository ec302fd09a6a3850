import { createHash } from "node:crypto";
import { and, asc, eq, inArray, ne, sql, type SQL } from "drizzle-orm";
import { type Principal, type Role, requireParty, requireRole, canRead } from "../auth/principal";
import type { Database } from "../db/client";
import { coldChainExcursionActions, coldChainExcursions, coldChainStreams, lots, parties, products } from "../db/schema";
import type { AppDeps } from "../deps";
import {
  checkHandover,
  closureOf,
  DEFAULT_DETECT_OPTIONS,
  detectExcursions,
  type DetectOptions,
  type Excursion,
  type ExcursionAction,
  extractTemperatures,
  type HandoverCheck,
  type ParsedReading,
  rangeForProduct,
  reconcileExcursions,
  type TargetRange,
  bucketPoint,
  keptReading,
  SERIES_POINTS,
} from "../domain/cold-chain";
import type { EpcisDocument } from "../domain/epcis";
import { isoInstant, uuidv7 } from "../domain/ids";
import { ApiError, problems, type FieldError } from "../http/problem";
import { epochMs, rowsOf } from "../db/rows";
import { textArray } from "../db/batch";

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];
type Executor = Database | Tx;

/** Party roles that send readings and act on excursions. */
export const COLD_CHAIN_WRITERS = ["producer", "buyer", "market", "regulator"] as const satisfies readonly Role[];
const READERS = ["admin", "regulator", "producer", "buyer", "market", "lab"] as const satisfies readonly Role[];
/** Roles that handle other parties' goods after the producer: they log and inspect temperatures on the way. */
const HANDLERS: readonly Role[] = ["buyer", "market", "regulator"];

export interface LotForColdChain {
  id: string;
  partyId: string;
  regionCode: string;
  range: TargetRange | null;
}

export type ColdChainAccess = "write" | "read" | null;

/**
 * Who may send readings for a lot and act on its excursions ("write"), or only see them ("read").
 *
 * For now: the lot's owner, and any buyer, market or regulator, since goods reach them by paths this service does
 * not yet record; admins and regulators over the owner's region read. When custody is recorded this is the one place
 * to narrow handlers to the parties that held the lot.
 */
export function coldChainAccess(principal: Principal, lot: { partyId: string; regionCode: string }): ColdChainAccess {
  if (principal.partyId !== null && principal.partyId === lot.partyId) return "write";
  if (principal.partyId !== null && HANDLERS.includes(principal.role)) return "write";
  return canRead(principal, lot) ? "read" : null;
}

async function loadLots(db: Executor, lotIds: readonly string[]): Promise<LotForColdChain[]> {
  if (lotIds.length === 0) return [];
  const rows = await db
    .select({
      id: lots.id,
      partyId: lots.partyId,
      regionCode: parties.regionCode,
      category: products.category,
      storageMinC: products.storageMinC,
      storageMaxC: products.storageMaxC,
    })
    .from(lots)
    .innerJoin(products, eq(products.id, lots.productId))
    .innerJoin(parties, eq(parties.id, lots.partyId))
    .where(inArray(lots.id, [...lotIds]));
  return rows.map((r) => ({ id: r.id, partyId: r.partyId, regionCode: r.regionCode, range: rangeForProduct(r) }));
}

/** The lot if the principal may act on it at `need`; other parties' lots are 404 as if they did not exist. */
async function lotFor(db: Executor, principal: Principal, lotId: string, need: "read" | "write"): Promise<LotForColdChain> {
  const [lot] = await loadLots(db, [lotId]);
  const access = lot === undefined ? null : coldChainAccess(principal, lot);
  if (lot === undefined || access === null || (need === "write" && access !== "write")) throw problems.notFound(`lot ${lotId}`);
  return lot;
}

// ── Ingest ────────────────────────────────────────────────────────────────────────────────────────────────────

export interface IngestResult {
  lotId: string | null;
  shipmentRef: string | null;
  received: number;
  inserted: number;
  duplicates: number;
  loggers: string[];
  openExcursions: ExcursionView[];
}

export type IngestTarget = { lotId: string; shipmentRef?: undefined } | { shipmentRef: string; lotId?: undefined };

/**
 * Stores a batch of readings for a lot or a shipment, and recomputes the lot's excursions, in one transaction.
 * Re-sent readings (same logger, same instant) are ignored, so a logger may safely upload its whole memory again.
 */
export async function ingestReadings(
  deps: AppDeps,
  principal: Principal | null,
  target: IngestTarget,
  readings: readonly ParsedReading[],
  options: DetectOptions = DEFAULT_DETECT_OPTIONS,
): Promise<IngestResult> {
  const p = requireParty(principal, COLD_CHAIN_WRITERS);
  const lot = target.lotId === undefined ? null : await lotFor(deps.db, p, target.lotId, "write");
  const subject = lot !== null ? { lot } : { shipment: { partyId: p.partyId, ref: target.shipmentRef! } };
  return deps.db.transaction(async (tx) => {
    const inserted = await storeReadings(tx, deps, p.partyId, subject, readings, options);
    return {
      lotId: lot?.id ?? null,
      shipmentRef: target.shipmentRef ?? null,
      received: readings.length,
      inserted,
      duplicates: readings.length - inserted,
      loggers: [...new Set(readings.map((r) => r.loggerId))].sort(),
      openExcursions: lot === null ? [] : (await excursionsOf(tx, [lot.id])).filter((e) => e.status === "open"),
    };
  });
}

type Subject = { lot: LotForColdChain } | { shipment: { partyId: string; ref: string } };

async function storeReadings(
  tx: Tx,
  deps: AppDeps,
  partyId: string,
  subject: Subject,
  readings: readonly ParsedReading[],
  options: DetectOptions,
): Promise<number> {
  const byLogger = new Map<string, ParsedReading[]>();
  for (const r of readings) {
    const list = byLogger.get(r.loggerId);
    if (list === undefined) byLogger.set(r.loggerId, [r]);
    else list.push(r);
  }
  let inserted = 0;
  // Loggers in a fixed order, so two requests touching the same streams lock them in the same order.
  for (const loggerId of [...byLogger.keys()].sort()) {
    const batch = byLogger.get(loggerId)!.sort((a, b) => a.at - b.at);
    const streamId = await lockStream(tx, deps, partyId, subject, loggerId);
    inserted += await insertReadings(tx, streamId, batch);
    if ("lot" in subject && subject.lot.range !== null) {
      await recomputeExcursions(tx, deps, subject.lot, streamId, subject.lot.range, batch[0]!.at, batch[batch.length - 1]!.at, options);
    }
  }
  return inserted;
}

/** The stream's id, created on first use and locked so concurrent uploads for it recompute excursions one at a time. */
async function lockStream(tx: Tx, deps: AppDeps, partyId: string, subject: Subject, loggerId: string): Promise<number> {
  const key = "lot" in subject ? `lot:${subject.lot.id}` : `shipment:${subject.shipment.partyId}:${subject.shipment.ref}`;
  await tx
    .insert(coldChainStreams)
    .values({
      subject: key,
      lotId: "lot" in subject ? subject.lot.id : null,
      shipmentRef: "shipment" in subject ? subject.shipment.ref : null,
      partyId,
      loggerId,
      createdAt: deps.clock(),
    })
    .onConflictDoNothing({ target: [coldChainStreams.subject, coldChainStreams.loggerId] });
  const [row] = await tx
    .select({ id: coldChainStreams.id })
    .from(coldChainStreams)
    .where(and(eq(coldChainStreams.subject, key), eq(coldChainStreams.loggerId, loggerId)))
    .for("update");
  return row!.id;
}

/**
 * One INSERT for the whole batch: instants and temperatures travel as two array literals (one parameter each) and
 * are unnested by the server, which costs far less than a placeholder per value and works the same on PGlite.
 */
async function insertReadings(tx: Tx, streamId: number, batch: readonly ParsedReading[]): Promise<number> {
  const ats = `{${batch.map((r) => r.at).join(",")}}`;
  const cs = `{${batch.map((r) => r.celsius).join(",")}}`;
  const result = await tx.execute(sql`
    WITH inserted AS (
      INSERT INTO cold_chain_readings (stream_id, at, celsius)
      SELECT ${streamId}::int, to_timestamp(u.ms / 1000.0), u.c FROM unnest(${ats}::float8[], ${cs}::float8[]) AS u(ms, c)
      ON CONFLICT (stream_id, at) DO NOTHING
      RETURNING 1
    ),
    counted AS (UPDATE cold_chain_streams SET readings = readings + (SELECT count(*) FROM inserted) WHERE id = ${streamId}::int)
    SELECT count(*)::int AS n FROM inserted`);
  return rowsOf<{ n: number }>(result)[0]!.n;
}

/**
 * Recomputes a stream's excursions where a batch spanning [from, to] can have changed them. A run of readings
 * outside the range never crosses a reading inside it, so the window runs from the last in-range reading before the
 * batch to the first after it; excursions outside the window stay as stored.
 */
async function recomputeExcursions(
  tx: Tx,
  deps: AppDeps,
  lot: LotForColdChain,
  streamId: number,
  range: TargetRange,
  from: number,
  to: number,
  options: DetectOptions,
): Promise<void> {
  const inside = sql`celsius >= ${range.minC ?? -1e9}::float8 AND celsius <= ${range.maxC ?? 1e9}::float8`;
  const [bounds] = rowsOf<{ lo: number | null; hi: number | null }>(
    await tx.execute(sql`
      SELECT
        (SELECT ${epochMs(sql`max(at)`)} FROM cold_chain_readings WHERE stream_id = ${streamId} AND at < to_timestamp(${from}::float8 / 1000) AND ${inside}) AS lo,
        (SELECT ${epochMs(sql`min(at)`)} FROM cold_chain_readings WHERE stream_id = ${streamId} AND at > to_timestamp(${to}::float8 / 1000) AND ${inside}) AS hi`),
  );
  const lo = bounds?.lo ?? null;
  const hi = bounds?.hi ?? null;
  const window = and(
    lo === null ? undefined : sql`at >= to_timestamp(${lo}::float8 / 1000)`,
    hi === null ? undefined : sql`at <= to_timestamp(${hi}::float8 / 1000)`,
  );
  const readings = rowsOf<{ at: number; celsius: number }>(
    await tx.execute(
      sql`SELECT ${epochMs(sql`at`)} AS at, celsius FROM cold_chain_readings WHERE stream_id = ${streamId} ${window === undefined ? sql`` : sql`AND ${window}`} ORDER BY at`,
    ),
  );
  const fresh = detectExcursions(readings, range, options);
  const stored = await tx
    .select()
    .from(coldChainExcursions)
    .where(
      and(
        eq(coldChainExcursions.streamId, streamId),
        ne(coldChainExcursions.status, "void"),
        lo === null ? undefined : sql`${coldChainExcursions.endedAt} >= to_timestamp(${lo}::float8 / 1000)`,
        hi === null ? undefined : sql`${coldChainExcursions.startedAt} <= to_timestamp(${hi}::float8 / 1000)`,
      ),
    );
  const plan = reconcileExcursions(
    stored.map((s) => ({ id: s.id, kind: s.kind, start: s.startedAt.getTime(), end: s.endedAt.getTime(), readings: s.readings, peakC: s.peakC })),
    fresh,
  );
  const now = deps.clock();
  const columns = (e: Excursion) => ({
    kind: e.kind,
    startedAt: new Date(e.start),
    endedAt: new Date(e.end),
    peakC: e.peakC,
    maxDeviationC: e.maxDeviationC,
    readings: e.readings,
    includesGap: e.includesGap,
  });
  if (plan.insert.length > 0) {
    await tx.insert(coldChainExcursions).values(
      plan.insert.map((e) => ({
        id: uuidv7(now, deps.randomBytes),
        streamId,
        lotId: lot.id,
        ...columns(e),
        status: "open" as const,
        revisedAt: now,
        createdAt: now,
      })),
    );
  }
  // A changed excursion is open again: the decision taken on the shorter one does not cover what came after.
  for (const { id, excursion } of plan.update) {
    await tx
      .update(coldChainExcursions)
      .set({ ...columns(excursion), status: "open", disposition: null, closedAt: null, revisedAt: now })
      .where(eq(coldChainExcursions.id, id));
  }
  if (plan.void.length > 0) {
    await tx.update(coldChainExcursions).set({ status: "void", revisedAt: now }).where(inArray(coldChainExcursions.id, plan.void));
  }
}

/** Readings carried by an EPCIS document, each event's readings stored for the lot it names (or `lotId`). */
export async function ingestEpcis(
  deps: AppDeps,
  principal: Principal | null,
  document: EpcisDocument,
  explicitLotId: string | undefined,
  options: DetectOptions = DEFAULT_DETECT_OPTIONS,
): Promise<{ received: number; inserted: number; duplicates: number; lots: IngestResult[] }> {
  const p = requireParty(principal, COLD_CHAIN_WRITERS);
  const extraction = extractTemperatures(document);
  if (extraction.problems.length > 0) throw problems.validation(extraction.problems);
  if (extraction.events.length === 0) {
    throw problems.validation([{ path: "epcisBody.eventList", message: "carries no sensorReport of type Temperature" }]);
  }
  const perLot = new Map<string, ParsedReading[]>();
  const errors: FieldError[] = [];
  for (const event of extraction.events) {
    const lotId = explicitLotId ?? (await lotNamedByEvent(deps.db, p, event.lots, `epcisBody.eventList.${event.eventIndex}`, errors));
    if (lotId === null) continue;
    const list = perLot.get(lotId) ?? [];
    list.push(...event.readings);
    perLot.set(lotId, list);
  }
  if (errors.length > 0) throw problems.validation(errors);
  const targets = await Promise.all([...perLot.keys()].sort().map((id) => lotFor(deps.db, p, id, "write")));
  return deps.db.transaction(async (tx) => {
    const results: IngestResult[] = [];
    for (const lot of targets) {
      const readings = perLot.get(lot.id)!;
      const inserted = await storeReadings(tx, deps, p.partyId, { lot }, readings, options);
      results.push({
        lotId: lot.id,
        shipmentRef: null,
        received: readings.length,
        inserted,
        duplicates: readings.length - inserted,
        loggers: [...new Set(readings.map((r) => r.loggerId))].sort(),
        openExcursions: (await excursionsOf(tx, [lot.id])).filter((e) => e.status === "open"),
      });
    }
    const received = results.reduce((n, r) => n + r.received, 0);
    const inserted = results.reduce((n, r) => n + r.inserted, 0);
    return { received, inserted, duplicates: received - inserted, lots: results };
  });
}

/**
 * The one lot an event's identifiers (lot number, with the GTIN when the product has one) name among the lots the
 * principal may send readings for; otherwise records why, so the client can pass `lotId` instead.
 */
async function lotNamedByEvent(
  db: Database,
  principal: Principal,
  refs: readonly { gtin: string | null; lot: string }[],
  path: string,
  errors: FieldError[],
): Promise<string | null> {
  if (refs.length === 0) {
    errors.push({ path, message: "names no lot (epcList or quantityList with a lot number); pass ?lotId=" });
    return null;
  }
  const rows = await db
    .select({ id: lots.id, partyId: lots.partyId, regionCode: parties.regionCode, code: lots.code, gtin: products.gtin })
    .from(lots)
    .innerJoin(products, eq(products.id, lots.productId))
    .innerJoin(parties, eq(parties.id, lots.partyId))
    .where(inArray(lots.code, refs.map((r) => r.lot)));
  const ids = new Set(
    rows
      .filter((row) => refs.some((r) => r.lot === row.code && (row.gtin === null || r.gtin === null || r.gtin === row.gtin)))
      .filter((row) => coldChainAccess(principal, row) === "write")
      .map((row) => row.id),
  );
  if (ids.size === 1) return [...ids][0]!;
  const named = refs.map((r) => r.lot).join(", ");
  errors.push({
    path,
    message: ids.size === 0 ? `lot ${named} is not a lot you may send readings for; pass ?lotId=` : `lot ${named} matches ${ids.size} lots; pass ?lotId=`,
  });
  return null;
}

// ── Excursions and their actions ──────────────────────────────────────────────────────────────────────────────

export interface ExcursionView {
  id: string;
  lotId: string;
  loggerId: string;
  kind: "out_of_range" | "not_recovered";
  start: string;
  end: string;
  durationMinutes: number;
  peakC: number;
  maxDeviationC: number;
  readings: number;
  includesGap: boolean;
  status: "open" | "closed" | "void";
  disposition: "released" | "rejected" | null;
  closedAt: string | null;
  actions: { id: string; action: ExcursionAction; note: string; partyId: string | null; at: string }[];
}

async function excursionsOf(db: Executor, lotIds: readonly string[], includeVoid = false, ids?: readonly string[]): Promise<ExcursionView[]> {
  if (lotIds.length === 0 && ids === undefined) return [];
  const rows = await db
    .select({ e: coldChainExcursions, loggerId: coldChainStreams.loggerId })
    .from(coldChainExcursions)
    .innerJoin(coldChainStreams, eq(coldChainStreams.id, coldChainExcursions.streamId))
    .where(
      and(
        ids === undefined ? inArray(coldChainExcursions.lotId, [...lotIds]) : inArray(coldChainExcursions.id, [...ids]),
        includeVoid ? undefined : ne(coldChainExcursions.status, "void"),
      ),
    )
    .orderBy(asc(coldChainExcursions.startedAt), asc(coldChainExcursions.id));
  const actions =
    rows.length === 0
      ? []
      : await db
          .select()
          .from(coldChainExcursionActions)
          .where(inArray(coldChainExcursionActions.excursionId, rows.map((r) => r.e.id)))
          .orderBy(asc(coldChainExcursionActions.createdAt), asc(coldChainExcursionActions.id));
  return rows.map(({ e, loggerId }) => ({
    id: e.id,
    lotId: e.lotId,
    loggerId,
    kind: e.kind,
    start: e.startedAt.toISOString(),
    end: e.endedAt.toISOString(),
    durationMinutes: Math.round((e.endedAt.getTime() - e.startedAt.getTime()) / 60_000),
    peakC: e.peakC,
    maxDeviationC: Math.round(e.maxDeviationC * 1000) / 1000,
    readings: e.readings,
    includesGap: e.includesGap,
    status: e.status,
    disposition: e.disposition,
    closedAt: e.closedAt?.toISOString() ?? null,
    actions: actions
      .filter((a) => a.excursionId === e.id)
      .map((a) => ({ id: a.id, action: a.action, note: a.note, partyId: a.partyId, at: a.createdAt.toISOString() })),
  }));
}

/**
 * Records a corrective action, release or reject on an excursion; the excursion closes once it has a corrective
 * action and a decision recorded since it last changed. A closed or voided excursion takes no more actions.
 */
export async function recordExcursionAction(
  deps: AppDeps,
  principal: Principal | null,
  excursionId: string,
  input: { action: ExcursionAction; note: string },
): Promise<ExcursionView> {
  const p = requireParty(principal, COLD_CHAIN_WRITERS);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx.select().from(coldChainExcursions).where(eq(coldChainExcursions.id, excursionId)).for("update");
    if (row === undefined) throw problems.notFound(`excursion ${excursionId}`);
    try {
      await lotFor(tx, p, row.lotId, "write");
    } catch (err) {
      if (err instanceof ApiError && err.problem.status === 404) throw problems.notFound(`excursion ${excursionId}`);
      throw err;
    }
    if (row.status === "void") throw problems.conflict("excursion-void", "later readings no longer show this excursion; it takes no actions");
    if (row.status === "closed") throw problems.conflict("excursion-closed", `this excursion was closed (${row.disposition}) on ${row.closedAt?.toISOString()}`);
    const now = deps.clock();
    await tx.insert(coldChainExcursionActions).values({
      id: uuidv7(now, deps.randomBytes),
      excursionId,
      action: input.action,
      note: input.note,
      partyId: p.partyId,
      keyId: p.keyId,
      createdAt: now,
    });
    const recorded = await tx
      .select({ action: coldChainExcursionActions.action, at: coldChainExcursionActions.createdAt })
      .from(coldChainExcursionActions)
      .where(eq(coldChainExcursionActions.excursionId, excursionId));
    const closure = closureOf(
      recorded.map((a) => ({ action: a.action, at: a.at.getTime() })),
      row.revisedAt.getTime(),
    );
    if (!closure.open) {
      await tx
        .update(coldChainExcursions)
        .set({ status: "closed", disposition: closure.disposition, closedAt: new Date(closure.closedAt!) })
        .where(eq(coldChainExcursions.id, excursionId));
    }
    return (await excursionsOf(tx, [], true, [excursionId]))[0]!;
  });
}

// ── Summaries ─────────────────────────────────────────────────────────────────────────────────────────────────

export interface SeriesPoint {
  at: string;
  celsius: number;
}

interface ReadingStats {
  readings: number;
  min: number | null;
  max: number | null;
  first: number | null;
  last: number | null;
}

/**
 * CTEs ending in `series`: one row with the lots' readings summed up (count, extremes, first and last) and their
 * series: every reading when there are at most SERIES_POINTS, otherwise the period cut into SERIES_POINTS equal
 * stretches, each as its lowest and highest reading (`bucketPoint` keeps one), as JSON text.
 *
 * The series is saved per set of lots (cold_chain_series) and read back while the stamp, each stream's reading count,
 * is unchanged; readings are never removed, so a new reading always changes it. The stamp and a remade series come
 * from one snapshot, so a series saved by a read that raced an upload carries the older stamp and is remade next time.
 */
function lotSeries(lotIds: readonly string[]): SQL {
  const ids = textArray(lotIds);
  const lotSet = createHash("sha256").update([...new Set(lotIds)].sort().join(",")).digest("hex");
  // Readings are stored to the millisecond, so the rounded epoch is exact (and far cheaper than extract's numeric).
  return sql`
    stamp AS (
      SELECT coalesce(string_agg(s.id || ':' || s.readings, ',' ORDER BY s.id), '') AS v
      FROM cold_chain_streams s WHERE s.lot_id = ANY(${ids}::text[])
    ),
    saved AS (
      SELECT m.readings, m.min, m.max, m.first, m.last, m.points FROM cold_chain_series m JOIN stamp ON m.stamp = stamp.v
      WHERE m.lot_set = ${lotSet}
    ),
    r AS MATERIALIZED (
      SELECT round(date_part('epoch', r.at) * 1000) AS at, r.celsius
      FROM cold_chain_readings r JOIN cold_chain_streams s ON s.id = r.stream_id
      WHERE s.lot_id = ANY(${ids}::text[]) AND NOT EXISTS (SELECT 1 FROM saved)
    ),
    st AS (SELECT count(*)::int AS readings, min(celsius) AS min, max(celsius) AS max, min(at) AS first, max(at) AS last FROM r),
    made AS (
      SELECT st.readings, st.min, st.max, st.first, st.last,
        (CASE WHEN st.readings <= ${SERIES_POINTS}
          THEN (SELECT json_agg(json_build_array(celsius, at, celsius, at) ORDER BY at, celsius DESC) FROM r)
          ELSE (SELECT json_agg(json_build_array(lo[1], lo[2], hi[1], -hi[2]) ORDER BY b) FROM (
            SELECT least(floor((r.at - st.first) / greatest(1, (st.last - st.first + 1) / ${SERIES_POINTS}::float8)), ${SERIES_POINTS - 1})::int AS b,
                   min(ARRAY[r.celsius, r.at]) AS lo, max(ARRAY[r.celsius, -r.at]) AS hi
            FROM r GROUP BY 1) g)
        END)::text AS points
      FROM st WHERE NOT EXISTS (SELECT 1 FROM saved)
    ),
    save AS (
      INSERT INTO cold_chain_series (lot_set, stamp, readings, min, max, first, last, points)
      SELECT ${lotSet}, stamp.v, made.* FROM made, stamp WHERE made.readings > 0
      ON CONFLICT (lot_set) DO UPDATE SET stamp = excluded.stamp, readings = excluded.readings, min = excluded.min, max = excluded.max,
        first = excluded.first, last = excluded.last, points = excluded.points
    ),
    series AS (SELECT * FROM saved UNION ALL SELECT * FROM made)`;
}

interface ReadingsRow extends ReadingStats {
  /** [lowC, lowAt, highC, highAt] per stretch, as JSON text; null without readings. */
  points: string | null;
}

function statsOf(row: ReadingsRow | undefined): ReadingStats {
  if (row === undefined || Number(row.readings) === 0) return { readings: 0, min: null, max: null, first: null, last: null };
  return { readings: Number(row.readings), min: row.min, max: row.max, first: Number(row.first), last: Number(row.last) };
}

/**
 * At most SERIES_POINTS readings spread over the whole period, each stretch keeping the reading furthest from the
 * middle of the range (the warmest, for frozen goods), so short excursions survive the thinning.
 */
function seriesOf(points: string | null | undefined, stats: ReadingStats, range: TargetRange | null): SeriesPoint[] {
  if (stats.readings === 0 || points == null) return [];
  const keep = keptReading(range, { min: stats.min ?? 0, max: stats.max ?? 0 });
  return (JSON.parse(points) as [number, number, number, number][]).map(([lowC, lowAt, highC, highAt]) => {
    const point = bucketPoint({ lowC, lowAt, highC, highAt }, keep);
    return { at: isoInstant(point.at), celsius: point.celsius };
  });
}

async function lastReadingOf(db: Executor, lotIds: readonly string[]): Promise<{ at: number; celsius: number; loggerId: string } | null> {
  const [row] = rowsOf<{ at: number; celsius: number; loggerId: string }>(
    await db.execute(sql`
      SELECT l.at, l.celsius, s.logger_id AS "loggerId" FROM cold_chain_streams s
      CROSS JOIN LATERAL (
        SELECT ${epochMs(sql`at`)} AS at, celsius FROM cold_chain_readings WHERE stream_id = s.id ORDER BY at DESC LIMIT 1
      ) l
      WHERE s.lot_id IN ${lotIds}
      ORDER BY l.at DESC, l.celsius DESC LIMIT 1`),
  );
  return row ?? null;
}

/** Where a logger went quiet for more than twice its interval: the temperature there is unknown (newest 50). */
async function gapsOf(db: Executor, lotId: string, logIntervalMs: number): Promise<{ loggerId: string; start: string; end: string }[]> {
  const rows = rowsOf<{ loggerId: string; start: number; end: number }>(
    await db.execute(sql`
      SELECT "loggerId", start, "end" FROM (
        SELECT s.logger_id AS "loggerId", ${epochMs(sql`lag(r.at) OVER (PARTITION BY r.stream_id ORDER BY r.at)`)} AS start, ${epochMs(sql`r.at`)} AS "end"
        FROM cold_chain_readings r JOIN cold_chain_streams s ON s.id = r.stream_id WHERE s.lot_id = ${lotId}
      ) x WHERE "end" - start > ${2 * logIntervalMs}::float8
      ORDER BY "end" DESC LIMIT 50`),
  );
  return rows.reverse().map((g) => ({ loggerId: g.loggerId, start: new Date(g.start).toISOString(), end: new Date(g.end).toISOString() }));
}

export interface LotColdChain {
  lotId: string;
  range: (Pick<TargetRange, "minC" | "maxC" | "transitMaxC" | "handoverMaxC" | "source" | "profile">) | null;
  readings: number;
  min: number | null;
  max: number | null;
  first: string | null;
  last: string | null;
  lastReading: { at: string; celsius: number; loggerId: string } | null;
  /** The latest reading judged as if handed over now; null without a reading or a range. */
  handover: HandoverCheck | null;
  loggers: string[];
  gaps: { loggerId: string; start: string; end: string }[];
  series: SeriesPoint[];
  excursions: ExcursionView[];
  openExcursions: number;
}

/** Everything known about a lot's temperatures, for the parties that may see it. */
export async function lotColdChain(deps: AppDeps, principal: Principal | null, lotId: string): Promise<LotColdChain> {
  const p = requireRole(principal, READERS);
  const lot = await lotFor(deps.db, p, lotId, "read");
  const [readings, last, excursions, loggers, gaps] = await Promise.all([
    deps.db.execute(sql`WITH ${lotSeries([lot.id])} SELECT * FROM series`).then((r) => rowsOf<ReadingsRow>(r)[0]),
    lastReadingOf(deps.db, [lot.id]),
    // Voided excursions stay visible where someone already acted on them, so the record of what was done survives.
    excursionsOf(deps.db, [lot.id], true).then((all) => all.filter((e) => e.status !== "void" || e.actions.length > 0)),
    deps.db.select({ loggerId: coldChainStreams.loggerId }).from(coldChainStreams).where(eq(coldChainStreams.lotId, lot.id)).orderBy(asc(coldChainStreams.loggerId)),
    gapsOf(deps.db, lot.id, DEFAULT_DETECT_OPTIONS.logIntervalMs),
  ]);
  const stats = statsOf(readings);
  return {
    lotId: lot.id,
    range: lot.range,
    readings: stats.readings,
    min: stats.min,
    max: stats.max,
    first: stats.first === null ? null : new Date(stats.first).toISOString(),
    last: stats.last === null ? null : new Date(stats.last).toISOString(),
    lastReading: last === null ? null : { at: new Date(last.at).toISOString(), celsius: last.celsius, loggerId: last.loggerId },
    handover: last === null || lot.range === null ? null : checkHandover(lot.range, last.celsius),
    loggers: loggers.map((l) => l.loggerId),
    gaps,
    series: seriesOf(readings?.points, stats, lot.range),
    excursions,
    openExcursions: excursions.filter((e) => e.status === "open").length,
  };
}

/**
 * The handover check for the gate (进场查验): the lot's latest reading against its range, frozen goods flagged above
 * −12 °C. Null when the lot has no readings or no range. No access check: the caller has already authorised the
 * gate action on this lot.
 */
export async function handoverCheck(deps: AppDeps, lotId: string): Promise<(HandoverCheck & { at: string; celsius: number }) | null> {
  const [lot] = await loadLots(deps.db, [lotId]);
  if (lot === undefined || lot.range === null) return null;
  const last = await lastReadingOf(deps.db, [lotId]);
  if (last === null) return null;
  return { ...checkHandover(lot.range, last.celsius), at: new Date(last.at).toISOString(), celsius: last.celsius };
}

export interface ColdChainSummary {
  range: { minC: number | null; maxC: number | null } | null;
  readings: number;
  min: number | null;
  max: number | null;
  series: SeriesPoint[];
  excursions: { start: string; end: string; maxC: number; open: boolean }[];
}

/**
 * The public view for the scan page: the lots' readings together (a certificate may cover several lots), the range
 * of the oldest lot that has one (the farm's, in a chain of holders), and excursions with their peak temperature.
 * Null when no lot has readings.
 */
export async function coldChainSummary(deps: Pick<AppDeps, "db">, lotIds: string[]): Promise<ColdChainSummary | null> {
  const ids = [...new Set(lotIds)];
  if (ids.length === 0) return null;
  // One statement: a scan reads this for every certificate it shows, and each round trip costs it more than the work.
  const [row] = rowsOf<ReadingsRow & { products: string; excursions: string }>(
    await deps.db.execute(sql`
      WITH ${lotSeries(ids)}
      SELECT series.*,
        (SELECT json_agg(json_build_array(p.category, p.storage_min_c, p.storage_max_c) ORDER BY l.created_at, l.id)
         FROM lots l JOIN products p ON p.id = l.product_id WHERE l.id = ANY(${textArray(ids)}::text[]))::text AS products,
        (SELECT json_agg(json_build_array(e.started_at, e.ended_at, e.peak_c, e.status) ORDER BY e.started_at, e.id)
         FROM cold_chain_excursions e WHERE e.lot_id = ANY(${textArray(ids)}::text[]) AND e.status <> 'void')::text AS excursions
      FROM series`),
  );
  const stats = statsOf(row);
  if (stats.readings === 0) return null;
  const products = JSON.parse(row!.products ?? "[]") as [string, number | null, number | null][];
  const range = products.map(([category, storageMinC, storageMaxC]) => rangeForProduct({ category, storageMinC, storageMaxC })).find((r) => r !== null) ?? null;
  const excursions = JSON.parse(row!.excursions ?? "[]") as [string, string, number, ExcursionView["status"]][];
  return {
    range: range === null ? null : { minC: range.minC, maxC: range.maxC },
    readings: stats.readings,
    min: stats.min,
    max: stats.max,
    series: seriesOf(row!.points, stats, range),
    excursions: excursions.map(([start, end, peakC, status]) => ({
      start: new Date(start).toISOString(),
      end: new Date(end).toISOString(),
      maxC: peakC,
      open: status === "open",
    })),
  };
}
