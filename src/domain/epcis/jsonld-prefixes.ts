/**
 * The slice of JSON-LD the event hash needs: compact IRIs (`prefix:local`) resolved against the
 * prefixes a document declares in its `@context`. Remote contexts are not fetched; the standard
 * EPCIS context's prefixes are built in because every EPCIS 2.0 document references it.
 */
export type PrefixMap = ReadonlyMap<string, string>;

const EPCIS_CONTEXT_PREFIXES: readonly (readonly [string, string])[] = [
  ["epcis", "https://ref.gs1.org/epcis/"],
  ["cbv", "https://ref.gs1.org/cbv/"],
  ["cbvmda", "urn:epcglobal:cbv:mda:"],
  ["gs1", "https://gs1.org/voc/"],
  ["rdfs", "http://www.w3.org/2000/01/rdf-schema#"],
  ["owl", "http://www.w3.org/2002/07/owl#"],
  ["xsd", "http://www.w3.org/2001/XMLSchema#"],
  ["dcterms", "http://purl.org/dc/terms/"],
];

export const EPCIS_PREFIXES: PrefixMap = new Map(EPCIS_CONTEXT_PREFIXES);

/** Adds the inline term definitions of a `@context` value (string, object or array of both). */
export function withContext(prefixes: PrefixMap, context: unknown): PrefixMap {
  const entries = Array.isArray(context) ? context : [context];
  const merged = new Map(prefixes);
  for (const entry of entries) {
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) continue;
    for (const [term, definition] of Object.entries(entry as Record<string, unknown>)) {
      if (term.startsWith("@")) continue;
      const iri = typeof definition === "string" ? definition : idOf(definition);
      if (iri !== undefined) merged.set(term, iri);
    }
  }
  return merged;
}

function idOf(definition: unknown): string | undefined {
  if (definition === null || typeof definition !== "object") return undefined;
  const id = (definition as Record<string, unknown>)["@id"];
  return typeof id === "string" ? id : undefined;
}

/** `prefix:local` with a declared prefix becomes namespace + local; anything else is unchanged. */
export function expandCompactIri(value: string, prefixes: PrefixMap): string {
  const split = splitCompactIri(value, prefixes);
  return split ? split.namespace + split.local : value;
}

export function splitCompactIri(
  value: string,
  prefixes: PrefixMap,
): { namespace: string; local: string } | undefined {
  const colon = value.indexOf(":");
  if (colon <= 0) return undefined;
  const local = value.slice(colon + 1);
  // `http://...` is an absolute IRI, never a compact one.
  if (local.startsWith("//")) return undefined;
  const namespace = prefixes.get(value.slice(0, colon));
  return namespace === undefined ? undefined : { namespace, local };
}
