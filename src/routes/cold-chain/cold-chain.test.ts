import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { ADMIN_KEY, createTestContext, type TestContext } from "../../../test/support/context";
import { coldChainSummary, handoverCheck } from "../../services/cold-chain";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext("cold-chain");
});
afterAll(() => t.close());

const T0 = Date.parse("2026-11-19T00:00:00Z");
const MIN = 60_000;
/** Readings every 10 minutes from `start`, as a logger exports them. */
const readings = (temps: number[], start = T0) => temps.map((celsius, i) => ({ at: new Date(start + i * 10 * MIN).toISOString(), celsius }));

/** A producer's lot of a product with the given storage range (or the 蔬菜 default of 0–7 °C). */
async function lotWith(storage?: { minC: number; maxC: number }, extra: Record<string, unknown> = {}) {
  const producer = await t.party("cooperative");
  const product = await t.call("POST", "/v1/products", { key: producer.key, body: { name: "冻猪肉", category: "蔬菜", unit: "kg", ...(storage ? { storage } : {}), ...extra } });
  const lot = await t.call("POST", "/v1/lots", { key: producer.key, body: { productId: product.json.id, quantity: 100, unit: "kg", harvestedAt: "2026-11-19" } });
  return { producer, product: product.json, lot: lot.json };
}

const lotSetOf = (ids: string[]) => createHash("sha256").update([...ids].sort().join(",")).digest("hex");

const post = (key: string, body: unknown) => t.call("POST", "/v1/cold-chain/readings", { key, body });

