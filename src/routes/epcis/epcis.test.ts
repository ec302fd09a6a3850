import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, createTestContext, PUBLIC_URL, type TestContext } from "../../../test/support/context";
import { documentEvents, eventHashId, hashContextOfDocument, validateEpcisDocument } from "../../domain/epcis";

const VECTORS = join(import.meta.dirname, "../../../test/vectors/epcis");
const read = (relative: string): Record<string, unknown> => JSON.parse(readFileSync(join(VECTORS, relative), "utf8"));
const EXAMPLES = readdirSync(join(VECTORS, "examples")).filter((f) => f.endsWith(".jsonld"));
const verdicts = (read("ajv-validation-results.json") as { results: Record<string, string> }).results;
const INVALID = Object.entries(verdicts)
  .filter(([file, verdict]) => file.startsWith("openepcis/") && verdict !== "VALID")
  .map(([file]) => file);

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext("epcis");
});
afterAll(() => t.close());

type Party = Awaited<ReturnType<TestContext["party"]>>;

async function capture(key: string, document: unknown, headers: Record<string, string> = {}) {
  return t.call("POST", "/capture", { key, body: document, headers });
}

/** Every event a key may read, following Link rel=next. */
async function allEvents(key: string, query = "") {
  const found: Record<string, unknown>[] = [];
  let path: string | null = `/events?perPage=7${query}`;
  while (path !== null) {
    const res = await t.call("GET", path, { key });
    expect(res.status, res.text).toBe(200);
    expect(validateEpcisDocument(res.json)).toEqual({ valid: true });
    found.push(...(documentEvents(res.json) as Record<string, unknown>[]));
    const link = res.headers.get("link");
    path = link === null ? null : /^<([^>]+)>; rel="next"$/.exec(link)![1]!.slice(PUBLIC_URL.length);
  }
  return found;
}

/** The hash an exported event has under the query document's context and its own. */
function exportedHash(document: Record<string, unknown>, event: Record<string, unknown>) {
  return eventHashId(event, hashContextOfDocument(document));
}

describe("POST /capture with the 22 official examples", () => {
  it("has them all", () => expect(EXAMPLES).toHaveLength(22));

  for (const file of EXAMPLES) {
    it(`accepts ${file}, keeps its events as given and exports them valid and with the same hash`, async () => {
      // One party per example: two examples give one eventID to different events, which one party may not do.
      const party = await t.party("family_farm");
      const document = read(`examples/${file}`);
      const res = await t.call("POST", "/capture", { key: party.key, body: JSON.stringify(document), headers: { "content-type": "application/ld+json" } });
      expect(res.status, res.text).toBe(202);
      expect(res.headers.get("location")).toMatch(/^\/capture\/[0-9a-f-]{36}$/);
      expect(res.headers.get("gs1-epcis-version")).toBe("2.0.0");
      const job = await t.call("GET", res.headers.get("location")!, { key: party.key });
      expect(job.json).toMatchObject({ running: false, success: true, captureErrorBehaviour: "rollback", errors: [] });

      const given = documentEvents(document);
      const context = hashContextOfDocument(document);
      const expected = new Map(given.map((e) => [typeof e["eventID"] === "string" ? e["eventID"] : eventHashId(e, context), eventHashId(e, context)]));
      const stored = await t.call("GET", `/events?perPage=100`, { key: party.key });
      expect(validateEpcisDocument(stored.json)).toEqual({ valid: true });
      const exported = documentEvents(stored.json);
      expect(exported).toHaveLength(expected.size);
      for (const event of exported) {
        expect(expected.has(event["eventID"] as string)).toBe(true);
        expect(exportedHash(stored.json, event)).toBe(expected.get(event["eventID"] as string));
        expect(event["recordTime"]).toBe("2026-11-20T02:00:00.000Z");
      }

      const again = await capture(party.key, document);
      expect(again.status).toBe(202);
      expect(again.json.success).toBe(true);
      expect(documentEvents((await t.call("GET", `/events`, { key: party.key })).json)).toHaveLength(expected.size);
    });
  }

  it("gives an event without eventID its CBV 2.0 hash id", async () => {
    const party = await t.party("family_farm");
    const document = read("examples/SensorDataExample9.jsonld");
    expect(documentEvents(document)[0]!["eventID"]).toBeUndefined();
    await capture(party.key, document);
    const [event] = documentEvents((await t.call("GET", "/events", { key: party.key })).json);
    expect(event!["eventID"]).toBe(eventHashId(documentEvents(document)[0]!, hashContextOfDocument(document)));
    const one = await t.call("GET", `/events/${encodeURIComponent(event!["eventID"] as string)}`, { key: party.key });
    expect(one.status).toBe(200);
    expect(documentEvents(one.json)).toHaveLength(1);
  });
});

