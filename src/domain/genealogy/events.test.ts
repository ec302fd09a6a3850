import { describe, expect, it } from "vitest";
import { buildEpcisDocument, eventHashId, validateEpcisDocument } from "../epcis";
import { chinaTimestamp, EVENT_HASH_CONTEXT, LOTPROOF_NAMESPACES, operationEvent, quantityElement, receivingEvent, shippingEvent } from "./events";
import { derivedId } from "./identifiers";

const BASE = "https://trace.test";
const at = new Date("2026-11-20T02:00:00Z");
const lot = (lotId: string, quantity: number, unit = "kg", packageWeightKg: number | null = null) => ({ lotId, quantity, unit, packageWeightKg });

const split = () =>
  operationEvent(BASE, {
    operation: "split",
    at,
    holderId: "p1",
    siteId: "s1",
    inputs: [lot("a", 70)],
    outputs: [lot("b", 40, "斤"), lot("c", 50)],
    certificates: ["https://trace.test/c/B", "https://trace.test/c/A"],
  });
const handover = { at, lot: lot("a", 3, "箱", 5), fromPartyId: "p1", fromSiteId: "s1", toPartyId: "p2", toSiteId: null, certificates: [] };

describe("genealogy events", () => {
  it("date events in China time", () => {
    expect(chinaTimestamp(at)).toBe("2026-11-20T10:00:00.000+08:00");
    expect(split()).toMatchObject({ eventTime: "2026-11-20T10:00:00.000+08:00", eventTimeZoneOffset: "+08:00" });
  });

  it("state masses in KGM and packages with Rec 20 package codes", () => {
    expect(quantityElement(BASE, lot("a", 3, "斤"))).toEqual({ epcClass: "https://trace.test/id/lot/a", quantity: 1.5, uom: "KGM" });
    expect(quantityElement(BASE, lot("a", 2500, "g"))).toMatchObject({ quantity: 2.5, uom: "KGM" });
    expect(quantityElement(BASE, lot("a", 3, "箱", 5))).toMatchObject({ quantity: 3, uom: "XBX" });
    expect(quantityElement(BASE, lot("a", 3, "头"))).toMatchObject({ quantity: 3, uom: "H87" });
  });

  it("validate against the EPCIS 2.0 schema when wrapped in a document", () => {
    const merge = operationEvent(BASE, { operation: "merge", at, holderId: "p1", siteId: null, inputs: [lot("a", 1), lot("b", 2)], outputs: [lot("c", 3)], certificates: [] });
    const transform = operationEvent(BASE, { operation: "transform", at, holderId: "p1", siteId: "s1", inputs: [lot("a", 1)], outputs: [lot("d", 30, "袋")], certificates: [] });
    const events = [split(), merge, transform, shippingEvent(BASE, handover), receivingEvent(BASE, { ...handover, toSiteId: "s2", receivedLotId: "r" })];
    const document = buildEpcisDocument(events, { creationDate: at.toISOString(), namespaces: LOTPROOF_NAMESPACES });
    expect(validateEpcisDocument(document)).toEqual({ valid: true });
    expect(merge.bizStep).toBe("repackaging");
    expect(transform.bizStep).toBe("commissioning");
  });

  it("have stable hash ids: the same facts give the same id, any change another", () => {
    const id = eventHashId(split(), EVENT_HASH_CONTEXT);
    expect(id).toMatch(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
    expect(eventHashId(split(), EVENT_HASH_CONTEXT)).toBe(id);
    const later = operationEvent(BASE, { ...{ operation: "split", holderId: "p1", siteId: "s1", inputs: [lot("a", 70)], outputs: [lot("b", 40, "斤"), lot("c", 50)], certificates: [] }, at: new Date(at.getTime() + 1) });
    expect(eventHashId(later, EVENT_HASH_CONTEXT)).not.toBe(id);
    const ship = eventHashId(shippingEvent(BASE, handover), EVENT_HASH_CONTEXT);
    const receive = eventHashId(receivingEvent(BASE, { ...handover, receivedLotId: "r" }), EVENT_HASH_CONTEXT);
    expect(new Set([id, ship, receive]).size).toBe(3);
  });

  it("derive the same new lot ids from the same request", () => {
    expect(derivedId("x#0", at)).toBe(derivedId("x#0", at));
    expect(derivedId("x#0", at)).not.toBe(derivedId("x#1", at));
    expect(derivedId("x#0", at)).toMatch(/^01a1f6ae-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
