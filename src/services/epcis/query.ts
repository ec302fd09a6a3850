import { and, asc, eq, gt, gte, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { type Principal, requireRole, ROLES } from "../../auth/principal";
import type { AppDeps } from "../../deps";
import { eventLots, events, lots } from "../../db/schema";
import type { EpcisEventJson } from "../../domain/epcis/event-hash";
import { type EventQuery, matchPattern, type MatchField, type QueryParameterError } from "../../domain/epcis/repository/query-params";
import { partyIri } from "../../domain/genealogy/identifiers";
import { ApiError } from "../../http/problem";
import { queryDocument } from "./export";

type EventRow = typeof events.$inferSelect;

export function queryParameterProblem(errors: readonly QueryParameterError[]): ApiError {
  return new ApiError(400, "epcis-query-parameter", "Invalid query parameters", errors.map((e) => `${e.path} ${e.message}`).join("; "), {
    type: "epcisException:QueryParameterException",
    errors,
  });
}

/**
 * Who reads which events: admins and regulators all of them; any other party the events it captured, those the
 * platform recorded for it, those naming it as the source or destination of goods, and those about its lots.
 */
function readable(deps: AppDeps, p: Principal): SQL | undefined {
  if (p.role === "admin" || p.role === "regulator") return undefined;
  const partyId = p.partyId ?? "";
  const iri = partyIri(deps.publicUrl, partyId);
  return or(
    eq(events.capturedBy, partyId),
    eq(events.recordedBy, partyId),
    // Goods shipped to the party or from it: its own side of a handover, whoever recorded it.
    sql`${events.destinationList} @> jsonb_build_array(jsonb_build_object('destination', ${iri}::text))`,
    sql`${events.sourceList} @> jsonb_build_array(jsonb_build_object('source', ${iri}::text))`,
    sql`EXISTS (SELECT 1 FROM ${eventLots} INNER JOIN ${lots} ON ${lots.id} = ${eventLots.lotId} WHERE ${eventLots.eventId} = ${events.id} AND ${lots.partyId} = ${partyId})`,
  );
}

const textArray = (values: readonly string[]) => sql`ARRAY[${sql.join(values.map((v) => sql`${v}`), sql`, `)}]::text[]`;

/** One MATCH_ value against array columns (and parentID): exact values by overlap, patterns by prefix. */
function matchColumns(arrays: readonly AnyPgColumn[], withParent: boolean, values: readonly string[]): SQL {
  const patterns = values.map(matchPattern);
  const exact = patterns.map((m) => m.exact);
  const prefixes = patterns.flatMap((m) => m.prefixes);
  const parts: SQL[] = arrays.map((col) => sql`${col} && ${textArray(exact)}`);
  for (const prefix of prefixes) {
    for (const col of arrays) parts.push(sql`EXISTS (SELECT 1 FROM unnest(${col}) AS e(v) WHERE starts_with(e.v, ${prefix}))`);
  }
  if (withParent) {
    parts.push(inArray(events.parentId, exact));
    for (const prefix of prefixes) parts.push(sql`starts_with(${events.parentId}, ${prefix})`);
  }
  return or(...parts)!;
}

function matchCondition(field: MatchField, values: readonly string[]): SQL {
  switch (field) {
    case "epc":
      return matchColumns([events.epcs], false, values);
    case "parentID":
      return matchColumns([], true, values);
    case "inputEPC":
      return matchColumns([events.inputEpcs], false, values);
    case "outputEPC":
      return matchColumns([events.outputEpcs], false, values);
    case "anyEPC":
      return matchColumns([events.epcs, events.inputEpcs, events.outputEpcs], true, values);
    case "epcClass":
      return matchColumns([events.epcClasses], false, values);
    case "inputEPCClass":
      return matchColumns([events.inputEpcClasses], false, values);
    case "outputEPCClass":
      return matchColumns([events.outputEpcClasses], false, values);
    case "anyEPCClass":
      return matchColumns([events.epcClasses, events.inputEpcClasses, events.outputEpcClasses], false, values);
  }
}

const OPERATORS = { EQ: "==", GT: ">", GE: ">=", LT: "<", LE: "<=" } as const;
const QUANTITY_LISTS = ["quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"];

/** Events with a quantity element whose quantity compares so. */
function quantityCondition(op: keyof typeof OPERATORS, value: number): SQL {
  const paths = QUANTITY_LISTS.map((list) => sql.raw(`'$.${list}[*] ? (@.quantity ${OPERATORS[op]} $v)'`));
  return or(...paths.map((path) => sql`jsonb_path_exists(${events.event}, ${path}, jsonb_build_object('v', ${value}::numeric))`))!;
}

export function encodePageToken(rowId: string): string {
  return Buffer.from(rowId, "utf8").toString("base64url");
}

function decodePageToken(token: string): string {
  const id = Buffer.from(token, "base64url").toString("utf8");
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) {
    throw queryParameterProblem([{ path: "nextPageToken", message: "is not a token this repository gave" }]);
  }
  return id;
}

