import type { EpcisEventJson, HashContext } from "./event-hash.js";

/** The events of an EPCISDocument (capture) or EPCISQueryDocument (query results), in order. */
export function documentEvents(document: object): EpcisEventJson[] {
  const body = asObject((document as EpcisEventJson).epcisBody);
  const results = asObject(asObject(body?.queryResults)?.resultsBody);
  const eventList = body?.eventList ?? results?.eventList;
  return Array.isArray(eventList) ? eventList.filter(isObject) : [];
}

/**
 * The hash context a document gives its events: its `@context`, and the fields a repository lists
 * under an `…:ignoreFields` property at document or query-results level (as in the reference
 * test vectors), which must not change an event's identity.
 */
export function hashContextOfDocument(document: object): HashContext {
  const fields = document as EpcisEventJson;
  const queryResults = asObject(asObject(fields.epcisBody)?.queryResults);
  const ignoreFields = [fields, queryResults ?? {}].flatMap((holder) =>
    Object.entries(holder)
      .filter(([key]) => key === "ignoreFields" || key.endsWith(":ignoreFields"))
      .flatMap(([, value]) => (Array.isArray(value) ? value.filter((f) => typeof f === "string") : [])),
  );
  return { "@context": fields["@context"], ignoreFields };
}

function asObject(value: unknown): EpcisEventJson | undefined {
  return isObject(value) ? value : undefined;
}

function isObject(value: unknown): value is EpcisEventJson {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
