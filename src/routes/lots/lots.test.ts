import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, createTestContext, type TestContext } from "../../../test/support/context";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext("lots");
});
afterAll(() => t.close());

describe("sites, products and lots", () => {
  it("are created, read and listed by their owner", async () => {
    const { producer, site, product, lot } = await t.producerWithLot(500);
    expect(site).toMatchObject({ name: "一号地块", regionCode: "330112" });
    expect(product).toMatchObject({ name: "雷笋", category: "蔬菜", unit: "kg", gtin: null });
    expect(lot).toMatchObject({ quantity: 500, unit: "kg", certifiedQuantity: 0, remainingQuantity: 500, harvestedAt: "2026-11-19" });
    expect(lot.code).toMatch(/^20261119-[0-9A-F]{6}$/);
    for (const [path, id] of [["sites", site.id], ["products", product.id], ["lots", lot.id]] as const) {
      expect((await t.call("GET", `/v1/${path}/${id}`, { key: producer.key })).status).toBe(200);
      const page = await t.call("GET", `/v1/${path}`, { key: producer.key });
      expect(page.json.items.map((i: { id: string }) => i.id)).toEqual([id]);
    }
  });

  it("of another party are 404, as if they did not exist", async () => {
    const { site, product, lot } = await t.producerWithLot();
    const stranger = await t.party("family_farm");
    for (const [path, id] of [["sites", site.id], ["products", product.id], ["lots", lot.id]] as const) {
      expect((await t.call("GET", `/v1/${path}/${id}`, { key: stranger.key })).status).toBe(404);
    }
    expect((await t.call("GET", "/v1/lots", { key: stranger.key })).json.items).toEqual([]);
    const steal = await t.call("POST", "/v1/lots", { key: stranger.key, body: { productId: product.id, quantity: 1, unit: "kg", harvestedAt: "2026-11-19" } });
    expect(steal.status).toBe(422);
    expect(steal.json.errors[0]).toEqual({ path: "productId", message: "is not one of your products" });
  });

  it("are readable by a regulator of the region, not one of another region", async () => {
    const { lot } = await t.producerWithLot();
    const local = await t.party("regulator", { regionCode: "330100" });
    const far = await t.party("regulator", { regionCode: "330800" });
    expect((await t.call("GET", `/v1/lots/${lot.id}`, { key: local.key })).status).toBe(200);
    expect((await t.call("GET", `/v1/lots/${lot.id}`, { key: far.key })).status).toBe(404);
  });

  it("validate GTINs and store them as 14 digits", async () => {
    const producer = await t.party("enterprise");
    const ok = await t.call("POST", "/v1/products", { key: producer.key, body: { name: "红心猕猴桃", category: "水果", gtin: "4006381333931", unit: "kg", storage: { minC: 0, maxC: 7 } } });
    expect(ok.json).toMatchObject({ gtin: "04006381333931", storage: { minC: 0, maxC: 7 } });
    const bad = await t.call("POST", "/v1/products", { key: producer.key, body: { name: "x", category: "水果", gtin: "4006381333932", unit: "kg" } });
    expect(bad.status).toBe(422);
    expect(bad.json.errors).toEqual([{ path: "gtin", message: "GTIN check digit is wrong" }]);
    const range = await t.call("POST", "/v1/products", { key: producer.key, body: { name: "x", category: "肉", unit: "kg", storage: { minC: 5, maxC: 0 } } });
    expect(range.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(["category", "storage.maxC"]);
  });

  it("refuse bad lots with reasons: negative quantity, future harvest, unit mismatch, duplicate code", async () => {
    const { producer, product } = await t.producerWithLot();
    const post = (body: Record<string, unknown>) =>
      t.call("POST", "/v1/lots", { key: producer.key, body: { productId: product.id, quantity: 10, unit: "kg", harvestedAt: "2026-11-19", ...body } });
    expect((await post({ quantity: -5 })).json.errors).toEqual([{ path: "quantity", message: "must be greater than 0" }]);
    expect((await post({ quantity: 1.0005 })).json.errors).toEqual([{ path: "quantity", message: "may have at most 3 decimals" }]);
    const future = await post({ harvestedAt: "2026-11-21" });
    expect(future.json.errors).toEqual([{ path: "harvestedAt", message: "is in the future (today is 2026-11-20 in China)" }]);
    expect((await post({ unit: "箱" })).json.errors).toEqual([{ path: "unit", message: "箱 cannot be converted to the product's unit kg" }]);
    expect((await post({ harvestedAt: "19/11/2026" })).status).toBe(422);
    expect((await post({ code: "A-1", harvestedAt: "2026-11-19T23:30:00+08:00" })).json.harvestedAt).toBe("2026-11-19");
    const dup = await post({ code: "A-1" });
    expect(dup.status).toBe(409);
  });

  it("are made by producers and buyers only", async () => {
    const market = await t.party("market");
    const res = await t.call("POST", "/v1/sites", { key: market.key, body: { name: "x", regionCode: "330112" } });
    expect(res.status).toBe(403);
    expect((await t.call("POST", "/v1/sites", { key: ADMIN_KEY, body: { name: "x", regionCode: "330112" } })).status).toBe(403);
  });
});