describe("POST /capture refusals", () => {
  for (const file of INVALID) {
    it(`refuses ${file} with the schema's reasons`, async () => {
      const party = await t.party("buyer");
      const document = read(file);
      const res = await capture(party.key, document);
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(res.json.type).toBe("epcisException:ValidationException");
      const verdict = validateEpcisDocument(document);
      expect(verdict.valid).toBe(false);
      if (!verdict.valid) expect(res.json.errors).toEqual(verdict.errors.map((e) => ({ path: e.path, message: e.message })));
      expect(documentEvents((await t.call("GET", "/events", { key: party.key })).json)).toHaveLength(0);
    });
  }

  it("refuses bodies that are not JSON documents, unknown error behaviours, and callers without a key", async () => {
    const party = await t.party("buyer");
    expect((await capture(party.key, "{not json")).status).toBe(400);
    expect((await capture(party.key, [])).status).toBe(400);
    const behaviour = await capture(party.key, read("examples/Example_9.6.2-ObjectEvent.jsonld"), { "GS1-Capture-Error-Behaviour": "maybe" });
    expect(behaviour.status).toBe(400);
    expect(behaviour.json.errors).toEqual([{ path: "GS1-Capture-Error-Behaviour", message: "must be rollback or proceed" }]);
    expect((await t.call("POST", "/capture", { body: read("examples/Example_9.6.2-ObjectEvent.jsonld") })).status).toBe(401);
  });

  it("refuses U+0000 in strings, which the store cannot hold, and an eventTime that is a leap second", async () => {
    const party = await t.party("buyer");
    const document = read("examples/Example_9.6.2-ObjectEvent.jsonld");
    const [event] = documentEvents(document);
    const nul = await capture(party.key, { ...document, epcisBody: { eventList: [{ ...event, "example:note": "a\u0000b" }] } });
    expect(nul.status).toBe(400);
    // The schema's date-time format allows second 60; no instant has it.
    const leap = await capture(party.key, { ...document, epcisBody: { eventList: [event, { ...event, eventID: undefined, eventTime: "2016-12-31T23:59:60Z" }] } });
    expect(leap.status).toBe(202);
    expect(leap.json).toMatchObject({ success: false, capturedCount: 0 });
    expect(leap.json.errors).toEqual([expect.objectContaining({ status: 422, instance: "/epcisBody/eventList/1" })]);
    expect((await t.call("GET", "/events?EQ_readPoint=a%00b", { key: party.key })).status).toBe(400);
  });

  function clashing() {
    const document = read("examples/Example_9.6.1-ObjectEvent.jsonld");
    const events = documentEvents(document) as Record<string, unknown>[];
    // Same eventID as the first event, different content.
    const clash = { ...events[1], eventID: events[0]!["eventID"] };
    return { ...document, epcisBody: { eventList: [...events, clash] } };
  }

  it("rolls the whole capture back by default when one event cannot be captured", async () => {
    const party = await t.party("buyer");
    const res = await capture(party.key, clashing());
    expect(res.status).toBe(202);
    const job = await t.call("GET", res.headers.get("location")!, { key: party.key });
    expect(job.json).toMatchObject({ success: false, running: false, captureErrorBehaviour: "rollback", eventCount: 3, capturedCount: 0 });
    expect(job.json.errors).toEqual([expect.objectContaining({ status: 409, instance: "/epcisBody/eventList/2" })]);
    expect(documentEvents((await t.call("GET", "/events", { key: party.key })).json)).toHaveLength(0);
  });

  it("captures the other events with GS1-Capture-Error-Behaviour: proceed", async () => {
    const party = await t.party("buyer");
    const res = await capture(party.key, clashing(), { "GS1-Capture-Error-Behaviour": "proceed" });
    expect(res.json).toMatchObject({ success: false, captureErrorBehaviour: "proceed", eventCount: 3, capturedCount: 2 });
    expect(documentEvents((await t.call("GET", "/events", { key: party.key })).json)).toHaveLength(2);
  });

  it("shows a capture job only to its party, admins and regulators", async () => {
    const [a, b] = [await t.party("buyer"), await t.party("buyer")];
    const regulator = await t.party("regulator");
    const res = await capture(a.key, read("examples/Example_9.6.2-ObjectEvent.jsonld"));
    const location = res.headers.get("location")!;
    expect((await t.call("GET", location, { key: b.key })).status).toBe(404);
    expect((await t.call("GET", location, { key: regulator.key })).status).toBe(200);
    expect((await t.call("GET", location, { key: ADMIN_KEY })).status).toBe(200);
    expect((await t.call("GET", "/capture/nope", { key: a.key })).status).toBe(404);
  });

  it("adds an error declaration sent for an event already captured", async () => {
    const party = await t.party("buyer");
    const document = read("examples/Example_9.6.2-ObjectEvent.jsonld");
    await capture(party.key, document);
    const [event] = documentEvents(document);
    const declared = { ...event, errorDeclaration: { declarationTime: "2026-11-20T10:00:00+08:00", reason: "incorrect_data" } };
    const res = await capture(party.key, { ...document, epcisBody: { eventList: [declared] } });
    expect(res.json.success).toBe(true);
    const found = documentEvents((await t.call("GET", "/events?EXISTS_errorDeclaration", { key: party.key })).json);
    expect(found).toHaveLength(1);
    expect(found[0]!["errorDeclaration"]).toMatchObject({ reason: "incorrect_data" });
  });
});