describe("JSON readings", () => {
  it("are stored, summarised, and an excursion longer than 30 minutes is found and kept open", async () => {
    const { producer, lot } = await lotWith();
    const temps = [5, 5, 6, 8, 9, 10, 9, 8, 6, 5]; // above 7 °C for 40 minutes
    const res = await post(producer.key, { lotId: lot.id, loggerId: "TL-1", readings: readings(temps) });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ lotId: lot.id, received: 10, inserted: 10, duplicates: 0, loggers: ["TL-1"] });
    expect(res.json.openExcursions).toMatchObject([
      { kind: "out_of_range", start: "2026-11-19T00:30:00.000Z", end: "2026-11-19T01:10:00.000Z", durationMinutes: 40, peakC: 10, maxDeviationC: 3, readings: 5, status: "open", loggerId: "TL-1" },
    ]);

    const again = await post(producer.key, { lotId: lot.id, loggerId: "TL-1", readings: readings(temps) });
    expect(again.json).toMatchObject({ inserted: 0, duplicates: 10 });
    expect(again.json.openExcursions.map((e: { id: string }) => e.id)).toEqual(res.json.openExcursions.map((e: { id: string }) => e.id));

    const view = await t.call("GET", `/v1/cold-chain/lots/${lot.id}`, { key: producer.key });
    expect(view.status).toBe(200);
    expect(view.json).toMatchObject({
      readings: 10,
      min: 5,
      max: 10,
      range: { minC: 0, maxC: 7, source: "category", profile: "fresh" },
      lastReading: { at: "2026-11-19T01:30:00.000Z", celsius: 5, loggerId: "TL-1" },
      handover: { flagged: false },
      loggers: ["TL-1"],
      openExcursions: 1,
    });
    expect(view.json.series).toHaveLength(10);
    expect(view.json.gaps).toEqual([]);
  });

  it("sent concurrently for the same logger are stored once, with one excursion, and gaps are listed", async () => {
    const { producer, lot } = await lotWith();
    const temps = [3, 9, 9, 9, 9, 9, 9, 3];
    const batches = [readings(temps), readings(temps.slice(2), T0 + 20 * MIN), readings(temps.slice(0, 5)), readings([9, 9, 3], T0 + 50 * MIN)];
    const results = await Promise.all(batches.map((rs) => post(producer.key, { lotId: lot.id, loggerId: "A", readings: rs })));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(results.reduce((n, r) => n + r.json.inserted, 0)).toBe(8);
    await post(producer.key, { lotId: lot.id, loggerId: "A", readings: readings([3], T0 + 5 * 3600_000) });
    const view = await t.call("GET", `/v1/cold-chain/lots/${lot.id}`, { key: producer.key });
    expect(view.json).toMatchObject({ readings: 9, openExcursions: 1, excursions: [{ durationMinutes: 50, readings: 6 }] });
    expect(view.json.gaps).toEqual([{ loggerId: "A", start: "2026-11-19T01:10:00.000Z", end: "2026-11-19T05:00:00.000Z" }]);
  });

  it("from a second logger and later batches extend, split and reopen excursions", async () => {
    const { producer, lot } = await lotWith();
    const first = await post(producer.key, { lotId: lot.id, loggerId: "A", readings: readings([5, 9, 9, 9, 9, 9]) });
    const [open] = first.json.openExcursions;
    expect(open).toMatchObject({ durationMinutes: 40 });
    await t.call("POST", `/v1/cold-chain/excursions/${open.id}/actions`, { key: producer.key, body: { action: "corrective", note: "冷机除霜后恢复" } });
    t.clock.advance(1000);
    await t.call("POST", `/v1/cold-chain/excursions/${open.id}/actions`, { key: producer.key, body: { action: "release", note: "感官检查合格" } });
    t.clock.advance(60_000);
    // The logger's next upload shows the rise went on: same excursion, longer, open again.
    const more = await post(producer.key, { lotId: lot.id, loggerId: "A", readings: readings([9, 9, 5], T0 + 60 * MIN) });
    expect(more.json.openExcursions).toMatchObject([{ id: open.id, durationMinutes: 60, status: "open", actions: [{ action: "corrective" }, { action: "release" }] }]);
    // A reading inside the range in the middle splits it: the tail is too short to count, so one excursion remains.
    const split = await post(producer.key, { lotId: lot.id, loggerId: "A", readings: [{ at: new Date(T0 + 55 * MIN).toISOString(), celsius: 4 }] });
    expect(split.json.openExcursions).toMatchObject([{ id: open.id, durationMinutes: 40 }]);
    // Another logger on the same lot keeps its own series.
    const other = await post(producer.key, { lotId: lot.id, loggerId: "B", readings: readings([9, 9, 9, 9, 9]) });
    expect(other.json.openExcursions.map((e: { loggerId: string }) => e.loggerId)).toEqual(["B", "A"]); // by start time
  });

  it("may go to a shipment reference instead of a lot", async () => {
    const buyer = await t.party("buyer");
    const res = await post(buyer.key, { shipmentRef: "浙A12345-20261119", loggerId: "TRUCK-1", readings: readings([-19, -18.5]) });
    expect(res.json).toMatchObject({ lotId: null, shipmentRef: "浙A12345-20261119", inserted: 2, openExcursions: [] });
  });

  it("are refused with reasons: bad rows, both or neither target, too many readings", async () => {
    const { producer, lot } = await lotWith();
    const bad = await post(producer.key, { lotId: lot.id, loggerId: "A", readings: [{ at: "2026-11-19T08:00:00", celsius: 3 }, { at: "2026-11-19T08:10:00+08:00", celsius: 300 }, 7] });
    expect(bad.status).toBe(422);
    expect(bad.headers.get("content-type")).toMatch(/problem\+json/);
    expect(bad.json.errors).toEqual([
      { path: "readings.0.at", message: "must be an ISO 8601 date-time with offset" },
      { path: "readings.1.celsius", message: "must be between -80 and 80 °C" },
      { path: "readings.2", message: "must be an object { at, celsius }" },
    ]);
    const both = await post(producer.key, { lotId: lot.id, shipmentRef: "x", loggerId: "A", readings: readings([1]) });
    expect(both.json.errors).toEqual([{ path: "lotId", message: "give exactly one of lotId and shipmentRef" }]);
    expect((await post(producer.key, { loggerId: "A", readings: readings([1]) })).status).toBe(422);
    const many = await post(producer.key, { lotId: lot.id, loggerId: "A", readings: Array.from({ length: 50_001 }, () => ({ at: "2026-11-19T08:00:00Z", celsius: 1 })) });
    expect(many.json.errors).toEqual([{ path: "readings", message: "must hold at most 50000 readings" }]);
    expect((await post(producer.key, { lotId: lot.id, loggerId: "bad logger!", readings: readings([1]) })).json.errors[0].path).toBe("loggerId");
    expect((await t.call("POST", "/v1/cold-chain/readings", { key: producer.key, body: "{not json" })).status).toBeLessThan(500);
  });

  it("are accepted from the owner and from buyers, markets and regulators, and no one else", async () => {
    const { producer, lot } = await lotWith();
    const body = { lotId: lot.id, loggerId: "A", readings: readings([3]) };
    expect((await t.call("POST", "/v1/cold-chain/readings", { body })).status).toBe(401);
    for (const kind of ["buyer", "market", "regulator"]) expect((await post((await t.party(kind)).key, body)).status).toBe(200);
    expect((await post((await t.party("lab")).key, body)).status).toBe(403);
    expect((await post(ADMIN_KEY, body)).status).toBe(403);
    const stranger = await post((await t.party("family_farm")).key, body);
    expect(stranger.status).toBe(404);
    expect((await post(producer.key, { ...body, lotId: "no-such-lot" })).status).toBe(404);
  });
});