function conditions(q: EventQuery): SQL[] {
  const where: SQL[] = [];
  if (q.eventTypes) where.push(inArray(events.type, q.eventTypes as EventRow["type"][]));
  if (q.geEventTime) where.push(gte(events.eventTime, q.geEventTime));
  if (q.ltEventTime) where.push(lt(events.eventTime, q.ltEventTime));
  if (q.geRecordTime) where.push(gte(events.recordTime, q.geRecordTime));
  if (q.ltRecordTime) where.push(lt(events.recordTime, q.ltRecordTime));
  if (q.actions) where.push(inArray(events.action, q.actions));
  if (q.bizSteps) where.push(inArray(events.bizStep, q.bizSteps));
  if (q.dispositions) where.push(inArray(events.disposition, q.dispositions));
  if (q.readPoints) where.push(inArray(events.readPoint, q.readPoints));
  if (q.bizLocations) where.push(inArray(events.bizLocation, q.bizLocations));
  if (q.eventIds) where.push(or(inArray(events.eventId, q.eventIds), and(sql`${events.eventId} IS NULL`, inArray(events.hashId, q.eventIds)))!);
  if (q.existsErrorDeclaration) where.push(sql`${events.event} ? 'errorDeclaration'`);
  for (const m of q.matches) where.push(matchCondition(m.field, m.values));
  for (const quantity of q.quantities) where.push(quantityCondition(quantity.op, quantity.value));
  return where;
}

/** One page of the events matching a SimpleEventQuery, oldest record first, and the token of the next page. */
export async function queryEvents(deps: AppDeps, principal: Principal | null, q: EventQuery): Promise<{ document: EpcisEventJson; nextPageToken: string | null }> {
  const p = requireRole(principal, ROLES);
  const where = conditions(q);
  const visible = readable(deps, p);
  if (visible) where.push(visible);
  if (q.nextPageToken !== undefined) where.push(gt(events.id, decodePageToken(q.nextPageToken)));
  const rows = await deps.db
    .select()
    .from(events)
    .where(and(...where))
    .orderBy(asc(events.id))
    .limit(q.perPage + 1);
  const page = rows.slice(0, q.perPage);
  const last = page[page.length - 1];
  return {
    document: queryDocument(page, deps.clock()),
    nextPageToken: rows.length > q.perPage && last !== undefined ? encodePageToken(last.id) : null,
  };
}

/** One event by its eventID (as captured, or its hash id), as a query document of one event. */
export async function eventById(deps: AppDeps, principal: Principal | null, eventId: string): Promise<EpcisEventJson> {
  const p = requireRole(principal, ROLES);
  const visible = readable(deps, p);
  const rows = await deps.db
    .select()
    .from(events)
    .where(and(or(eq(events.eventId, eventId), and(sql`${events.eventId} IS NULL`, eq(events.hashId, eventId))), ...(visible ? [visible] : [])))
    .orderBy(asc(events.id))
    .limit(1);
  if (rows.length === 0) throw new ApiError(404, "not-found", "Not found", `event ${eventId} was not found`, { type: "epcisException:NoSuchResourceException" });
  return queryDocument(rows, deps.clock());
}