describe("GET /events", () => {
  let party: Party;
  beforeAll(async () => {
    party = await t.party("buyer");
    for (const file of ["Example_9.6.1-ObjectEvent.jsonld", "Example_9.6.3-AggregationEvent.jsonld", "Example_9.6.4-TransformationEvent.jsonld", "SensorDataExample1.jsonld", "PersistentDisposition-example.jsonld"]) {
      expect((await capture(party.key, read(`examples/${file}`))).status).toBe(202);
    }
  });

  const count = async (query: string) => {
    const res = await t.call("GET", `/events?${query}`, { key: party.key });
    expect(res.status, res.text).toBe(200);
    return documentEvents(res.json).length;
  };

  it("answers the standard parameters", async () => {
    expect(await count("")).toBe(7);
    expect(await count("eventType=AggregationEvent|TransformationEvent")).toBe(2);
    expect(await count("EQ_bizStep=shipping")).toBe(1);
    expect(await count("EQ_bizStep=urn:epcglobal:cbv:bizstep:receiving|https://ref.gs1.org/cbv/BizStep-shipping")).toBe(4);
    expect(await count("EQ_disposition=in_transit")).toBe(1);
    expect(await count("EQ_action=OBSERVE")).toBeGreaterThanOrEqual(2);
    expect(await count(`GE_eventTime=${encodeURIComponent("2005-04-04T00:00:00-06:00")}&LT_eventTime=${encodeURIComponent("2005-04-05T00:00:00-06:00")}`)).toBe(1);
    expect(await count(`GE_recordTime=${encodeURIComponent("2026-11-20T02:00:00Z")}`)).toBe(7);
    expect(await count(`LT_recordTime=${encodeURIComponent("2026-11-20T02:00:00Z")}`)).toBe(0);
    expect(await count("EQ_readPoint=urn:epc:id:sgln:0614141.07346.1234")).toBeGreaterThanOrEqual(1);
    expect(await count("MATCH_epc=urn:epc:id:sgtin:0614141.107346.2018")).toBe(3);
    expect(await count("MATCH_anyEPC=urn:epc:idpat:sgtin:0614141.107346.*")).toBe(3);
    expect(await count("MATCH_outputEPC=urn:epc:idpat:sgtin:0614141.107346.*")).toBe(0);
    expect(await count("MATCH_parentID=urn:epc:id:sscc:0614141.1234567890")).toBe(1);
    expect(await count("MATCH_inputEPC=urn:epc:id:sgtin:4000001.065432.99886655")).toBe(1);
    expect(await count("MATCH_outputEPC=urn:epc:id:sgtin:4012345.077889.26")).toBe(1);
    expect(await count("MATCH_inputEPCClass=urn:epc:idpat:sgtin:4012345.066666.*")).toBe(1);
    expect(await count("MATCH_anyEPCClass=urn:epc:idpat:sgtin:4012345.011111.*")).toBe(1);
    expect(await count("MATCH_inputEPCClass=urn:epc:class:lgtin:0614141.077777.987")).toBe(1);
    expect(await count("MATCH_epcClass=urn:epc:class:lgtin:0614141.077777.987")).toBe(0);
    expect(await count("GE_quantity=220&eventType=TransformationEvent")).toBe(1);
    expect(await count("GT_quantity=220&eventType=TransformationEvent")).toBe(0);
    expect(await count("EQ_quantity=30")).toBe(1);
    expect(await count("GT_quantity=100000")).toBe(0);
    const id = "ni:///sha-256;df7bb3c352fef055578554f09f5e2aa41782150ced7bd0b8af24dd3ccb30ba69?ver=CBV2.0";
    expect(await count(`EQ_eventID=${encodeURIComponent(id)}`)).toBe(1);
  });

  it("pages with perPage and a Link rel=next that carries the query on", async () => {
    const first = await t.call("GET", "/events?perPage=3&eventType=ObjectEvent", { key: party.key });
    expect(documentEvents(first.json)).toHaveLength(3);
    const link = first.headers.get("link")!;
    expect(link).toMatch(/^<https:\/\/trace\.test\/events\?perPage=3&eventType=ObjectEvent&nextPageToken=[\w-]+>; rel="next"$/);
    expect(await allEvents(party.key, "&eventType=ObjectEvent")).toHaveLength(await count("eventType=ObjectEvent"));
  });

  it("names each unknown or malformed parameter in a 400", async () => {
    const cases: [string, string][] = [
      ["GE_eventDate=2026-01-01T00:00:00Z", "GE_eventDate"],
      ["GE_eventTime=not-a-date", "GE_eventTime"],
      ["EQ_action=SHIPPED", "EQ_action"],
      ["eventType=Thing", "eventType"],
      ["perPage=0", "perPage"],
      ["perPage=abc", "perPage"],
      ["EQ_quantity=many", "EQ_quantity"],
      ["orderDirection=SIDEWAYS", "orderDirection"],
      ["nextPageToken=%21%21", "nextPageToken"],
      ["nextPageToken=abc", "nextPageToken"],
      ["EQ_bizStep=a&EQ_bizStep=b", "EQ_bizStep"],
      ["MATCH_epc=", "MATCH_epc"],
    ];
    for (const [query, name] of cases) {
      const res = await t.call("GET", `/events?${query}`, { key: party.key });
      expect(res.status, query).toBe(400);
      expect(res.json.type).toBe("epcisException:QueryParameterException");
      expect(res.json.errors.map((e: { path: string }) => e.path)).toEqual([name]);
    }
  });

  it("shows a party only what it captured or what concerns its lots; regulators and admins everything", async () => {
    const other = await t.party("buyer");
    expect(await allEvents(other.key)).toHaveLength(0);
    const regulator = await t.party("regulator");
    const seen = (await allEvents(regulator.key)).map((e) => e["eventID"]);
    expect(seen).toContain("ni:///sha-256;df7bb3c352fef055578554f09f5e2aa41782150ced7bd0b8af24dd3ccb30ba69?ver=CBV2.0");
    expect((await allEvents(ADMIN_KEY)).length).toBe(seen.length);
    const id = encodeURIComponent("ni:///sha-256;df7bb3c352fef055578554f09f5e2aa41782150ced7bd0b8af24dd3ccb30ba69?ver=CBV2.0");
    expect((await t.call("GET", `/events/${id}`, { key: other.key })).status).toBe(404);
    expect((await t.call("GET", `/events/${id}`, { key: party.key })).status).toBe(200);
    expect((await t.call("GET", "/events")).status).toBe(401);
  });
});