describe("CSV readings", () => {
  const csv = (key: string, query: string, text: string) =>
    t.app.request(`/v1/cold-chain/readings.csv${query}`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "text/csv; charset=utf-8" }, body: text });

  it("are read with a header, a logger column or a default logger", async () => {
    const { producer, lot } = await lotWith();
    const text = "\uFEFFAt,Celsius,LoggerId\n2026-11-19T08:00:00+08:00,3.5,L1\n2026-11-19T08:10:00+08:00,3.7,L2\n2026-11-19 08:20:00+08:00,3.9,\n";
    const res = await csv(producer.key, `?lotId=${lot.id}&loggerId=L9`, text);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ received: 3, inserted: 3, loggers: ["L1", "L2", "L9"] });
  });

  it("name the line and column of each bad cell", async () => {
    const { producer, lot } = await lotWith();
    const res = await csv(producer.key, `?lotId=${lot.id}&loggerId=A`, "at,celsius\n2026-11-19T08:00:00+08:00,abc\nyesterday,3\n");
    expect(res.status).toBe(422);
    expect((await res.json()).errors).toEqual([
      { path: "line 2.celsius", message: "must be a number" },
      { path: "line 3.at", message: "must be an ISO 8601 date-time with offset" },
    ]);
    const noLogger = await csv(producer.key, `?lotId=${lot.id}`, "at,celsius\n2026-11-19T08:00:00+08:00,3\n");
    expect((await noLogger.json()).errors).toEqual([{ path: "loggerId", message: "is required when the CSV has no loggerId column" }]);
    const noHeader = await csv(producer.key, `?lotId=${lot.id}&loggerId=A`, "time,temp\n1,2\n");
    expect((await noHeader.json()).errors.map((e: { message: string }) => e.message)).toEqual([
      "the header must name an 'at' column",
      "the header must name a 'celsius' column",
    ]);
    const json = await t.app.request(`/v1/cold-chain/readings.csv?lotId=${lot.id}`, { method: "POST", headers: { authorization: `Bearer ${producer.key}`, "content-type": "application/json" }, body: "{}" });
    expect(json.status).toBe(422);
  });
});

