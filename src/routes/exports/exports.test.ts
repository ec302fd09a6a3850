import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, createTestContext, type TestContext } from "../../../test/support/context";
import { FSMA204_COLUMNS } from "../../domain/fsma204/kde-rows";

let t: TestContext;
type Party = Awaited<ReturnType<TestContext["party"]>>;

/** Two farms, a buyer that mixes their goods (混装) and a market: every CTE this service records. */
let farm: Awaited<ReturnType<TestContext["producerWithLot"]>>;
let regulator: Party;
let buyer: Party;
let market: Party;
let split: { id: string; code: string };
let mixed: { id: string; code: string };
let other: Awaited<ReturnType<TestContext["producerWithLot"]>>;

/** Each step an hour after the last, so the sheet's order by instant is the order things happened. */
const later = () => t.clock.advance(3600_000);

async function shipAndReceive(from: Party, lotId: string, to: Party, quantity: number) {
  later();
  const sent = await t.call("POST", "/v1/shipments", { key: from.key, body: { lotId, quantity, unit: "kg", toPartyId: to.id, shippedAt: t.clock.now().toISOString() } });
  expect(sent.status, sent.text).toBe(201);
  later();
  const got = await t.call("POST", `/v1/shipments/${sent.json.shipment.id}/receive`, { key: to.key, body: {} });
  expect(got.status, got.text).toBe(201);
  return got.json.lot as { id: string; code: string };
}

beforeAll(async () => {
  t = await createTestContext("fsma204");
  regulator = await t.party("regulator");
  buyer = await t.party("buyer", { address: "临安农批市场 12 号" });
  market = await t.party("market");
  farm = await t.producerWithLot(1000);
  other = await t.producerWithLot(500);
  later();
  const res = await t.call("POST", `/v1/lots/${farm.lot.id}/split`, { key: farm.producer.key, body: { children: [{ quantity: 400, unit: "kg", code: "A-400" }] } });
  expect(res.status, res.text).toBe(201);
  split = res.json.lots[0];
  const fromFarm = await shipAndReceive(farm.producer, split.id, buyer, 400);
  const fromOther = await shipAndReceive(other.producer, other.lot.id, buyer, 200);
  later();
  const merge = await t.call("POST", "/v1/lots/merge", {
    key: buyer.key,
    body: { parents: [{ lotId: fromFarm.id, quantity: 400, unit: "kg" }, { lotId: fromOther.id, quantity: 200, unit: "kg" }], code: "MIX-1" },
  });
  expect(merge.status, merge.text).toBe(201);
  mixed = merge.json.lots[0];
  await shipAndReceive(buyer, mixed.id, market, 300);
});
afterAll(() => t.close());

async function xlsxRows(query: string, key: string) {
  const res = await t.app.request(`/v1/exports/fsma204?${query}`, { headers: { authorization: `Bearer ${key}` } });
  expect(res.status, await res.clone().text()).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  const ws = wb.worksheets[0]!;
  const rows: Record<string, string>[] = [];
  const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const values = (row.values as unknown[]).slice(1);
    rows.push(Object.fromEntries(header.map((h, i) => [h, values[i] === undefined || values[i] === null ? "" : String(values[i])])));
  });
  return { header, rows };
}

const summary = (rows: Record<string, string>[]) => rows.map((r) => `${r["Critical Tracking Event (CTE)"]} ${r["Traceability Lot Code (TLC)"]}`);