describe("the platform's own events in the same store", () => {
  it("exports genealogy, shipping and receiving events as valid EPCIS documents, found by lot and step", async () => {
    const { producer, lot } = await t.producerWithLot(100);
    const buyer = await t.party("buyer");
    const split = await t.call("POST", `/v1/lots/${lot.id}/split`, { key: producer.key, body: { children: [{ quantity: 40, unit: "kg" }] } });
    expect(split.status).toBe(201);
    const child = split.json.lots[0].id as string;
    const sent = await t.call("POST", "/v1/shipments", { key: producer.key, body: { lotId: child, quantity: 40, unit: "kg", toPartyId: buyer.id, shippedAt: "2026-11-20T08:00:00+08:00" } });
    expect(sent.status).toBe(201);
    expect((await t.call("POST", `/v1/shipments/${sent.json.shipment.id}/receive`, { key: buyer.key, body: {} })).status).toBe(201);

    const mine = await allEvents(producer.key);
    expect(mine.map((e) => e["bizStep"]).sort()).toEqual(["receiving", "repackaging", "shipping"]);
    const lotIri = `${PUBLIC_URL}/id/lot/${lot.id}`;
    const byLot = await t.call("GET", `/events?MATCH_anyEPCClass=${encodeURIComponent(lotIri)}`, { key: producer.key });
    expect(validateEpcisDocument(byLot.json)).toEqual({ valid: true });
    expect(documentEvents(byLot.json).map((e) => e["type"])).toEqual(["TransformationEvent"]);
    const shipping = await t.call("GET", "/events?EQ_bizStep=shipping", { key: producer.key });
    const [event] = documentEvents(shipping.json);
    expect(event!["eventID"]).toBe(sent.json.event.eventID);
    expect(exportedHash(shipping.json, event!)).toBe(sent.json.event.eventID);
    const one = await t.call("GET", `/events/${encodeURIComponent(event!["eventID"] as string)}`, { key: buyer.key });
    expect(one.status).toBe(200);
    expect(validateEpcisDocument(one.json)).toEqual({ valid: true });
  });

  it("links captured events that name the capturer's own lots to those lots", async () => {
    const { producer, lot } = await t.producerWithLot(50);
    const document = read("examples/Example_9.6.2-ObjectEvent.jsonld");
    const [event] = documentEvents(document);
    const mine = { ...event, eventID: undefined, quantityList: [{ epcClass: `${PUBLIC_URL}/id/lot/${lot.id}`, quantity: 5, uom: "KGM" }] };
    delete (mine as Record<string, unknown>)["eventID"];
    delete (mine as Record<string, unknown>)["epcList"];
    const res = await capture(producer.key, { ...document, epcisBody: { eventList: [mine] } });
    expect(res.json.success, JSON.stringify(res.json)).toBe(true);
    const history = await t.call("GET", `/v1/events?lotId=${lot.id}`, { key: producer.key });
    expect(history.json.document.epcisBody.eventList).toHaveLength(1);
  });
});
