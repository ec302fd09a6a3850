import { canonicalTimestamp } from "../timestamp";
import { vocabularyTerm } from "./vocabulary";

/**
 * The EPCIS 2.0 SimpleEventQuery parameters this repository answers, parsed from a REST query string. Lists are
 * pipe-delimited (`EQ_bizStep=shipping|receiving`), as the REST binding's `style: pipeDelimited` says.
 */

export const MATCH_FIELDS = ["epc", "parentID", "inputEPC", "outputEPC", "anyEPC", "epcClass", "inputEPCClass", "outputEPCClass", "anyEPCClass"] as const;
export type MatchField = (typeof MATCH_FIELDS)[number];

export const QUANTITY_OPS = ["EQ", "GT", "GE", "LT", "LE"] as const;
export type QuantityOp = (typeof QUANTITY_OPS)[number];

export const EVENT_TYPES = ["ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent", "AssociationEvent"] as const;
const ACTIONS = ["ADD", "OBSERVE", "DELETE"];

export const DEFAULT_PER_PAGE = 100;
export const MAX_PER_PAGE = 1000;

export interface EventQuery {
  eventTypes?: string[];
  geEventTime?: Date;
  ltEventTime?: Date;
  geRecordTime?: Date;
  ltRecordTime?: Date;
  actions?: string[];
  bizSteps?: string[];
  dispositions?: string[];
  readPoints?: string[];
  bizLocations?: string[];
  eventIds?: string[];
  matches: { field: MatchField; values: string[] }[];
  quantities: { op: QuantityOp; value: number }[];
  existsErrorDeclaration?: boolean;
  perPage: number;
  nextPageToken?: string;
}

export interface QueryParameterError {
  /** The parameter's name. */
  path: string;
  message: string;
}

/** Standard parameters this repository does not answer: named as such rather than as unknown. */
const UNSUPPORTED = new Set([
  "orderBy",
  "orderDirection",
  "eventCountLimit",
  "maxEventCount",
  "WD_readPoint",
  "WD_bizLocation",
  "EQ_transformationID",
  "EQ_errorReason",
  "EQ_correctiveEventID",
  "EXISTS_sensorElementList",
]);

type Parsed = { ok: true; query: EventQuery } | { ok: false; errors: QueryParameterError[] };

export function parseEventQuery(params: Readonly<Record<string, readonly string[]>>): Parsed {
  const errors: QueryParameterError[] = [];
  const query: EventQuery = { matches: [], quantities: [], perPage: DEFAULT_PER_PAGE };
  const fail = (path: string, message: string) => errors.push({ path, message });

  for (const [name, values] of Object.entries(params)) {
    if (values.length > 1) {
      fail(name, "is given more than once; list values separated by |");
      continue;
    }
    const raw = values[0] ?? "";
    if (raw.includes("\u0000")) {
      fail(name, "must not contain NUL characters");
      continue;
    }
    const list = () => {
      const items = raw.split("|").map((v) => v.trim());
      if (items.some((v) => v === "")) {
        fail(name, "must be a non-empty list of values separated by |");
        return undefined;
      }
      return items;
    };
    const time = () => {
      const canonical = canonicalTimestamp(raw);
      if (canonical === undefined) fail(name, "must be an RFC 3339 date-time with a zone offset, e.g. 2026-11-20T08:00:00+08:00");
      return canonical === undefined ? undefined : new Date(canonical);
    };
    const match = /^MATCH_(.+)$/.exec(name);
    const quantity = /^(EQ|GT|GE|LT|LE)_quantity$/.exec(name);
    switch (name) {
      case "eventType": {
        const types = list();
        const unknown = types?.filter((t) => !(EVENT_TYPES as readonly string[]).includes(t)) ?? [];
        if (unknown.length > 0) fail(name, `must list event types from ${EVENT_TYPES.join(", ")}; ${unknown.join(", ")} is not one`);
        else if (types) query.eventTypes = types;
        break;
      }
      case "GE_eventTime":
        assign(query, "geEventTime", time());
        break;
      case "LT_eventTime":
        assign(query, "ltEventTime", time());
        break;
      case "GE_recordTime":
        assign(query, "geRecordTime", time());
        break;
      case "LT_recordTime":
        assign(query, "ltRecordTime", time());
        break;
      case "EQ_action": {
        const actions = list();
        const bad = actions?.filter((a) => !ACTIONS.includes(a)) ?? [];
        if (bad.length > 0) fail(name, `must list actions from ADD, OBSERVE, DELETE; ${bad.join(", ")} is not one`);
        else if (actions) query.actions = actions;
        break;
      }
      case "EQ_bizStep":
        assign(query, "bizSteps", list()?.map((v) => vocabularyTerm("bizStep", v)));
        break;
      case "EQ_disposition":
        assign(query, "dispositions", list()?.map((v) => vocabularyTerm("disposition", v)));
        break;
      case "EQ_readPoint":
        assign(query, "readPoints", list());
        break;
      case "EQ_bizLocation":
        assign(query, "bizLocations", list());
        break;
      case "EQ_eventID":
        assign(query, "eventIds", list());
        break;
      case "EXISTS_errorDeclaration":
        if (raw === "" || raw === "true") query.existsErrorDeclaration = true;
        else fail(name, "takes no value (or true)");
        break;
      case "perPage": {
        const n = /^\d{1,7}$/.test(raw) ? Number(raw) : NaN;
        if (!(n >= 1 && n <= MAX_PER_PAGE)) fail(name, `must be a whole number from 1 to ${MAX_PER_PAGE}`);
        else query.perPage = n;
        break;
      }
      case "nextPageToken":
        if (!/^[A-Za-z0-9_-]{1,200}$/.test(raw)) fail(name, "is not a token this repository gave");
        else query.nextPageToken = raw;
        break;
      default:
        if (match && (MATCH_FIELDS as readonly string[]).includes(match[1]!)) {
          const items = list();
          if (items) query.matches.push({ field: match[1] as MatchField, values: items });
        } else if (quantity) {
          const n = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(raw) ? Number(raw) : NaN;
          if (!Number.isFinite(n)) fail(name, "must be a number");
          else query.quantities.push({ op: quantity[1] as QuantityOp, value: n });
        } else if (UNSUPPORTED.has(name)) {
          fail(name, "is a standard query parameter this repository does not support");
        } else {
          fail(name, "is not an EPCIS 2.0 query parameter");
        }
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, query };
}

function assign<K extends keyof EventQuery>(query: EventQuery, key: K, value: EventQuery[K] | undefined): void {
  if (value !== undefined) query[key] = value;
}

/**
 * Identifier patterns (`urn:epc:idpat:sgtin:0614141.107346.*`) match the identifiers they stand for by prefix, and
 * an sgtin pattern also matches the lot classes (lgtin) of that product; a pattern written into a quantity element
 * as its class matches itself. Everything else matches exactly.
 */
export function matchPattern(value: string): { exact: string; prefixes: string[] } {
  const idpat = /^urn:epc:idpat:([a-z]+):(.*)\*$/.exec(value);
  if (idpat === null) return { exact: value, prefixes: [] };
  const [, scheme = "", rest = ""] = idpat;
  const prefixes = [`urn:epc:id:${scheme}:${rest}`];
  if (scheme === "sgtin") prefixes.push(`urn:epc:class:lgtin:${rest}`);
  return { exact: value, prefixes };
}
