import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../test/support/context";

/**
 * Requests sent together reach the issuing path in the same turn of the event loop, so their lookups and their
 * INSERT go to the database as one batch. Each must still get the answer it would have had alone.
 */
let t: TestContext;
beforeAll(async () => {
  t = await createTestContext("issuing-batch");
});
afterAll(() => t.close());

const issue = (key: string, body: Record<string, unknown>, idempotencyKey?: string) =>
  t.call("POST", "/v1/certificates", {
    key,
    body: { basis: "quality_control", ...body },
    ...(idempotencyKey === undefined ? {} : { headers: { "idempotency-key": idempotencyKey } }),
  });

const certified = async (key: string, lotId: string) => (await t.call("GET", `/v1/lots/${lotId}`, { key })).json.certifiedQuantity;

describe("issuing in batches", () => {
  it("refuses with 409 only the request the lot cannot cover, and issues the others of its batch", async () => {
    const { producer, lot } = await t.producerWithLot(100);
    const [a, over, b] = await Promise.all([30, 101, 30].map((quantity) => issue(producer.key, { lotId: lot.id, quantity })));
    expect([a!.status, over!.status, b!.status]).toEqual([201, 409, 201]);
    expect(over!.json).toMatchObject({ type: "https://lotproof.dev/problems/lot-over-certified", unit: "kg" });
    expect(a!.json.id).not.toBe(b!.json.id);
    expect(await certified(producer.key, lot.id)).toBe(60);
  });

  it("answers a duplicate Idempotency-Key within one batch with the one certificate, and issues the rest", async () => {
    const { producer, lot } = await t.producerWithLot(100);
    const [first, second, other] = await Promise.all([
      issue(producer.key, { lotId: lot.id, quantity: 10 }, "batch-retry-0001"),
      issue(producer.key, { lotId: lot.id, quantity: 10 }, "batch-retry-0001"),
      issue(producer.key, { lotId: lot.id, quantity: 5 }),
    ]);
    expect([first!.status, second!.status].sort()).toEqual([200, 201]);
    expect(first!.json.id).toBe(second!.json.id);
    expect(other!.status).toBe(201);
    expect(await certified(producer.key, lot.id)).toBe(15);
  });

  it("keeps each request's lot, owner and gate apart when they share the lookups", async () => {
    const sprayed = await t.producerWithLot(100);
    const clean = await t.producerWithLot(100);
    // A leafy vegetable from the sprayed plot, harvested inside abamectin's 7-day interval; the clean farm sprayed nothing.
    const greens = await t.call("POST", "/v1/products", { key: sprayed.producer.key, body: { name: "上海青", category: "蔬菜", unit: "kg" } });
    const greensLot = await t.call("POST", "/v1/lots", {
      key: sprayed.producer.key,
      body: { productId: greens.json.id, siteId: sprayed.site.id, quantity: 100, unit: "kg", harvestedAt: "2026-11-19" },
    });
    expect(greensLot.status).toBe(201);
    const applied = await t.call("POST", "/v1/records/applications", {
      key: sprayed.producer.key,
      body: { siteId: sprayed.site.id, inputName: "阿维菌素", formulation: "1.8% EC", appliedOn: "2026-11-15" },
    });
    expect(applied.status).toBe(201);
    const [refused, issued, foreign, missing] = await Promise.all([
      issue(sprayed.producer.key, { lotId: greensLot.json.id, quantity: 1 }),
      issue(clean.producer.key, { lotId: clean.lot.id, quantity: 1 }),
      issue(clean.producer.key, { lotId: sprayed.lot.id, quantity: 1 }),
      issue(clean.producer.key, { lotId: 'no-such-lot", {x} \\', quantity: 1 }), // quotes, braces and a backslash in the array literal
    ]);
    expect(refused!.status).toBe(422);
    expect(refused!.json.type).toBe("https://lotproof.dev/problems/issuing-refused");
    expect(issued!.status).toBe(201);
    expect(issued!.json.content.issuer.name).toBe(clean.producer.name);
    expect(foreign!.status).toBe(404);
    expect(missing!.status).toBe(404);
    expect(await certified(sprayed.producer.key, greensLot.json.id)).toBe(0);
    expect(await certified(clean.producer.key, clean.lot.id)).toBe(1);
  });

  it("cuts each lot's season on a shared plot by its own harvest date", async () => {
    const { producer, site } = await t.producerWithLot(100);
    const greens = (await t.call("POST", "/v1/products", { key: producer.key, body: { name: "上海青", category: "蔬菜", unit: "kg" } })).json;
    const lotHarvested = async (harvestedAt: string) =>
      (await t.call("POST", "/v1/lots", { key: producer.key, body: { productId: greens.id, siteId: site.id, quantity: 100, unit: "kg", harvestedAt } })).json;
    const early = await lotHarvested("2026-11-09");
    const late = await lotHarvested("2026-11-19");
    const sprayed = await t.call("POST", "/v1/records/applications", {
      key: producer.key,
      body: { siteId: site.id, inputName: "阿维菌素", formulation: "1.8% EC", appliedOn: "2026-11-05" },
    });
    expect(sprayed.status).toBe(201);
    // The crop was cleared on 11-10: the spraying belongs to the early lot's season, not to the late lot's.
    const cleared = await t.call("POST", "/v1/records/harvests", { key: producer.key, body: { siteId: site.id, harvestedOn: "2026-11-10", endsSeason: true } });
    expect(cleared.status).toBe(201);
    const [earlyRes, lateRes] = await Promise.all([issue(producer.key, { lotId: early.id, quantity: 1 }), issue(producer.key, { lotId: late.id, quantity: 1 })]);
    expect(earlyRes!.status).toBe(422);
    expect(earlyRes!.json.violations[0]).toMatchObject({ kind: "interval_not_elapsed", appliedOn: "2026-11-05", harvestDate: "2026-11-09" });
    expect(lateRes!.status).toBe(201);
  });
});
