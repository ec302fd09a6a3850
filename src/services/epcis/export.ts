import type { events } from "../../db/schema";
import { EPCIS_CONTEXT_URL } from "../../domain/epcis";
import type { EpcisEventJson } from "../../domain/epcis/event-hash";
import { LOTPROOF_NAMESPACES } from "../../domain/genealogy";

type EventRow = typeof events.$inferSelect;

/**
 * A stored event as EPCIS 2.0 JSON-LD: its eventID (as captured, or the hash id) and when this repository recorded
 * it. A captured event carries the extra @context of the document it came in, so its extension fields expand as
 * they did then whatever else shares the exported document.
 */
export function exportedEvent(row: EventRow): EpcisEventJson {
  const stored = row.event as object as EpcisEventJson;
  const own = stored["@context"];
  const context = [...(row.context ?? []), ...(own === undefined ? [] : Array.isArray(own) ? own : [own])];
  return {
    ...(context.length > 0 ? { "@context": context } : {}),
    ...stored,
    ...(context.length > 0 ? { "@context": context } : {}),
    eventID: row.eventId ?? row.hashId,
    recordTime: row.recordTime.toISOString(),
  };
}

/** The REST binding's query answer: an EPCISQueryDocument of SimpleEventQuery results. */
export function queryDocument(rows: readonly EventRow[], creationDate: Date): EpcisEventJson {
  return {
    "@context": [EPCIS_CONTEXT_URL, LOTPROOF_NAMESPACES],
    type: "EPCISQueryDocument",
    schemaVersion: "2.0",
    creationDate: creationDate.toISOString(),
    epcisBody: { queryResults: { queryName: "SimpleEventQuery", resultsBody: { eventList: rows.map(exportedEvent) } } },
  };
}
