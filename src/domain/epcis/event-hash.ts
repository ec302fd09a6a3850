import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { canonicalNumber, canonicalText } from "./canonical-value.js";
import { EPCIS_PREFIXES, expandCompactIri, splitCompactIri, withContext, type PrefixMap } from "./jsonld-prefixes.js";
import { canonicalTimestamp } from "./timestamp.js";

/** What the hash needs from the document around an event. */
export interface HashContext {
  /** The document's `@context`: declares the prefixes of CURIEs and user extensions. */
  readonly "@context"?: unknown;
  /** Extension fields a repository adds to events and that must not change their identity. */
  readonly ignoreFields?: readonly string[];
}

export type EpcisEventJson = { readonly [key: string]: unknown };

/** `ni:///sha-256;<hex>?ver=CBV2.0`, the CBV 2.0 event hash ID. */
export function eventHashId(event: object, context: HashContext = {}): string {
  return `ni:///sha-256;${bytesToHex(sha256(utf8ToBytes(eventPreHash(event, context))))}?ver=CBV2.0`;
}

type ValueKind =
  | { readonly kind: "literal" }
  | { readonly kind: "time" }
  /** An IRI: CURIEs expand. */
  | { readonly kind: "iri" }
  /** A CBV/GS1 vocabulary term: bare names get this namespace, CURIEs expand. */
  | { readonly kind: "vocabulary"; readonly namespace: string };

type Shape =
  | { readonly kind: "value"; readonly value: ValueKind }
  | { readonly kind: "object"; readonly fields: readonly Field[] }
  /** Written once, then every item sorted; `itemName` is "" where items carry no wrapper. */
  | { readonly kind: "list"; readonly itemName: string; readonly item: Shape };

type Field = readonly [name: string, shape: Shape];

const literal: Shape = { kind: "value", value: { kind: "literal" } };
const time: Shape = { kind: "value", value: { kind: "time" } };
const iri: Shape = { kind: "value", value: { kind: "iri" } };
const vocabulary = (namespace: string): Shape => ({ kind: "value", value: { kind: "vocabulary", namespace } });
const object = (...fields: Field[]): Shape => ({ kind: "object", fields });
const list = (itemName: string, item: Shape): Shape => ({ kind: "list", itemName, item });

const CBV = "https://ref.gs1.org/cbv/";
const GS1_VOC = "https://gs1.org/voc/";

const epcs = list("epc", iri);
const quantities = list("quantityElement", object(["epcClass", iri], ["quantity", literal], ["uom", literal]));
const location = object(["id", iri]);

/** The canonical property order of CBV 2.0 section 8.9 (event type comes first, separately). */
const EVENT_FIELDS: readonly Field[] = [
  ["eventTime", time],
  ["eventTimeZoneOffset", literal],
  ["certificationInfo", iri],
  ["epcList", epcs],
  ["parentID", iri],
  ["inputEPCList", epcs],
  ["childEPCs", epcs],
  ["quantityList", quantities],
  ["childQuantityList", quantities],
  ["inputQuantityList", quantities],
  ["outputEPCList", epcs],
  ["outputQuantityList", quantities],
  ["action", literal],
  ["transformationID", iri],
  ["bizStep", vocabulary(`${CBV}BizStep-`)],
  ["disposition", vocabulary(`${CBV}Disp-`)],
  ["persistentDisposition", object(["set", vocabulary(`${CBV}Disp-`)], ["unset", vocabulary(`${CBV}Disp-`)])],
  ["readPoint", location],
  ["bizLocation", location],
  ["bizTransactionList", list("", object(["type", vocabulary(`${CBV}BTT-`)], ["bizTransaction", iri]))],
  // The reference vectors put destinationList before sourceList.
  ["destinationList", list("", object(["type", vocabulary(`${CBV}SDT-`)], ["destination", iri]))],
  ["sourceList", list("", object(["type", vocabulary(`${CBV}SDT-`)], ["source", iri]))],
  [
    "sensorElementList",
    list(
      "sensorElement",
      object(
        [
          "sensorMetadata",
          object(
            ["time", time],
            ["startTime", time],
            ["endTime", time],
            ["deviceID", iri],
            ["deviceMetadata", iri],
            ["rawData", iri],
            ["dataProcessingMethod", iri],
            ["bizRules", iri],
          ),
        ],
        [
          "sensorReport",
          object(
            ["type", vocabulary(GS1_VOC)],
            ["exception", vocabulary(GS1_VOC)],
            ["deviceID", iri],
            ["deviceMetadata", iri],
            ["rawData", iri],
            ["dataProcessingMethod", iri],
            ["time", time],
            ["microorganism", iri],
            ["chemicalSubstance", iri],
            ["value", literal],
            ["component", vocabulary(`${CBV}Comp-`)],
            ["stringValue", literal],
            ["booleanValue", literal],
            ["hexBinaryValue", literal],
            ["uriValue", iri],
            ["minValue", literal],
            ["maxValue", literal],
            ["meanValue", literal],
            ["sDev", literal],
            ["percRank", literal],
            ["percValue", literal],
            ["uom", literal],
            ["coordinateReferenceSystem", iri],
          ),
        ],
      ),
    ),
  ],
  // ILMD holds only user-defined fields, written like extensions but in this position.
  ["ilmd", object()],
];

