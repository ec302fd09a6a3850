import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, createTestContext, type TestContext } from "../../../test/support/context";
import { activeRecallsFor } from "../../services/recall";

let t: TestContext;
const purged: string[] = [];
beforeAll(async () => {
  t = await createTestContext("recall");
  t.deps.onCertificateChanged = (code) => void purged.push(code);
});
afterAll(() => t.close());

type Party = Awaited<ReturnType<TestContext["party"]>>;

async function issue(key: string, lotId: string, quantity: number) {
  const res = await t.call("POST", "/v1/certificates", { key, body: { lotId, quantity, basis: "quality_control" } });
  if (res.status !== 201) throw new Error(`issue: ${res.status} ${res.text}`);
  return res.json as { id: string; code: string };
}

/** A farm lot split into a child, the child shipped to a market (received) and to a buyer (still on its way). */
async function chain() {
  const { producer, lot } = await t.producerWithLot(100);
  const parentCert = await issue(producer.key, lot.id, 20);
  const split = await t.call("POST", `/v1/lots/${lot.id}/split`, { key: producer.key, body: { children: [{ quantity: 50, unit: "kg" }] } });
  const child = split.json.lots[0] as { id: string };
  const childCert = await issue(producer.key, child.id, 10);
  const market: Party = await t.party("market", { contactName: "李经理" });
  const buyer: Party = await t.party("buyer");
  const sent = await t.call("POST", "/v1/shipments", { key: producer.key, body: { lotId: child.id, quantity: 30, unit: "kg", toPartyId: market.id, shippedAt: "2026-11-20T08:00:00+08:00" } });
  const got = await t.call("POST", `/v1/shipments/${sent.json.shipment.id}/receive`, { key: market.key, body: {} });
  await t.call("POST", "/v1/shipments", { key: producer.key, body: { lotId: child.id, quantity: 5, unit: "kg", toPartyId: buyer.id, shippedAt: "2026-11-20T09:00:00+08:00" } });
  return { producer, lot, child, parentCert, childCert, market, buyer, marketLotId: got.json.lot.id as string };
}

const verify = async (code: string) => (await t.call("POST", "/v1/verify", { body: { code } })).json;