describe("EPCIS readings", () => {
  const GTIN = "06901234567892";
  const doc = (epcClass: string, temps: number[]) => ({
    "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: "2026-11-19T10:00:00+08:00",
    epcisBody: {
      eventList: [
        {
          type: "ObjectEvent",
          action: "OBSERVE",
          bizStep: "inspecting",
          eventTime: "2026-11-19T10:00:00+08:00",
          eventTimeZoneOffset: "+08:00",
          quantityList: [{ epcClass, quantity: 100, uom: "KGM" }],
          sensorElementList: temps.map((celsius, i) => ({
            sensorMetadata: { time: new Date(T0 + i * 10 * MIN).toISOString(), deviceID: "urn:epc:id:giai:4000001.111" },
            sensorReport: [
              { type: "gs1:Temperature", value: celsius, uom: "CEL" },
              { type: "gs1:AbsoluteHumidity", value: 12, uom: "A93" },
            ],
          })),
        },
      ],
    },
  });
  const send = (key: string, body: unknown, query = "") =>
    t.app.request(`/v1/cold-chain/readings.epcis${query}`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/ld+json" }, body: JSON.stringify(body) });

  it("go to the lot the event names by GTIN and lot number", async () => {
    const { producer, lot } = await lotWith({ minC: -30, maxC: -18 }, { gtin: GTIN });
    const res = await send(producer.key, doc(`https://id.gs1.org/01/${GTIN}/10/${lot.code}`, [-20, -19, -10, -9, -9, -9, -9, -20]));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ received: 8, inserted: 8, lots: [{ lotId: lot.id, loggers: ["urn:epc:id:giai:4000001.111"] }] });
    expect(body.lots[0].openExcursions.map((e: { kind: string }) => e.kind)).toEqual(["out_of_range"]);
  });

  it("need ?lotId= when the event names no lot this party may use, and must be valid EPCIS", async () => {
    const { producer, lot } = await lotWith();
    const unnamed = await send(producer.key, doc("urn:epc:class:lgtin:4012345.011111.NOPE", [3, 4]));
    expect(unnamed.status).toBe(422);
    expect((await unnamed.json()).errors).toEqual([{ path: "epcisBody.eventList.0", message: "lot NOPE is not a lot you may send readings for; pass ?lotId=" }]);
    const explicit = await send(producer.key, doc("urn:epc:class:lgtin:4012345.011111.NOPE", [3, 4]), `?lotId=${lot.id}`);
    expect(explicit.status).toBe(200);
    const invalid = await send(producer.key, { type: "EPCISDocument" });
    expect(invalid.status).toBe(422);
    expect((await invalid.json()).errors[0].message).toMatch(/^EPCIS 2.0 schema: /);
    const notJson = await t.app.request("/v1/cold-chain/readings.epcis", { method: "POST", headers: { authorization: `Bearer ${producer.key}`, "content-type": "application/ld+json" }, body: "{" });
    expect(notJson.status).toBe(400);
    expect(notJson.headers.get("content-type")).toMatch(/problem\+json/);
    const noTemps = doc("urn:epc:class:lgtin:4012345.011111.NOPE", []);
    expect((await send(producer.key, noTemps, `?lotId=${lot.id}`)).status).toBe(422);
  });
});

