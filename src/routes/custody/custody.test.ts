import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, createTestContext, type TestContext } from "../../../test/support/context";
import { validateEpcisDocument } from "../../domain/epcis";
import { custodyChain } from "../../services/custody";
import { ancestorLotIds, descendantLotIds } from "../../services/genealogy";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext("custody");
});
afterAll(() => t.close());

type Party = Awaited<ReturnType<TestContext["party"]>>;

async function ship(from: Party, lotId: string, to: Party, quantity: number, unit = "kg", extra: Record<string, unknown> = {}) {
  return t.call("POST", "/v1/shipments", { key: from.key, body: { lotId, quantity, unit, toPartyId: to.id, shippedAt: "2026-11-20T08:00:00+08:00", ...extra } });
}

async function shipAndReceive(from: Party, lotId: string, to: Party, quantity: number) {
  const sent = await ship(from, lotId, to, quantity);
  expect(sent.status).toBe(201);
  const got = await t.call("POST", `/v1/shipments/${sent.json.shipment.id}/receive`, { key: to.key, body: {} });
  expect(got.status).toBe(201);
  return got.json.lot as { id: string; quantity: number; unit: string };
}

describe("split", () => {
  it("makes the caller's new lots, takes their quantity from the parent, and records one EPCIS event", async () => {
    const { producer, lot } = await t.producerWithLot(100);
    const res = await t.call("POST", `/v1/lots/${lot.id}/split`, { key: producer.key, body: { children: [{ quantity: 40, unit: "斤" }, { quantity: 30, unit: "kg", code: "A-2" }] } });
    expect(res.status).toBe(201);
    expect(res.json.lots.map((l: { quantity: number; unit: string; partyId: string }) => [l.quantity, l.unit, l.partyId])).toEqual(
      expect.arrayContaining([[40, "斤", producer.id], [30, "kg", producer.id]]),
    );
    expect(res.json.links.map((l: { quantity: number; kind: string }) => [l.quantity, l.kind]).sort()).toEqual([[20, "split"], [30, "split"]]);
    expect(res.json.event).toMatchObject({ type: "TransformationEvent", bizStep: "repackaging", eventTimeZoneOffset: "+08:00", "lotproof:operation": "split" });
    expect(res.json.event.eventID).toMatch(/^ni:\/\/\/sha-256;/);
    const events = await t.call("GET", `/v1/events?lotId=${lot.id}`, { key: producer.key });
    expect(validateEpcisDocument(events.json.document)).toEqual({ valid: true });
    expect(events.json.document.epcisBody.eventList).toHaveLength(1);

    const over = await t.call("POST", `/v1/lots/${lot.id}/split`, { key: producer.key, body: { children: [{ quantity: 51, unit: "kg" }] } });
    expect(over.status).toBe(409);
    expect(over.json).toMatchObject({ type: "https://lotproof.dev/problems/lot-over-consumed", shortfalls: [{ lotId: lot.id, requested: 51, available: 50, unit: "kg" }] });
  });

  it("is idempotent: the same request with the same event time answers 200 with the same lots and takes nothing more", async () => {
    const { producer, lot } = await t.producerWithLot(100);
    const body = { children: [{ quantity: 10, unit: "kg" }], eventTime: "2026-11-20T09:00:00+08:00" };
    const first = await t.call("POST", `/v1/lots/${lot.id}/split`, { key: producer.key, body });
    const again = await t.call("POST", `/v1/lots/${lot.id}/split`, { key: producer.key, body });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.json.lots[0].id).toBe(first.json.lots[0].id);
    expect(again.json.event.eventID).toBe(first.json.event.eventID);
    const genealogy = await t.call("GET", `/v1/lots/${lot.id}/genealogy?direction=down`, { key: producer.key });
    expect(genealogy.json.nodes.find((n: { id: string }) => n.id === lot.id).consumedQuantity).toBe(10);
  });

  it("refuses bad input with 422 naming field and rule", async () => {
    const { producer, lot } = await t.producerWithLot(100);
    const split = (body: unknown) => t.call("POST", `/v1/lots/${lot.id}/split`, { key: producer.key, body });
    expect((await split({ children: [{ quantity: 3, unit: "箱" }] })).json.errors).toEqual([{ path: "children.0.unit", message: "箱 cannot be converted to the lot's unit kg" }]);
    expect((await split({ children: [] })).json.errors).toEqual([{ path: "children", message: "must list at least one new lot" }]);
    expect((await split({ children: [{ quantity: -1, unit: "kg" }] })).json.errors).toEqual([{ path: "children.0.quantity", message: "must be greater than 0" }]);
    expect((await split({ children: [{ quantity: 1, unit: "kg", code: "X" }, { quantity: 1, unit: "kg", code: "X" }] })).json.errors[0].path).toBe("children.1.code");
    expect((await split({ children: [{ quantity: 1, unit: "kg" }], eventTime: "2026-11-21T10:00:00+08:00" })).json.errors[0].path).toBe("eventTime");
    const stranger = await t.party("family_farm");
    const site = await t.call("POST", "/v1/sites", { key: stranger.key, body: { name: "x", regionCode: "330112" } });
    expect((await split({ children: [{ quantity: 1, unit: "kg", siteId: site.json.id }] })).json.errors).toEqual([{ path: "children.0.siteId", message: "is not one of your sites" }]);
  });

  it("of another party's lot is 404, and needs a producer or buyer", async () => {
    const { lot } = await t.producerWithLot(100);
    const stranger = await t.party("family_farm");
    const market = await t.party("market");
    const body = { children: [{ quantity: 1, unit: "kg" }] };
    expect((await t.call("POST", `/v1/lots/${lot.id}/split`, { key: stranger.key, body })).status).toBe(404);
    expect((await t.call("POST", `/v1/lots/${lot.id}/split`, { key: market.key, body })).status).toBe(403);
    expect((await t.call("POST", `/v1/lots/${lot.id}/split`, { key: ADMIN_KEY, body })).status).toBe(403);
    expect((await t.call("POST", `/v1/lots/${lot.id}/split`, { body })).status).toBe(401);
  });
});

