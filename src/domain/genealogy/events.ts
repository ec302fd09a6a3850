import type { HashContext } from "../epcis/event-hash";
import { EPCIS_CONTEXT_URL, type ObjectEvent, type QuantityElement, type TransformationEvent } from "../epcis/model";
import { lotIri, partyIri, siteIri } from "./identifiers";
import { gramsPerUnit, isMassUnit, type Measure, toMilli } from "./quantity";

/**
 * EPCIS 2.0 events for genealogy and custody changes. Built from plain values so the same input always gives the
 * same event, and so the same CBV 2.0 hash id.
 */

export const LOTPROOF_NAMESPACES = { lotproof: "https://lotproof.dev/voc/" } as const;

/** Every stored event is hashed, and exported, under this context, so its extension fields expand the same way. */
export const EVENT_HASH_CONTEXT: HashContext = { "@context": [EPCIS_CONTEXT_URL, LOTPROOF_NAMESPACES] };

export const CHINA_OFFSET = "+08:00";

/** An instant written in China time with its offset, as a farm's paperwork would date it. */
export function chinaTimestamp(instant: Date): string {
  return `${new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 23)}${CHINA_OFFSET}`;
}

/**
 * UN/ECE Rec 20 codes for count units. Package units use the Rec 21 package codes with the X prefix; single animals
 * and items are pieces. The exact unit stays in the lot itself; the event says how many of what kind.
 */
const COUNT_UOM: Readonly<Record<string, string>> = {
  箱: "XBX",
  盒: "XBX",
  袋: "XBG",
  筐: "XBK",
  件: "XPK",
};

export interface LotQuantity extends Measure {
  readonly lotId: string;
  readonly quantity: number;
}

/** Masses are stated in kilograms (KGM) whatever the lot counts in (斤 has no Rec 20 code); counts as pieces or packages. */
export function quantityElement(base: string, q: LotQuantity): QuantityElement {
  const epcClass = lotIri(base, q.lotId);
  if (isMassUnit(q.unit)) {
    const grams = gramsPerUnit(q) ?? 1000n;
    return { epcClass, quantity: Number(toMilli(q.quantity) * grams) / 1e6, uom: "KGM" };
  }
  return { epcClass, quantity: q.quantity, uom: COUNT_UOM[q.unit] ?? "H87" };
}

export type Operation = "split" | "merge" | "repack" | "transform";

export interface OperationFacts {
  readonly operation: Operation;
  readonly at: Date;
  readonly holderId: string;
  readonly siteId: string | null;
  /** What each parent gave, in its own unit. */
  readonly inputs: readonly LotQuantity[];
  readonly outputs: readonly LotQuantity[];
  /** URLs of the live certificates that cover the inputs. */
  readonly certificates: readonly string[];
}

function place(base: string, siteId: string | null) {
  return siteId === null ? {} : { readPoint: { id: siteIri(base, siteId) }, bizLocation: { id: siteIri(base, siteId) } };
}

function certification(urls: readonly string[]) {
  return urls.length === 0 ? {} : { certificationInfo: [...urls].sort() };
}

/**
 * Split, merge (混装), repack (分装) and transform are all TransformationEvents: inputs consumed, new lot identities out.
 * CBV has no split or merge step, so those and repacking use `repackaging`; a transformation commissions new goods.
 */
export function operationEvent(base: string, facts: OperationFacts): TransformationEvent {
  return {
    type: "TransformationEvent",
    eventTime: chinaTimestamp(facts.at),
    eventTimeZoneOffset: CHINA_OFFSET,
    ...certification(facts.certificates),
    inputQuantityList: facts.inputs.map((q) => quantityElement(base, q)),
    outputQuantityList: facts.outputs.map((q) => quantityElement(base, q)),
    bizStep: facts.operation === "transform" ? "commissioning" : "repackaging",
    disposition: "active",
    ...place(base, facts.siteId),
    sourceList: [{ type: "owning_party", source: partyIri(base, facts.holderId) }],
    destinationList: [{ type: "owning_party", destination: partyIri(base, facts.holderId) }],
    "lotproof:operation": facts.operation,
  };
}

export interface HandoverFacts {
  readonly at: Date;
  readonly lot: LotQuantity;
  readonly fromPartyId: string;
  readonly fromSiteId: string | null;
  readonly toPartyId: string;
  readonly toSiteId: string | null;
  readonly certificates: readonly string[];
}

function parties(base: string, facts: HandoverFacts) {
  return {
    sourceList: [
      { type: "owning_party", source: partyIri(base, facts.fromPartyId) },
      ...(facts.fromSiteId === null ? [] : [{ type: "location", source: siteIri(base, facts.fromSiteId) }]),
    ],
    destinationList: [
      { type: "owning_party", destination: partyIri(base, facts.toPartyId) },
      ...(facts.toSiteId === null ? [] : [{ type: "location", destination: siteIri(base, facts.toSiteId) }]),
    ],
  };
}

/** Goods leave the shipper: observed at the shipper's site, in transit to the receiver. */
export function shippingEvent(base: string, facts: HandoverFacts): ObjectEvent {
  return {
    type: "ObjectEvent",
    eventTime: chinaTimestamp(facts.at),
    eventTimeZoneOffset: CHINA_OFFSET,
    ...certification(facts.certificates),
    quantityList: [quantityElement(base, facts.lot)],
    action: "OBSERVE",
    bizStep: "shipping",
    disposition: "in_transit",
    ...place(base, facts.fromSiteId),
    ...parties(base, facts),
  };
}

/**
 * Goods arrive at the receiver, who holds them from now on as a lot of its own (`receivedAs`), so it can split or
 * merge them without touching the shipper's records.
 */
export function receivingEvent(base: string, facts: HandoverFacts & { receivedLotId: string }): ObjectEvent {
  return {
    type: "ObjectEvent",
    eventTime: chinaTimestamp(facts.at),
    eventTimeZoneOffset: CHINA_OFFSET,
    ...certification(facts.certificates),
    quantityList: [quantityElement(base, facts.lot)],
    action: "OBSERVE",
    bizStep: "receiving",
    disposition: "in_progress",
    ...place(base, facts.toSiteId),
    ...parties(base, facts),
    "lotproof:receivedAs": lotIri(base, facts.receivedLotId),
  };
}
