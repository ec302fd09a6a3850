import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, createTestContext, type TestContext } from "../../../test/support/context";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext("trace");
});
afterAll(() => t.close());

async function chain() {
  const { producer, lot, site } = await t.producerWithLot(100);
  const cert = await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, quantity: 20, basis: "quality_control" } });
  const split = await t.call("POST", `/v1/lots/${lot.id}/split`, { key: producer.key, body: { children: [{ quantity: 50, unit: "kg", code: "C-1" }] } });
  const child = split.json.lots[0] as { id: string };
  const market = await t.party("market", { contactName: "李经理", regionCode: "110101" });
  const sent = await t.call("POST", "/v1/shipments", { key: producer.key, body: { lotId: child.id, quantity: 30, unit: "kg", toPartyId: market.id, shippedAt: "2026-11-20T08:00:00+08:00" } });
  const got = await t.call("POST", `/v1/shipments/${sent.json.shipment.id}/receive`, { key: market.key, body: { code: "M-1" } });
  return { producer, lot, site, cert: cert.json as { id: string; code: string }, child, market, marketLotId: got.json.lot.id as string };
}

describe("GET /v1/trace", () => {
  it("walks back to the farm and forward to the market, as nodes and edges by layer", async () => {
    const c = await chain();
    const regulator = await t.party("regulator", { regionCode: "330100" });
    const res = await t.call("GET", `/v1/trace?lotId=${c.child.id}`, { key: regulator.key });
    expect(res.status).toBe(200);
    expect(res.json.view).toBe("full");
    const layers = Object.fromEntries(res.json.nodes.map((n: { lotId: string; layer: number }) => [n.lotId, n.layer]));
    expect(layers).toEqual({ [c.lot.id]: -1, [c.child.id]: 0, [c.marketLotId]: 1 });
    expect(res.json.edges.map((e: { from: string; to: string; kind: string; quantity: number }) => [e.from, e.to, e.kind, e.quantity])).toEqual(
      expect.arrayContaining([[c.lot.id, c.child.id, "split", 50], [c.child.id, c.marketLotId, "transfer", 30]]),
    );
    const farm = res.json.nodes.find((n: { lotId: string }) => n.lotId === c.lot.id);
    expect(farm.site.id).toBe(c.site.id);
    expect(farm.certificates).toHaveLength(1);
    const market = res.json.nodes.find((n: { lotId: string }) => n.lotId === c.marketLotId);
    expect(market.party).toMatchObject({ id: c.market.id, contactName: "李经理", phone: "13800000000", regionCode: "110101" });
    expect(res.json.shipments[0]).toMatchObject({ quantity: 30, status: "received", to: { id: c.market.id } });

    const byCode = await t.call("GET", `/v1/trace?code=${c.cert.code}`, { key: regulator.key });
    expect(byCode.json.start).toMatchObject({ lotId: c.lot.id, certificateId: c.cert.id });
    expect(byCode.json.nodes.map((n: { layer: number }) => n.layer)).toEqual([0, 1, 2]);
    const capped = await t.call("GET", `/v1/trace?certificateId=${c.cert.id}&depth=1`, { key: ADMIN_KEY });
    expect(capped.json.nodes).toHaveLength(2);
  });

  it("answers the affected parties as CSV", async () => {
    const c = await chain();
    const res = await t.call("GET", `/v1/trace?lotId=${c.lot.id}&format=csv`, { key: ADMIN_KEY });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = res.text.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^关系 relation,名称 name/);
    expect(lines.find((l) => l.startsWith("downstream,") && l.includes("李经理"))).toContain("批次 M-1");
  });

  it("draws the graph as SVG and on the regulator's page", async () => {
    const c = await chain();
    const svg = await t.call("GET", `/v1/trace/graph.svg?lotId=${c.child.id}`, { key: ADMIN_KEY });
    expect(svg.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
    expect(svg.text.match(/class="lot"/g)).toHaveLength(3);
    expect(svg.text.match(/class="edge"/g)).toHaveLength(2);
    const page = await t.call("GET", `/regulator/trace?code=${c.cert.code}`, { key: ADMIN_KEY });
    expect(page.status).toBe(200);
    expect(page.text).toContain("<svg");
    expect(page.text).toContain("李经理");
  });

  it("shows the inputs used on the plot before harvest and the tests of every lot, with their dates", async () => {
    const c = await chain();
    const applied = await t.call("POST", "/v1/records/applications", { key: c.producer.key, body: { inputName: "阿维菌素", siteId: c.site.id, appliedOn: "2026-11-01" } });
    expect(applied.status).toBe(201);
    const tested = await t.call("POST", "/v1/tests", { key: c.producer.key, body: { lotId: c.child.id, kind: "self_test", method: "enzyme_inhibition", results: [{ value: 12, unit: "%" }] } });
    expect(tested.status).toBe(201);
    const regulator = await t.party("regulator", { regionCode: "330100" });
    const res = await t.call("GET", `/v1/trace?lotId=${c.child.id}`, { key: regulator.key });
    expect(res.json.inputs).toEqual([expect.objectContaining({ recordId: applied.json.id, siteId: c.site.id, inputName: "阿维菌素", appliedOn: "2026-11-01" })]);
    expect(res.json.tests).toEqual([expect.objectContaining({ id: tested.json.id, lotId: c.child.id, kind: "self_test", verdict: "pass", testedAt: expect.stringMatching(/Z$/) })]);
    expect(res.json.nodes.find((n: { lotId: string }) => n.lotId === c.lot.id).certificates[0]).toMatchObject({ quantity: 20, status: "valid", issuedAt: expect.stringMatching(/Z$/) });
    expect(res.json.edges).toEqual(expect.arrayContaining([expect.objectContaining({ kind: "split", quantity: 50, at: expect.stringMatching(/Z$/) })]));
  });

  it("gives the lot's holder a reduced view and hides other parties' details", async () => {
    const c = await chain();
    const res = await t.call("GET", `/v1/trace?lotId=${c.child.id}`, { key: c.producer.key });
    expect(res.json.view).toBe("reduced");
    const market = res.json.nodes.find((n: { lotId: string }) => n.lotId === c.marketLotId);
    expect(market).toMatchObject({ visible: false, code: null, quantity: null, party: { name: c.market.name, phone: null, contactName: null } });
    expect(res.json.shipments[0].quantity).toBe(30);
  });

  it("refuses bad input with 422 naming field and rule", async () => {
    const none = await t.call("GET", "/v1/trace", { key: ADMIN_KEY });
    expect(none.status).toBe(422);
    expect(none.json.errors).toEqual([{ path: "query.lotId", message: "give exactly one of lotId, certificateId or code" }]);
    const deep = await t.call("GET", "/v1/trace?lotId=x&depth=99", { key: ADMIN_KEY });
    expect(deep.json.errors[0]).toMatchObject({ path: "query.depth" });
    expect((await t.call("GET", "/v1/trace?lotId=x&format=pdf", { key: ADMIN_KEY })).json.errors[0].path).toBe("query.format");
    expect((await t.call("GET", "/v1/trace?code=!!", { key: ADMIN_KEY })).status).toBe(422);
    expect((await t.call("GET", "/v1/trace?lotId=missing", { key: ADMIN_KEY })).status).toBe(404);
  });

  it("is 404 for other regions' regulators and other parties, 403 for labs, 401 without a key", async () => {
    const c = await chain();
    const elsewhere = await t.party("regulator", { regionCode: "110101" });
    const stranger = await t.party("family_farm");
    const lab = await t.party("lab");
    expect((await t.call("GET", `/v1/trace?lotId=${c.lot.id}`, { key: elsewhere.key })).status).toBe(404);
    expect((await t.call("GET", `/v1/trace?lotId=${c.lot.id}`, { key: stranger.key })).status).toBe(404);
    expect((await t.call("GET", `/v1/trace?lotId=${c.lot.id}`, { key: lab.key })).status).toBe(403);
    expect((await t.call("GET", `/v1/trace?lotId=${c.lot.id}`)).status).toBe(401);
    expect((await t.call("GET", `/v1/trace/graph.svg?lotId=${c.lot.id}`, { key: elsewhere.key })).status).toBe(404);
  });
});
