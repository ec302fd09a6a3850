import { EPCIS_CONTEXT_URL } from "../model";
import { documentEvents, hashContextOfDocument } from "../document-events";
import { eventHashId, type EpcisEventJson } from "../event-hash";
import { canonicalTimestamp } from "../timestamp";
import { eventQueryColumns, type EventQueryColumns } from "./query-columns";
import { vocabularyTerm } from "./vocabulary";

/** One event of a capture document, with what the repository stores beside it. */
export interface PreparedEvent {
  /** Position in the document's event list: capture errors point at it. */
  readonly index: number;
  /** The eventID the document gave, or the CBV 2.0 hash id when it gave none. */
  readonly eventId: string;
  readonly hashId: string;
  readonly type: string;
  readonly action: string | null;
  /** Bare CBV term when the step is a standard one, else as given. */
  readonly bizStep: string | null;
  readonly disposition: string | null;
  readonly eventTime: Date;
  readonly eventTimeZoneOffset: string;
  readonly readPoint: string | null;
  readonly bizLocation: string | null;
  readonly columns: EventQueryColumns;
  /** The event as stored: eventID and recordTime are the repository's to set, so they are left out. */
  readonly event: EpcisEventJson;
  readonly hasErrorDeclaration: boolean;
}

export interface PreparedCapture {
  /**
   * The parts of the document's `@context` beyond the standard context (prefixes of user extensions), kept with each
   * event so an exported event expands its extension fields the way it did when captured. Null when there are none.
   */
  readonly context: unknown[] | null;
  readonly events: PreparedEvent[];
}

/** Takes a document that passed the EPCIS 2.0 schema apart into events ready to store. */
export function prepareCapture(document: object): PreparedCapture {
  const hashContext = hashContextOfDocument(document);
  const declared = hashContext["@context"];
  const extra = (Array.isArray(declared) ? declared : [declared]).filter((c) => c !== undefined && c !== null && c !== EPCIS_CONTEXT_URL);
  const events = documentEvents(document).map((event, index): PreparedEvent => {
    const hashId = eventHashId(event, hashContext);
    const { eventID, recordTime: _recordTime, ...stored } = event;
    const time = text(event["eventTime"]) ?? "";
    return {
      index,
      eventId: text(eventID) ?? hashId,
      hashId,
      type: text(event["type"]) ?? "",
      action: text(event["action"]),
      bizStep: mapText(event["bizStep"], (v) => vocabularyTerm("bizStep", v)),
      disposition: mapText(event["disposition"], (v) => vocabularyTerm("disposition", v)),
      eventTime: new Date(canonicalTimestamp(time) ?? time),
      eventTimeZoneOffset: text(event["eventTimeZoneOffset"]) ?? "+00:00",
      readPoint: placeId(event["readPoint"]),
      bizLocation: placeId(event["bizLocation"]),
      columns: eventQueryColumns(event),
      event: stored,
      hasErrorDeclaration: event["errorDeclaration"] !== undefined,
    };
  });
  return { context: extra.length > 0 ? extra : null, events };
}

function text(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function mapText(value: unknown, f: (v: string) => string): string | null {
  return typeof value === "string" ? f(value) : null;
}

function placeId(value: unknown): string | null {
  if (value === null || typeof value !== "object") return null;
  return text((value as Record<string, unknown>)["id"]);
}

/** Events whose eventTime the schema's date-time format lets through but no instant matches (a leap second). */
export function unreadableTimes(events: readonly PreparedEvent[]): { index: number }[] {
  return events.filter((e) => Number.isNaN(e.eventTime.getTime())).map((e) => ({ index: e.index }));
}

/**
 * Problems a valid document can still have as a capture: the same eventID given to two different events. Events
 * sent twice (same hash) are not problems: the repository keeps the first.
 */
export function duplicateEventIds(events: readonly PreparedEvent[]): { index: number; eventId: string }[] {
  const seen = new Map<string, string>();
  const clashes: { index: number; eventId: string }[] = [];
  for (const e of events) {
    const hash = seen.get(e.eventId);
    if (hash === undefined) seen.set(e.eventId, e.hashId);
    else if (hash !== e.hashId) clashes.push({ index: e.index, eventId: e.eventId });
  }
  return clashes;
}