describe("POST /v1/recalls", () => {
  it("recalls the lot and everything made from it at once, and lists who received goods with contact and quantities", async () => {
    const c = await chain();
    const regulator = await t.party("regulator", { regionCode: "330100" });
    expect((await verify(c.childCert.code)).status).toBe("valid");
    // A wholesale market took in 8 kg of the parent lot at its gate, on the certificate, with no shipment recorded.
    const stall: Party = await t.party("market", { contactName: "赵主任" });
    const taken = await t.call("POST", "/v1/market/receipts", { key: stall.key, body: { code: c.parentCert.code, sellerName: "王老板", quantity: 8, unit: "kg", decision: "accept" } });
    expect(taken.status).toBe(201);
    purged.length = 0;
    const res = await t.call("POST", "/v1/recalls", { key: regulator.key, body: { lotId: c.lot.id, reason: "监督抽检克百威超标", scope: "lot_and_descendants" } });
    expect(res.status).toBe(201);
    expect(res.json.recall).toMatchObject({ lotId: c.lot.id, status: "active", reason: "监督抽检克百威超标", affectedLots: 3, affectedCertificates: 2 });
    expect(res.json.affected.lotIds.sort()).toEqual([c.lot.id, c.child.id, c.marketLotId].sort());
    expect(purged.sort()).toEqual([c.parentCert.code, c.childCert.code].sort());
    const receivers = res.json.affected.receivers as { party: { id: string; contactName: string; phone: string }; totals: unknown[]; shipments: { status: string }[] }[];
    expect(receivers.map((r) => r.party.id).sort()).toEqual([c.market.id, c.buyer.id, stall.id].sort());
    expect(receivers.find((r) => r.party.id === stall.id)).toMatchObject({ party: { contactName: "赵主任" }, totals: [{ quantity: 8, unit: "kg" }], shipments: [{ via: "market_receipt", status: "received" }] });
    const market = receivers.find((r) => r.party.id === c.market.id)!;
    expect(market.party).toMatchObject({ contactName: "李经理", phone: "13800000000" });
    expect(market.totals).toEqual([{ quantity: 30, unit: "kg" }]);
    expect(receivers.find((r) => r.party.id === c.buyer.id)!.shipments[0]!.status).toBe("pending");

    for (const code of [c.parentCert.code, c.childCert.code]) {
      const v = await verify(code);
      expect(v.status).toBe("recalled");
      expect(v.valid).toBe(false);
      expect(v.reasons[0]).toMatchObject({ code: "recalled", reason: "监督抽检克百威超标", recallId: res.json.recall.id, recalledAt: "2026-11-20T02:00:00.000Z" });
    }
    const gate = await activeRecallsFor(t.deps, [c.marketLotId, c.child.id]);
    expect(gate.get(c.marketLotId)?.[0]).toMatchObject({ recallId: res.json.recall.id, recalledLotId: c.lot.id });

    const again = await t.call("POST", "/v1/recalls", { key: regulator.key, body: { lotId: c.lot.id, reason: "x" } });
    expect(again.status).toBe(409);
    expect(again.json.recallId).toBe(res.json.recall.id);
  });

  it("lifting is recorded, not deleted, and the certificates verify again", async () => {
    const c = await chain();
    const regulator = await t.party("regulator", { regionCode: "330112" });
    const made = await t.call("POST", "/v1/recalls", { key: regulator.key, body: { lotId: c.child.id, reason: "疑似污染" } });
    expect((await verify(c.parentCert.code)).status).toBe("valid");
    expect((await verify(c.childCert.code)).status).toBe("recalled");
    t.clock.advance(3600_000);
    const lifted = await t.call("POST", `/v1/recalls/${made.json.recall.id}/lift`, { key: regulator.key, body: { reason: "复检合格" } });
    expect(lifted.status).toBe(200);
    expect(lifted.json.recall).toMatchObject({ status: "lifted", liftReason: "复检合格", liftedBy: regulator.id, reason: "疑似污染" });
    expect((await verify(c.childCert.code)).status).toBe("valid");
    expect((await t.call("POST", `/v1/recalls/${made.json.recall.id}/lift`, { key: regulator.key, body: { reason: "again" } })).status).toBe(409);
    const got = await t.call("GET", `/v1/recalls/${made.json.recall.id}`, { key: regulator.key });
    expect(got.json.recall.status).toBe("lifted");
    const list = await t.call("GET", `/v1/recalls?lotId=${c.child.id}`, { key: regulator.key });
    expect(list.json.items.map((r: { id: string }) => r.id)).toEqual([made.json.recall.id]);
  });

  it("refuses bad input with 422 naming field and rule", async () => {
    const regulator = await t.party("regulator", { regionCode: "330112" });
    const bad = await t.call("POST", "/v1/recalls", { key: regulator.key, body: { lotId: "x", reason: "", scope: "lot_only" } });
    expect(bad.status).toBe(422);
    expect(bad.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(["reason", "scope"]);
    const unknown = await t.call("POST", "/v1/recalls", { key: regulator.key, body: { lotId: "no-such-lot", reason: "x" } });
    expect(unknown.json.errors).toEqual([{ path: "lotId", message: "is not a lot in your region" }]);
  });

  it("is for regulators of the lot's region: others get 403, 404 or 422", async () => {
    const c = await chain();
    const elsewhere = await t.party("regulator", { regionCode: "110101" });
    const body = { lotId: c.lot.id, reason: "x" };
    expect((await t.call("POST", "/v1/recalls", { key: c.producer.key, body })).status).toBe(403);
    expect((await t.call("POST", "/v1/recalls", { key: c.market.key, body })).status).toBe(403);
    expect((await t.call("POST", "/v1/recalls", { body })).status).toBe(401);
    expect((await t.call("POST", "/v1/recalls", { key: elsewhere.key, body })).status).toBe(422);
    const made = await t.call("POST", "/v1/recalls", { key: ADMIN_KEY, body });
    expect(made.status).toBe(201);
    expect((await t.call("GET", `/v1/recalls/${made.json.recall.id}`, { key: elsewhere.key })).status).toBe(404);
    expect((await t.call("POST", `/v1/recalls/${made.json.recall.id}/lift`, { key: elsewhere.key, body: { reason: "x" } })).status).toBe(404);
    expect((await t.call("GET", "/v1/recalls", { key: elsewhere.key })).json.items).toEqual([]);
    expect((await t.call("GET", "/v1/recalls", { key: c.producer.key })).status).toBe(403);
  });
});

describe("inheritance on verify", () => {
  it("shows a failed test on any source lot on the certificates of lots made from it", async () => {
    const c = await chain();
    const positive = await t.call("POST", "/v1/tests", {
      key: c.producer.key,
      body: { lotId: c.lot.id, kind: "self_test", method: "enzyme_inhibition", results: [{ value: 71, unit: "%" }] },
    });
    expect(positive.status).toBe(201);
    const v = await verify(c.childCert.code);
    expect(v.status).toBe("failed_test");
    expect(v.reasons[0]).toMatchObject({ code: "failed_test", lotId: c.lot.id, testId: positive.json.id });
    expect(v.reasons[0].message).toMatch(/^a lot this one was made from failed/);
  });
});