describe("excursion actions", () => {
  async function openExcursion() {
    const { producer, lot } = await lotWith();
    const res = await post(producer.key, { lotId: lot.id, loggerId: "A", readings: readings([5, 9, 9, 9, 9, 9, 5]) });
    return { producer, lot, excursion: res.json.openExcursions[0] as { id: string } };
  }
  const act = (key: string, id: string, body: unknown) => t.call("POST", `/v1/cold-chain/excursions/${id}/actions`, { key, body });

  it("close an excursion only after a corrective action and a release or reject", async () => {
    const { producer, lot, excursion } = await openExcursion();
    const rejected = await act(producer.key, excursion.id, { action: "reject", note: "拒收" });
    t.clock.advance(1000);
    expect(rejected.status).toBe(201);
    expect(rejected.json).toMatchObject({ status: "open", disposition: null });
    const market = await t.party("market");
    const corrected = await act(market.key, excursion.id, { action: "corrective", note: "转入冷库复检" });
    expect(corrected.json).toMatchObject({ status: "closed", disposition: "rejected", closedAt: t.clock.now().toISOString() });
    expect(corrected.json.actions.map((a: { action: string; partyId: string }) => [a.action, a.partyId])).toEqual([["reject", producer.id], ["corrective", market.id]]);
    expect((await act(producer.key, excursion.id, { action: "release", note: "x" })).status).toBe(409);
    const view = await t.call("GET", `/v1/cold-chain/lots/${lot.id}`, { key: producer.key });
    expect(view.json).toMatchObject({ openExcursions: 0, excursions: [{ id: excursion.id, status: "closed" }] });
  });

  it("are refused for bad input, wrong roles and other parties' excursions", async () => {
    const { producer, excursion } = await openExcursion();
    const bad = await act(producer.key, excursion.id, { action: "ignore", note: "" });
    expect(bad.status).toBe(422);
    expect(bad.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(["action", "note"]);
    expect((await act((await t.party("lab")).key, excursion.id, { action: "corrective", note: "x" })).status).toBe(403);
    expect((await act((await t.party("cooperative")).key, excursion.id, { action: "corrective", note: "x" })).status).toBe(404);
    expect((await act(producer.key, "nope", { action: "corrective", note: "x" })).status).toBe(404);
  });
});

describe("reading a lot's cold chain", () => {
  it("is open to the lot's handlers, admins and the region's regulator, and 404 to others", async () => {
    const { producer, lot } = await lotWith();
    await post(producer.key, { lotId: lot.id, loggerId: "A", readings: readings([3]) });
    const path = `/v1/cold-chain/lots/${lot.id}`;
    expect((await t.call("GET", path)).status).toBe(401);
    expect((await t.call("GET", path, { key: ADMIN_KEY })).status).toBe(200);
    expect((await t.call("GET", path, { key: (await t.party("regulator", { regionCode: "330100" })).key })).status).toBe(200);
    expect((await t.call("GET", path, { key: (await t.party("lab")).key })).status).toBe(404);
    expect((await t.call("GET", path, { key: (await t.party("cooperative")).key })).status).toBe(404);
  });

  it("flags frozen goods above −12 °C at handover", async () => {
    const { producer, lot } = await lotWith({ minC: -30, maxC: -18 });
    await post(producer.key, { lotId: lot.id, loggerId: "A", readings: readings([-19, -11]) });
    const view = await t.call("GET", `/v1/cold-chain/lots/${lot.id}`, { key: producer.key });
    expect(view.json.range).toMatchObject({ maxC: -18, transitMaxC: -15, handoverMaxC: -12, profile: "frozen", source: "product" });
    expect(view.json.handover).toMatchObject({ flagged: true, limitC: -12 });
    expect(await handoverCheck(t.deps, lot.id)).toMatchObject({ flagged: true, celsius: -11, at: "2026-11-19T00:10:00.000Z" });
  });

  it("shows an open excursion on the certificate's scan page, in words and in the JSON", async () => {
    const { producer, lot } = await lotWith();
    expect((await post(producer.key, { lotId: lot.id, loggerId: "TL-9", readings: readings([5, 5, 6, 8, 9, 12, 9, 8, 6, 5]) })).status).toBe(200); // above 7 °C for 40 minutes
    const cert = await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, quantity: 10, basis: "quality_control" } });
    expect(cert.status).toBe(201);
    const page = await t.call("GET", `/c/${cert.json.code}`, { headers: { accept: "text/html" } });
    expect(page.text).toContain("1 次超温");
    expect(page.text).toMatch(/<li class="s-fail"><time>[0-9-]{10}<\/time> · 12 °C · 未处置<\/li>/);
    const json = await t.call("GET", `/c/${cert.json.code}`, { headers: { accept: "application/json" } });
    expect(json.json.trace.coldChain[0].excursions).toEqual([expect.objectContaining({ maxC: 12, open: true })]);
  });

  it("gives the scan page a chart of at most 200 points that keeps the excursion's peak", async () => {
    const { producer, lot } = await lotWith();
    const temps = Array.from({ length: 3000 }, (_, i) => (i >= 1500 && i < 1510 ? 12 : 3 + (i % 5) * 0.1));
    await post(producer.key, { lotId: lot.id, loggerId: "A", readings: readings(temps) });
    const summary = await coldChainSummary(t.deps, [lot.id]);
    expect(summary).toMatchObject({ range: { minC: 0, maxC: 7 }, readings: 3000, min: 3, max: 12 });
    expect(summary!.series.length).toBeLessThanOrEqual(200);
    expect(summary!.series.some((p) => p.celsius === 12)).toBe(true);
    expect(summary!.excursions).toEqual([{ start: "2026-11-29T10:00:00.000Z", end: "2026-11-29T11:30:00.000Z", maxC: 12, open: true }]);
    const { lot: empty } = await lotWith();
    expect(await coldChainSummary(t.deps, [empty.id])).toBeNull();
    expect(await coldChainSummary(t.deps, [])).toBeNull();
  });

  it("saves a lot set's series and makes it again once any of the lots' streams has new readings", async () => {
    const { producer, lot } = await lotWith();
    await post(producer.key, { lotId: lot.id, loggerId: "A", readings: readings(Array.from({ length: 300 }, () => 4)) });
    expect((await coldChainSummary(t.deps, [lot.id]))!.series.every((p) => p.celsius === 4)).toBe(true);
    // Read back while nothing changed: a saved series altered in place shows through.
    await t.deps.db.execute(sql`UPDATE cold_chain_series SET points = replace(points, '[4,', '[5,') WHERE lot_set = ${lotSetOf([lot.id])}`);
    expect((await coldChainSummary(t.deps, [lot.id]))!.series.some((p) => p.celsius === 5)).toBe(true);

    // Another logger's readings change the stamp: the series is made again and shows them.
    await post(producer.key, { lotId: lot.id, loggerId: "B", readings: readings([11], T0 + 5 * MIN) });
    const summary = (await coldChainSummary(t.deps, [lot.id]))!;
    expect(summary).toMatchObject({ readings: 301, max: 11 });
    expect(summary.series.some((p) => p.celsius === 11)).toBe(true);
    expect(summary.series.some((p) => p.celsius === 5)).toBe(false);
    const view = await t.call("GET", `/v1/cold-chain/lots/${lot.id}`, { key: producer.key });
    expect(view.json).toMatchObject({ readings: 301, max: 11 });
    expect(view.json.series).toEqual(summary.series);

    // A re-sent reading stores nothing and leaves the saved series as it is.
    const stored = await t.deps.db.execute(sql`SELECT stamp FROM cold_chain_series WHERE lot_set = ${lotSetOf([lot.id])}`);
    await post(producer.key, { lotId: lot.id, loggerId: "B", readings: readings([11], T0 + 5 * MIN) });
    await coldChainSummary(t.deps, [lot.id]);
    expect(await t.deps.db.execute(sql`SELECT stamp FROM cold_chain_series WHERE lot_set = ${lotSetOf([lot.id])}`)).toEqual(stored);
  });

  it("saves the series of a lineage of hundreds of lots under a key of fixed length", async () => {
    const { producer, lot } = await lotWith();
    await post(producer.key, { lotId: lot.id, loggerId: "A", readings: readings([3, 4, 12, 4]) });
    const lineage = [lot.id, ...Array.from({ length: 300 }, (_, i) => `01900000-0000-7000-8000-${String(i).padStart(12, "0")}`)];
    expect(await coldChainSummary(t.deps, lineage)).toMatchObject({ readings: 4, max: 12 });
    expect(await coldChainSummary(t.deps, [...lineage].reverse())).toMatchObject({ readings: 4, max: 12 });
    const saved = await t.deps.db.execute(sql`SELECT stamp FROM cold_chain_series WHERE lot_set = ${lotSetOf(lineage)}`);
    expect(Array.isArray(saved) ? saved : (saved as { rows: unknown[] }).rows).toHaveLength(1);
  });

  it("keeps from each stretch the reading furthest from the range's middle, the earlier (then the colder) of equals", async () => {
    const { producer, lot } = await lotWith();
    // Two loggers reading at the same instants, from few values, so equal distances from 3.5 °C are common.
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const temps = () => Array.from({ length: 450 }, () => 1.5 + Math.floor(next() * 9) * 0.5);
    const a = readings(temps());
    const b = readings(temps());
    await post(producer.key, { lotId: lot.id, loggerId: "A", readings: a });
    await post(producer.key, { lotId: lot.id, loggerId: "B", readings: b });

    const all = [...a, ...b].map((r) => ({ at: Date.parse(r.at), celsius: r.celsius }));
    const first = Math.min(...all.map((r) => r.at));
    const last = Math.max(...all.map((r) => r.at));
    const width = Math.max(1, (last - first + 1) / 200);
    const kept = new Map<number, { at: number; celsius: number }>();
    for (const r of all) {
      const stretch = Math.min(Math.floor((r.at - first) / width), 199);
      const k = kept.get(stretch);
      if (k === undefined || (Math.abs(r.celsius - 3.5) - Math.abs(k.celsius - 3.5) || k.at - r.at || k.celsius - r.celsius) > 0) kept.set(stretch, r);
    }
    const expected = [...kept.entries()].sort(([x], [y]) => x - y).map(([, r]) => ({ at: new Date(r.at).toISOString(), celsius: r.celsius }));

    expect((await coldChainSummary(t.deps, [lot.id]))!.series).toEqual(expected);
    const view = await t.call("GET", `/v1/cold-chain/lots/${lot.id}`, { key: producer.key });
    expect(view.json.series).toEqual(expected);
  });
});