/** Set by whoever records the event, or about the event rather than of it. */
const NOT_HASHED = new Set(["type", "@context", "eventID", "recordTime", "errorDeclaration"]);
const RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment";

interface Scope {
  readonly prefixes: PrefixMap;
  /** Expanded IRIs of extension fields to leave out. */
  readonly ignored: ReadonlySet<string>;
}

/** The canonical pre-hash string of one event, per the CBV 2.0 event hash algorithm. */
export function eventPreHash(event: object, context: HashContext = {}): string {
  const fields = event as EpcisEventJson;
  const prefixes = withContext(withContext(EPCIS_PREFIXES, context["@context"]), fields["@context"]);
  const ignored = new Set([RDFS_COMMENT, ...(context.ignoreFields ?? []).map((f) => expandCompactIri(f, prefixes))]);
  const scope: Scope = { prefixes, ignored };
  const eventType = typeof fields.type === "string" ? fields.type : "";
  return `eventType=${eventType}${objectBody(fields, EVENT_FIELDS, scope, NOT_HASHED)}`;
}

/** Standard fields in their fixed order, then the object's extensions sorted. */
function objectBody(
  value: EpcisEventJson,
  fields: readonly Field[],
  scope: Scope,
  skip: ReadonlySet<string> = new Set(),
): string {
  let text = "";
  const known = new Set(skip);
  for (const [name, shape] of fields) {
    known.add(name);
    if (name in value) text += sortedJoin(fieldEntries(name, value[name], shape, scope));
  }
  const extensions = Object.keys(value)
    .filter((key) => !known.has(key))
    .flatMap((key) => extensionEntries(key, value[key], scope));
  return text + sortedJoin(extensions);
}

/** One entry per occurrence: arrays given for a field repeat it, as XML repeats elements. */
function fieldEntries(name: string, value: unknown, shape: Shape, scope: Scope): string[] {
  if (value === null || value === undefined) return [];
  if (shape.kind === "list") {
    const items = (Array.isArray(value) ? value : [value]).flatMap((item) =>
      fieldEntries(shape.itemName, item, shape.item, scope),
    );
    const body = sortedJoin(items);
    return body ? [name + body] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item) => fieldEntries(name, item, shape, scope));
  if (isObject(value)) {
    const body = objectBody(value, shape.kind === "object" ? shape.fields : [], scope);
    return body ? [name + body] : [];
  }
  const text = shape.kind === "value" ? standardValue(value, shape.value, scope) : scalarText(value);
  return text ? [`${name}=${text}`] : [];
}

function standardValue(value: unknown, kind: ValueKind, scope: Scope): string {
  if (typeof value !== "string") return scalarText(value);
  const text = value.trim();
  switch (kind.kind) {
    case "time":
      return canonicalTimestamp(text) ?? text;
    case "literal":
      return canonicalText(text);
    case "iri":
      return canonicalText(expandCompactIri(text, scope.prefixes));
    case "vocabulary":
      return canonicalText(text.includes(":") ? expandCompactIri(text, scope.prefixes) : kind.namespace + text);
  }
}

function scalarText(value: unknown): string {
  if (typeof value === "number") return canonicalNumber(value);
  if (typeof value === "boolean") return String(value);
  if (typeof value === "string") return canonicalText(value);
  return "";
}

/** User extensions: `{namespace}local`, then `=value` or their own sorted children. */
function extensionEntries(key: string, value: unknown, scope: Scope): string[] {
  if (value === null || value === undefined || key.startsWith("@")) return [];
  const name = extensionName(key, scope.prefixes);
  if (scope.ignored.has(name.expanded)) return [];
  if (Array.isArray(value)) return value.flatMap((item) => extensionEntries(key, item, scope));
  if (isObject(value)) {
    const children = Object.keys(value).flatMap((child) => extensionEntries(child, value[child], scope));
    return [name.written + sortedJoin(children)];
  }
  const text = scalarText(value);
  return [text ? `${name.written}=${text}` : name.written];
}

/** XML's `{namespace}local` notation, so JSON-LD and XML events hash alike. */
function extensionName(key: string, prefixes: PrefixMap): { written: string; expanded: string } {
  const compact = splitCompactIri(key, prefixes);
  if (compact) return { written: `{${compact.namespace}}${compact.local}`, expanded: compact.namespace + compact.local };
  const absolute = /^([a-z][a-z0-9+.-]*:.*[/#])([^/#]+)$/i.exec(key);
  if (absolute) return { written: `{${absolute[1]}}${absolute[2]}`, expanded: key };
  return { written: key, expanded: key };
}

function isObject(value: unknown): value is EpcisEventJson {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Case-sensitive order of Unicode code points, which is the UTF-8 byte order CBV asks for. */
function compareCodePoints(a: string, b: string): number {
  // Without surrogate pairs, UTF-16 unit order is code point order, and comparing needs no copies.
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const left = Array.from(a);
  const right = Array.from(b);
  const length = Math.min(left.length, right.length);
  for (let i = 0; i < length; i++) {
    const difference = (left[i]?.codePointAt(0) ?? 0) - (right[i]?.codePointAt(0) ?? 0);
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}

function sortedJoin(entries: readonly string[]): string {
  return [...entries].sort(compareCodePoints).join("");
}