describe("GET /v1/exports/fsma204", () => {
  it("gives a regulator every CTE of a traceability lot code, its sources and where it went, as XLSX", async () => {
    const { header, rows } = await xlsxRows("tlc=A-400&format=xlsx", regulator.key);
    expect(header).toEqual([...FSMA204_COLUMNS]);
    expect(summary(rows)).toEqual([
      `Harvesting ${farm.lot.code}`,
      `Initial Packing ${farm.lot.code}`,
      "Transformation A-400",
      "Shipping A-400",
      "Receiving A-400",
      "Transformation MIX-1",
      "Shipping MIX-1",
      "Receiving MIX-1",
    ]);
    const harvest = rows[0]!;
    expect(harvest).toMatchObject({ "Product Description": "雷笋", Quantity: "1000", "Unit of Measure": "kg", "Event Date": "2026-11-19", "Harvest Date": "2026-11-19" });
    expect(harvest["Location Description (where the event took place)"]).toContain("一号地块");
    expect(rows.find((r) => r["Traceability Lot Code (TLC)"] === "MIX-1" && r["Critical Tracking Event (CTE)"] === "Transformation")!["Input Traceability Lot Codes"]).toBe("A-400");
    const receiving = rows.find((r) => r["Critical Tracking Event (CTE)"] === "Receiving" && r["Traceability Lot Code (TLC)"] === "A-400")!;
    expect(receiving).toMatchObject({ Quantity: "400", "Event Date": "2026-11-20", "Reference Document Type": "Shipment record" });
    expect(receiving["Immediate Previous Source (Ship-From) Location Description"]).toContain(farm.producer.name);
    expect(receiving["Ship-To (Receiving) Location Description"]).toContain("临安农批市场 12 号");
    expect(receiving["Traceability Lot Code Source Location Description"]).toContain(farm.producer.name);
  });

  it("answers the same rows as CSV, headings first", async () => {
    const res = await t.call("GET", "/v1/exports/fsma204?tlc=A-400&format=csv", { key: regulator.key });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = res.text.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toBe(FSMA204_COLUMNS.map((c) => (c.includes(",") ? `"${c}"` : c)).join(","));
    expect(lines).toHaveLength(9);
    expect(lines[1]).toMatch(/^Harvesting,/);
  });

  it("gives the holding party its own records only", async () => {
    const { rows } = await xlsxRows("tlc=A-400", farm.producer.key);
    expect(summary(rows)).toEqual([`Harvesting ${farm.lot.code}`, `Initial Packing ${farm.lot.code}`, "Transformation A-400", "Shipping A-400"]);
    const json = await t.call("GET", "/v1/exports/fsma204?tlc=MIX-1&format=json", { key: buyer.key });
    expect(json.status).toBe(200);
    // The receiver's sheet names the goods by the TLC they were shipped under, not by its own lot codes.
    expect(json.json.rows.map((r: { cte: string; tlc: string }) => `${r.cte} ${r.tlc}`)).toEqual([
      "Receiving A-400",
      `Receiving ${other.lot.code}`,
      "Transformation MIX-1",
      "Shipping MIX-1",
    ]);
    expect(json.json.rows[0]["tlcSource"]).toContain(farm.producer.name);
  });

  it("exports a product's CTEs within a date range", async () => {
    const inRange = await xlsxRows(`productId=${farm.product.id}&from=2026-11-19&to=2026-11-20`, farm.producer.key);
    expect(summary(inRange.rows)).toEqual([`Harvesting ${farm.lot.code}`, `Initial Packing ${farm.lot.code}`, "Transformation A-400", "Shipping A-400"]);
    const harvestOnly = await xlsxRows(`productId=${farm.product.id}&from=2026-11-19&to=2026-11-19`, regulator.key);
    expect(summary(harvestOnly.rows)).toEqual([`Harvesting ${farm.lot.code}`]);
  });

  it("refuses other parties, roles without records, and bad requests", async () => {
    const stranger = await t.party("cooperative");
    expect((await t.call("GET", "/v1/exports/fsma204?tlc=A-400", { key: stranger.key })).status).toBe(404);
    expect((await t.call("GET", `/v1/exports/fsma204?productId=${farm.product.id}&from=2026-11-01&to=2026-11-30`, { key: stranger.key })).status).toBe(404);
    const lab = await t.party("lab");
    expect((await t.call("GET", "/v1/exports/fsma204?tlc=A-400", { key: lab.key })).status).toBe(403);
    expect((await t.call("GET", "/v1/exports/fsma204?tlc=A-400")).status).toBe(401);
    expect((await t.call("GET", "/v1/exports/fsma204?tlc=NOPE", { key: ADMIN_KEY })).status).toBe(404);

    const none = await t.call("GET", "/v1/exports/fsma204", { key: regulator.key });
    expect(none.status).toBe(422);
    expect(none.json.errors).toEqual([{ path: "query.tlc", message: "give tlc, or productId with from and to" }]);
    const noDates = await t.call("GET", `/v1/exports/fsma204?productId=${farm.product.id}`, { key: regulator.key });
    expect(noDates.json.errors.map((e: { path: string }) => e.path)).toEqual(["query.from", "query.to"]);
    const badDate = await t.call("GET", `/v1/exports/fsma204?productId=${farm.product.id}&from=20261101&to=2026-11-30`, { key: regulator.key });
    expect(badDate.status).toBe(422);
    expect(badDate.json.errors[0].path).toBe("query.from");
    const reversed = await t.call("GET", `/v1/exports/fsma204?productId=${farm.product.id}&from=2026-11-30&to=2026-11-01`, { key: regulator.key });
    expect(reversed.json.errors).toEqual([{ path: "query.to", message: "must not be before from" }]);
    expect((await t.call("GET", "/v1/exports/fsma204?tlc=A-400&format=pdf", { key: regulator.key })).status).toBe(422);
  });
});
