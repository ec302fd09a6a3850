import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../../test/support/context";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext("market-offline");
});
afterAll(() => t.close());

type Party = Awaited<ReturnType<TestContext["party"]>>;

async function issue(key: string, lotId: string, quantity: number) {
  const res = await t.call("POST", "/v1/certificates", { key, body: { lotId, quantity, basis: "quality_control" } });
  if (res.status !== 201) throw new Error(`issue: ${res.status} ${res.text}`);
  return res.json as { id: string; code: string; jwt: string };
}

const ledger = async (market: Party) => (await t.call("GET", "/v1/market/receipts", { key: market.key })).json.items as { id: string; certificateCode: string }[];

describe("POST /v1/market/receipts with Idempotency-Key", () => {
  it("answers a resend with the same receipt and records it once", async () => {
    const market: Party = await t.party("market");
    const { producer, lot } = await t.producerWithLot(500);
    const cert = await issue(producer.key, lot.id, 100);
    const body = { code: cert.code, sellerName: "王老板", quantity: 30, unit: "kg", decision: "accept" };
    const headers = { "idempotency-key": "gate-0001-6f1c2a" };
    const first = await t.call("POST", "/v1/market/receipts", { key: market.key, body, headers });
    expect(first.status).toBe(201);
    const again = await t.call("POST", "/v1/market/receipts", { key: market.key, body: { decision: "accept", unit: "kg", quantity: 30, sellerName: "王老板", code: cert.code }, headers });
    expect(again.status).toBe(200);
    expect(again.json.id).toBe(first.json.id);
    expect(await ledger(market)).toHaveLength(1);
    const check = await t.call("POST", "/v1/market/check", { key: market.key, body: { code: cert.code } });
    expect(check.json.received).toBe(30);
  });

  it("records concurrent sends of one key once, without a false over-quantity flag", async () => {
    const market: Party = await t.party("market");
    const { producer, lot } = await t.producerWithLot(500);
    const cert = await issue(producer.key, lot.id, 40);
    const body = { code: cert.code, sellerName: "李四", quantity: 40, unit: "kg", decision: "accept" };
    const sends = await Promise.all(
      Array.from({ length: 6 }, () => t.call("POST", "/v1/market/receipts", { key: market.key, body, headers: { "idempotency-key": "gate-race-000001" } })),
    );
    expect(sends.map((s) => s.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(sends.map((s) => s.json.id)).size).toBe(1);
    expect(await ledger(market)).toHaveLength(1);
    expect((await t.call("GET", "/v1/market/flags", { key: market.key })).json.items).toEqual([]);
  });

  it("keeps keys per market, refuses a key reused for other fields, and validates the header", async () => {
    const [a, b]: Party[] = [await t.party("market"), await t.party("market")];
    const { producer, lot } = await t.producerWithLot(500);
    const cert = await issue(producer.key, lot.id, 100);
    const body = { code: cert.code, sellerName: "张三", quantity: 10, unit: "kg", decision: "accept" };
    const headers = { "idempotency-key": "shared-key-0001" };
    expect((await t.call("POST", "/v1/market/receipts", { key: a.key, body, headers })).status).toBe(201);
    expect((await t.call("POST", "/v1/market/receipts", { key: b.key, body, headers })).status).toBe(201);
    const reused = await t.call("POST", "/v1/market/receipts", { key: a.key, body: { ...body, quantity: 11 }, headers });
    expect(reused.status).toBe(422);
    expect(reused.headers.get("content-type")).toContain("application/problem+json");
    expect(reused.json.errors[0].path).toBe("header.idempotency-key");
    const short = await t.call("POST", "/v1/market/receipts", { key: a.key, body, headers: { "idempotency-key": "x" } });
    expect(short.status).toBe(422);
    expect(short.json.errors[0]).toMatchObject({ path: "header.idempotency-key", message: "must be 8 to 100 characters" });
    // A failed attempt stores nothing under its key: the retry is judged afresh.
    const tooMuch = await t.call("POST", "/v1/market/receipts", { key: a.key, body: { ...body, quantity: 500 }, headers: { "idempotency-key": "too-much-0001" } });
    expect(tooMuch.status).toBe(409);
    const fixed = await t.call("POST", "/v1/market/receipts", { key: a.key, body: { ...body, quantity: 500 }, headers: { "idempotency-key": "too-much-0001" } });
    expect(fixed.status).toBe(409);
  });
});

describe("GET /v1/market/offline-bundle", () => {
  it("holds the certificates of shipments to the market, of its sellers and of goods it took in part of, with the status lists", async () => {
    const market: Party = await t.party("market");
    const shipper = await t.producerWithLot(500);
    const shipped = await issue(shipper.producer.key, shipper.lot.id, 100);
    const sent = await t.call("POST", "/v1/shipments", {
      key: shipper.producer.key,
      body: { lotId: shipper.lot.id, quantity: 50, unit: "kg", toPartyId: market.id, shippedAt: "2026-11-20T08:00:00+08:00" },
    });
    expect(sent.status).toBe(201);

    const regular = await t.producerWithLot(500);
    const first = await issue(regular.producer.key, regular.lot.id, 100);
    await t.call("POST", "/v1/market/receipts", { key: market.key, body: { code: first.code, sellerName: "老客户", quantity: 20, unit: "kg", decision: "accept" } });
    const next = await issue(regular.producer.key, regular.lot.id, 100);

    const stranger = await t.producerWithLot(500);
    const unrelated = await issue(stranger.producer.key, stranger.lot.id, 100);

    const res = await t.call("GET", "/v1/market/offline-bundle", { key: market.key });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    const byCode = new Map((res.json.credentials as { code: string; jwt: string; received: number; why: string }[]).map((c) => [c.code, c]));
    expect(byCode.get(shipped.code)).toMatchObject({ jwt: shipped.jwt, why: "shipment", received: 0 });
    expect(byCode.get(first.code)).toMatchObject({ why: "received", received: 20 });
    expect(byCode.get(next.code)).toMatchObject({ why: "seller" });
    expect(byCode.has(unrelated.code)).toBe(false);
    expect(res.json.statusLists.map((l: { purpose: string; list: number }) => `${l.purpose}/${l.list}`)).toEqual(["revocation/0", "suspension/0"]);
  });

  it("is for markets only", async () => {
    const { producer } = await t.producerWithLot(10);
    expect((await t.call("GET", "/v1/market/offline-bundle", { key: producer.key })).status).toBe(403);
    const anonymous = await t.call("GET", "/v1/market/offline-bundle");
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("content-type")).toContain("application/problem+json");
  });
});