describe("repack and transform", () => {
  it("repacks kilograms into 箱 of 5 kg, which then split and convert by their declared weight", async () => {
    const { producer, lot } = await t.producerWithLot(100);
    const res = await t.call("POST", `/v1/lots/${lot.id}/repack`, { key: producer.key, body: { packages: 12, packageWeightKg: 5, unit: "箱" } });
    expect(res.status).toBe(201);
    const crates = res.json.lots[0];
    expect(crates).toMatchObject({ quantity: 12, unit: "箱", packageWeightKg: 5 });
    expect(res.json.links[0]).toMatchObject({ quantity: 60, unit: "kg", kind: "repack" });
    const split = await t.call("POST", `/v1/lots/${crates.id}/split`, { key: producer.key, body: { children: [{ quantity: 2, unit: "箱" }, { quantity: 10, unit: "kg" }] } });
    expect(split.status).toBe(201);
    expect(split.json.lots.find((l: { unit: string }) => l.unit === "箱").packageWeightKg).toBe(5);
    expect(split.json.links.map((l: { quantity: number }) => l.quantity).sort()).toEqual([2, 2]);
    const tooMany = await t.call("POST", `/v1/lots/${lot.id}/repack`, { key: producer.key, body: { packages: 9, packageWeightKg: 5, unit: "箱" } });
    expect(tooMany.status).toBe(409);
    const notPackage = await t.call("POST", `/v1/lots/${lot.id}/repack`, { key: producer.key, body: { packages: 1, packageWeightKg: 5, unit: "kg" } });
    expect(notPackage.status).toBe(422);
    expect(notPackage.json.errors[0].path).toBe("unit");
  });

  it("transforms inputs into another product: inputs consumed, outputs unbound by mass", async () => {
    const { producer, lot } = await t.producerWithLot(100);
    const dried = await t.call("POST", "/v1/products", { key: producer.key, body: { name: "笋干", category: "蔬菜", unit: "kg" } });
    const res = await t.call("POST", "/v1/lots/transform", {
      key: producer.key,
      body: { inputs: [{ lotId: lot.id, quantity: 100, unit: "kg" }], outputs: [{ productId: dried.json.id, quantity: 200, unit: "袋" }, { productId: dried.json.id, quantity: 8, unit: "kg" }] },
    });
    expect(res.status).toBe(201);
    expect(res.json.event).toMatchObject({ type: "TransformationEvent", bizStep: "commissioning" });
    expect(res.json.links.reduce((s: number, l: { quantity: number }) => s + l.quantity, 0)).toBe(100);
    const other = await t.party("cooperative");
    const foreign = await t.call("POST", "/v1/products", { key: other.key, body: { name: "x", category: "蔬菜", unit: "kg" } });
    const { lot: lot2 } = await t.producerWithLot(5);
    const bad = await t.call("POST", "/v1/lots/transform", {
      key: producer.key,
      body: { inputs: [{ lotId: lot2.id, quantity: 1, unit: "kg" }], outputs: [{ productId: foreign.json.id, quantity: 1, unit: "kg" }] },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.errors[0].path).toBe("inputs.0.lotId");
  });
});

describe("shipping, receiving and merging (混装)", () => {
  it("a buyer receives three farms' lots, merges them, and the genealogy and custody reach every farm", async () => {
    const buyer = await t.party("buyer");
    const farms = await Promise.all([t.producerWithLot(100), t.producerWithLot(200), t.producerWithLot(300)]);
    const received = [];
    for (const farm of farms) received.push(await shipAndReceive(farm.producer, farm.lot.id, buyer, 50));
    expect(received.map((l) => [l.quantity, l.unit])).toEqual([[50, "kg"], [50, "kg"], [50, "kg"]]);

    const merged = await t.call("POST", "/v1/lots/merge", {
      key: buyer.key,
      body: { parents: [{ lotId: received[0]!.id, quantity: 50, unit: "kg" }, { lotId: received[1]!.id, quantity: 100, unit: "斤" }, { lotId: received[2]!.id, quantity: 20, unit: "kg" }] },
    });
    expect(merged.status).toBe(201);
    const child = merged.json.lots[0];
    expect(child).toMatchObject({ quantity: 120, unit: "kg", partyId: buyer.id, productId: farms[0]!.product.id });

    const up = await t.call("GET", `/v1/lots/${child.id}/genealogy?direction=up`, { key: buyer.key });
    expect(up.status).toBe(200);
    const farmLots = farms.map((f) => f.lot.id);
    const nodes = up.json.nodes as { id: string; depth: number; visible: boolean; quantity: number | null }[];
    expect(nodes.filter((n) => farmLots.includes(n.id)).map((n) => [n.depth, n.visible, n.quantity])).toEqual([[2, false, null], [2, false, null], [2, false, null]]);
    expect(up.json.edges.filter((e: { kind: string }) => e.kind === "transfer")).toHaveLength(3);

    const down = await t.call("GET", `/v1/lots/${farms[0]!.lot.id}/genealogy?direction=down&depth=1`, { key: farms[0]!.producer.key });
    expect(down.json.nodes.map((n: { depth: number }) => n.depth)).toEqual([0, 1]);

    expect((await ancestorLotIds(t.deps, [child.id], 10)).sort()).toEqual([...farmLots, ...received.map((l) => l.id)].sort());
    expect(await descendantLotIds(t.deps, [farms[0]!.lot.id], 10)).toEqual(expect.arrayContaining([received[0]!.id, child.id]));
    expect(await ancestorLotIds(t.deps, [child.id], 1)).toHaveLength(3);

    const chain = await custodyChain(t.deps, child.id);
    expect(chain.map((c) => c.how)).toEqual(["origin", "origin", "origin", "transfer", "transfer", "transfer", "merge"]);
    expect(chain.at(-1)).toMatchObject({ lotId: child.id, party: { id: buyer.id }, until: null, depth: 0 });
    expect(chain[0]!.until).toBe("2026-11-20T00:00:00.000Z");
    const viaRoute = await t.call("GET", `/v1/lots/${child.id}/custody`, { key: buyer.key });
    expect(viaRoute.json.holders).toHaveLength(7);
    expect((await t.call("GET", `/v1/lots/${child.id}/custody`, { key: farms[0]!.producer.key })).status).toBe(404);
  });

  it("lists a chain from its origin even when the goods moved on before their lot was recorded", async () => {
    const { producer, lot } = await t.producerWithLot(100);
    const buyer = await t.party("buyer");
    const sent = await ship(producer, lot.id, buyer, 40, "kg", { shippedAt: "2026-11-18T08:00:00+08:00" });
    const got = await t.call("POST", `/v1/shipments/${sent.json.shipment.id}/receive`, { key: buyer.key, body: { receivedAt: "2026-11-18T12:00:00+08:00" } });
    expect(got.status, got.text).toBe(201);
    const chain = await custodyChain(t.deps, got.json.lot.id);
    expect(chain.map((c) => [c.how, c.party.id])).toEqual([
      ["origin", producer.id],
      ["transfer", buyer.id],
    ]);
  });

  it("a shipment takes its quantity at once; only the named receiver receives it, once", async () => {
    const { producer, lot } = await t.producerWithLot(100);
    const market = await t.party("market");
    const other = await t.party("market");
    const sent = await ship(producer, lot.id, market, 80, "斤");
    expect(sent.status).toBe(201);
    expect(sent.json.shipment).toMatchObject({ status: "pending", quantity: 80, unit: "斤", lotQuantity: 40 });
    expect(sent.json.event).toMatchObject({ type: "ObjectEvent", bizStep: "shipping", disposition: "in_transit", quantityList: [{ quantity: 40, uom: "KGM" }] });
    expect((await ship(producer, lot.id, market, 80, "斤")).status).toBe(200);
    expect((await ship(producer, lot.id, market, 61, "kg", { shippedAt: "2026-11-20T09:00:00+08:00" })).status).toBe(409);

    const id = sent.json.shipment.id;
    expect((await t.call("GET", "/v1/shipments?direction=incoming&status=pending", { key: market.key })).json.items.map((s: { id: string }) => s.id)).toEqual([id]);
    expect((await t.call("POST", `/v1/shipments/${id}/receive`, { key: other.key })).status).toBe(404);
    expect((await t.call("POST", `/v1/shipments/${id}/receive`, { key: producer.key })).status).toBe(403);
    expect((await t.call("GET", `/v1/shipments/${id}`, { key: other.key })).status).toBe(404);
    const bad = await t.call("POST", `/v1/shipments/${id}/receive`, { key: market.key, body: { receivedAt: "2026-11-19T10:00:00+08:00" } });
    expect(bad.status).toBe(422);
    expect(bad.json.errors[0].path).toBe("receivedAt");

    const got = await t.call("POST", `/v1/shipments/${id}/receive`, { key: market.key });
    expect(got.status).toBe(201);
    expect(got.json.lot).toMatchObject({ partyId: market.id, quantity: 80, unit: "斤" });
    expect(got.json.event).toMatchObject({ bizStep: "receiving", "lotproof:receivedAs": `https://trace.test/id/lot/${got.json.lot.id}` });
    const again = await t.call("POST", `/v1/shipments/${id}/receive`, { key: market.key });
    expect(again.status).toBe(200);
    expect(again.json.lot.id).toBe(got.json.lot.id);
    expect((await t.call("GET", `/v1/shipments/${id}`, { key: producer.key })).json.status).toBe("received");
  });

  it("refuses shipments to parties that are not buyers or markets, and of lots not held", async () => {
    const { producer, lot } = await t.producerWithLot(100);
    const farm = await t.party("family_farm");
    const buyer = await t.party("buyer");
    expect((await ship(producer, lot.id, farm, 1)).json.errors).toEqual([{ path: "toPartyId", message: "is not a registered buyer or market other than you" }]);
    expect((await ship(producer, lot.id, buyer, 1, "kg", { toSiteId: "nope" })).json.errors).toEqual([{ path: "toSiteId", message: "is not a site of the receiving party" }]);
    expect((await ship(farm, lot.id, buyer, 1)).json.errors).toEqual([{ path: "lotId", message: "is not a lot you hold" }]);
    expect((await ship(producer, lot.id, buyer, 1, "kg", { shippedAt: "yesterday" })).json.errors[0].path).toBe("shippedAt");
  });
});

describe("events and genealogy reads", () => {
  it("page events as EPCIS documents, visible to the lot's readers only", async () => {
    const { producer, lot } = await t.producerWithLot(100);
    for (let i = 0; i < 3; i++) {
      t.clock.advance(1000);
      expect((await t.call("POST", `/v1/lots/${lot.id}/split`, { key: producer.key, body: { children: [{ quantity: 1, unit: "kg" }] } })).status).toBe(201);
    }
    const first = await t.call("GET", `/v1/events?lotId=${lot.id}&limit=2`, { key: producer.key });
    expect(first.json.document.epcisBody.eventList).toHaveLength(2);
    const second = await t.call("GET", `/v1/events?lotId=${lot.id}&limit=2&cursor=${first.json.nextCursor}`, { key: producer.key });
    expect(second.json.document.epcisBody.eventList).toHaveLength(1);
    expect(second.json.nextCursor).toBeNull();
    expect(validateEpcisDocument(second.json.document)).toEqual({ valid: true });
    const mine = await t.call("GET", "/v1/events", { key: producer.key });
    expect(mine.json.document.epcisBody.eventList).toHaveLength(3);
    const stranger = await t.party("family_farm");
    expect((await t.call("GET", `/v1/events?lotId=${lot.id}`, { key: stranger.key })).status).toBe(404);
    expect((await t.call("GET", "/v1/events", { key: stranger.key })).json.document.epcisBody.eventList).toEqual([]);
    const regulator = await t.party("regulator", { regionCode: "330100" });
    expect((await t.call("GET", `/v1/events?lotId=${lot.id}`, { key: regulator.key })).status).toBe(200);
  });

  it("cap the genealogy depth and hide it from other parties", async () => {
    const { producer, lot } = await t.producerWithLot(100);
    const deep = await t.call("GET", `/v1/lots/${lot.id}/genealogy?depth=51`, { key: producer.key });
    expect(deep.status).toBe(422);
    expect(deep.json.errors).toEqual([{ path: "query.depth", message: "must be at most 50" }]);
    expect((await t.call("GET", `/v1/lots/${lot.id}/genealogy?direction=sideways`, { key: producer.key })).status).toBe(422);
    const stranger = await t.party("family_farm");
    expect((await t.call("GET", `/v1/lots/${lot.id}/genealogy`, { key: stranger.key })).status).toBe(404);
    const chainOf = async (depth: number) => {
      let current = lot.id as string;
      for (let i = 0; i < depth; i++) {
        const r = await t.call("POST", `/v1/lots/${current}/split`, { key: producer.key, body: { children: [{ quantity: 1, unit: "kg" }] } });
        current = r.json.lots[0].id;
      }
      return current;
    };
    const leaf = await chainOf(4);
    const up = await t.call("GET", `/v1/lots/${leaf}/genealogy?direction=up&depth=2`, { key: producer.key });
    expect(up.json.nodes.map((n: { depth: number }) => n.depth)).toEqual([0, 1, 2]);
    expect(up.json.edges).toHaveLength(2);
  });
});

describe("concurrency: the database refuses over-consumption", () => {
  it("of two concurrent splits that together exceed the parent, exactly one succeeds", async () => {
    const { producer, lot } = await t.producerWithLot(100);
    const results = await Promise.all(
      [60, 70].map((q) => t.call("POST", `/v1/lots/${lot.id}/split`, { key: producer.key, body: { children: [{ quantity: q, unit: "kg" }] } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it("the same request sent twice at once is recorded once", async () => {
    const { producer, lot } = await t.producerWithLot(100);
    const body = { children: [{ quantity: 30, unit: "kg" }], eventTime: "2026-11-20T09:30:00+08:00" };
    const results = await Promise.all([1, 2].map(() => t.call("POST", `/v1/lots/${lot.id}/split`, { key: producer.key, body })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 201]);
    expect(results[0]!.json.lots[0].id).toBe(results[1]!.json.lots[0].id);
    const node = (await t.call("GET", `/v1/lots/${lot.id}/genealogy?direction=down&depth=1`, { key: producer.key })).json.nodes[0];
    expect(node.consumedQuantity).toBe(30);
  });

  it("many concurrent splits and shipments never take more than the lot holds", async () => {
    const { producer, lot } = await t.producerWithLot(100);
    const market = await t.party("market");
    const calls = Array.from({ length: 24 }, (_, i) =>
      i % 2 === 0
        ? t.call("POST", `/v1/lots/${lot.id}/split`, { key: producer.key, body: { children: [{ quantity: 10, unit: "kg", code: `C-${i}` }] } })
        : ship(producer, lot.id, market, 20, "斤", { shippedAt: `2026-11-20T08:00:${String(i).padStart(2, "0")}+08:00` }),
    );
    const statuses = (await Promise.all(calls)).map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s !== 201).every((s) => s === 409)).toBe(true);
    const node = (await t.call("GET", `/v1/lots/${lot.id}/genealogy?direction=down&depth=1`, { key: producer.key })).json.nodes[0];
    expect(node).toMatchObject({ id: lot.id, consumedQuantity: 100 });
  });
});

describe("no input gives a 500", () => {
  it("on the genealogy and custody routes", async () => {
    const { producer, lot, product } = await t.producerWithLot(1000);
    const buyer = await t.party("buyer");
    const sent = await ship(producer, lot.id, buyer, 1);
    const ids = [lot.id, product.id, buyer.id, sent.json.shipment.id, "x", ""];
    const routes = [
      ["POST", "/v1/lots/{id}/split"],
      ["POST", "/v1/lots/merge"],
      ["POST", "/v1/lots/{id}/repack"],
      ["POST", "/v1/lots/transform"],
      ["POST", "/v1/shipments"],
      ["POST", "/v1/shipments/{id}/receive"],
      ["GET", "/v1/lots/{id}/genealogy"],
      ["GET", "/v1/events"],
    ] as const;
    const id = fc.constantFrom(...ids);
    const quantity = fc.oneof(fc.double(), fc.integer({ min: -5, max: 5000 }), fc.string());
    const unit = fc.constantFrom("kg", "斤", "箱", "袋", "t", "", "lb");
    const draw = fc.record({ lotId: id, quantity, unit }, { requiredKeys: [] });
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record(
        {
          children: fc.array(fc.record({ quantity, unit, code: fc.string(), siteId: id, packageWeightKg: quantity }, { requiredKeys: [] }), { maxLength: 3 }),
          parents: fc.array(draw, { maxLength: 3 }),
          inputs: fc.array(draw, { maxLength: 3 }),
          outputs: fc.array(fc.record({ productId: id, quantity, unit }, { requiredKeys: [] }), { maxLength: 3 }),
          packages: quantity,
          packageWeightKg: quantity,
          unit,
          productId: id,
          lotId: id,
          quantity,
          toPartyId: id,
          shippedAt: fc.constantFrom("2026-11-20T08:00:00+08:00", "2999-01-01T00:00:00Z", "x"),
          eventTime: fc.constantFrom("2026-11-20T08:00:00+08:00", "1970-01-01T00:00:00Z", "x"),
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), body, id, fc.constantFrom("", "?direction=down&depth=3", "?depth=0", "?lotId=x", `?lotId=${lot.id}&cursor=zz`), fc.constantFrom(producer.key, buyer.key, ADMIN_KEY), async ([method, path], payload, pathId, query, key) => {
        const url = path.replace("{id}", encodeURIComponent(pathId || "x")) + query;
        const res = await t.call(method, url, { key, ...(method === "GET" ? {} : { body: payload }) });
        if (res.status >= 500) throw new Error(`${method} ${url} → ${res.status}: ${res.text.slice(0, 300)}`);
      }),
      { numRuns: 400, seed: 20261120 },
    );
  });
});
