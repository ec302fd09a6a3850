import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, createTestContext, type TestContext } from "../../../test/support/context";
import { openCaseForFailedTest } from "../../services/cases";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext("cases");
});
afterAll(() => t.close());

async function failedTest() {
  const { producer, lot } = await t.producerWithLot(100);
  const test = await t.call("POST", "/v1/tests", {
    key: producer.key,
    body: { lotId: lot.id, kind: "self_test", method: "enzyme_inhibition", results: [{ value: 71, unit: "%" }] },
  });
  expect(test.status).toBe(201);
  const testId = test.json.id as string;
  // Recording the failure opened its case; asking again answers the same one.
  const opened = await openCaseForFailedTest(t.deps, testId);
  return { producer, lot, testId, caseId: opened!.id };
}

const step = (key: string, id: string, body: Record<string, unknown>) =>
  t.call("POST", `/v1/cases/${id}/steps`, { key, body: { on: "2026-11-20", officer: "王明", documents: ["杭余市监立〔2026〕12号"], ...body } });

describe("cases", () => {
  it("run from 核查 to 结案, and the rates come out right", async () => {
    const regulator = await t.party("regulator", { regionCode: "330112" });
    const { testId, caseId: id } = await failedTest();
    const listed = await t.call("GET", "/v1/cases?limit=200", { key: regulator.key });
    const opened = listed.json.items.find((c: { id: string }) => c.id === id);
    expect(opened).toMatchObject({ stage: "open", source: "failed_test", testId, allowedNext: ["verify"], dueAt: "2026-11-23T16:00:00.000Z", overdue: false });
    expect((await t.call("POST", "/v1/cases", { key: regulator.key, body: { testId, summary: "自检阳性" } })).status).toBe(409);

    const wrong = await step(regulator.key, id, { step: "file" });
    expect(wrong.status).toBe(409);
    expect(wrong.json).toMatchObject({ stage: "open", allowed: ["verify"] });

    expect((await step(regulator.key, id, { step: "verify", deadline: "2026-11-30" })).json).toMatchObject({ stage: "verified", allowedNext: ["file", "decline_filing"] });
    expect((await step(regulator.key, id, { step: "file" })).json.stage).toBe("filed");
    expect((await step(regulator.key, id, { step: "penalize", documents: ["处罚决定书 12"] })).json.stage).toBe("penalized");
    const closed = await step(regulator.key, id, { step: "close" });
    expect(closed.json).toMatchObject({ stage: "closed", dueAt: null, allowedNext: [] });
    expect(closed.json.steps.map((s: { name: string }) => s.name)).toEqual(["核查", "立案", "行政处罚", "结案"]);
    expect((await step(regulator.key, id, { step: "close" })).status).toBe(409);

    // A second case, verified and not filed: 核查处置率 2/2, 立案率 1/2, 行政处罚率 1/1.
    const other = await failedTest();
    const second = await openCaseForFailedTest(t.deps, other.testId);
    expect(second).not.toBeNull();
    expect((await openCaseForFailedTest(t.deps, other.testId))!.id).toBe(second!.id);
    await step(regulator.key, second!.id, { step: "verify" });
    await step(regulator.key, second!.id, { step: "decline_filing", note: "情节轻微" });
    const stats = await t.call("GET", "/v1/stats?from=2026-11-01&to=2026-12-01", { key: regulator.key });
    expect(stats.status).toBe(200);
    expect(stats.json.totals.cases.rates).toMatchObject({ cases: 2, verified: 2, filed: 1, penalized: 1, verificationRate: 1, filingRate: 0.5, penaltyRate: 1 });
    expect(stats.json.totals.cases.byStage).toMatchObject({ closed: 1, not_filed: 1 });
    expect(stats.json.months).toHaveLength(1);
    expect(stats.json.totals.rapidTests).toMatchObject({ total: 2, positive: 2 });
  });

  it("lists overdue cases once their deadline has passed", async () => {
    const regulator = await t.party("regulator", { regionCode: "330112" });
    const { caseId } = await failedTest();
    const opened = { json: { id: caseId } };
    const overdueIds = async () => (await t.call("GET", "/v1/cases?overdue=true&limit=200", { key: regulator.key })).json.items.map((c: { id: string }) => c.id);
    expect(await overdueIds()).not.toContain(opened.json.id);
    t.clock.advance(4 * 86_400_000);
    expect(await overdueIds()).toContain(opened.json.id);
    const got = await t.call("GET", `/v1/cases/${opened.json.id}`, { key: regulator.key });
    expect(got.json.overdue).toBe(true);
  });

  it("refuses bad input with 422 naming field and rule, and a second case for one test with 409", async () => {
    const regulator = await t.party("regulator", { regionCode: "330112" });
    const { testId, caseId } = await failedTest();
    expect((await t.call("POST", "/v1/cases", { key: regulator.key, body: {} })).json.errors).toEqual([{ path: "testId", message: "give exactly one of testId or flagId" }]);
    expect((await t.call("POST", "/v1/cases", { key: regulator.key, body: { testId: "nope" } })).json.errors[0].path).toBe("testId");
    const opened = { json: { id: caseId } };
    expect((await t.call("POST", "/v1/cases", { key: regulator.key, body: { testId } })).status).toBe(409);
    const bad = await step(regulator.key, opened.json.id, { step: "inspect", on: "20261120", officer: "" });
    expect(bad.status).toBe(422);
    expect(bad.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(["officer", "on", "step"]);
    expect((await step(regulator.key, opened.json.id, { step: "verify", on: "2026-12-31" })).json.errors[0]).toMatchObject({ path: "on" });
    expect((await t.call("GET", "/v1/cases?overdue=maybe", { key: regulator.key })).status).toBe(422);
  });

  it("are for regulators of the lot's region: 403 for other roles, 404 across regions", async () => {
    const regulator = await t.party("regulator", { regionCode: "330112" });
    const elsewhere = await t.party("regulator", { regionCode: "110101" });
    const { producer, testId, caseId } = await failedTest();
    const opened = { json: { id: caseId } };
    expect((await t.call("GET", `/v1/cases/${caseId}`, { key: regulator.key })).status).toBe(200);
    expect((await t.call("POST", "/v1/cases", { key: producer.key, body: { testId } })).status).toBe(403);
    expect((await t.call("GET", `/v1/cases/${opened.json.id}`, { key: producer.key })).status).toBe(403);
    expect((await t.call("GET", `/v1/cases/${opened.json.id}`, { key: elsewhere.key })).status).toBe(404);
    expect((await step(elsewhere.key, opened.json.id, { step: "verify" })).status).toBe(404);
    expect((await t.call("GET", "/v1/cases", { key: elsewhere.key })).json.items).toEqual([]);
    expect((await t.call("GET", `/v1/cases/${opened.json.id}`, { key: ADMIN_KEY })).status).toBe(200);
    expect((await t.call("GET", "/v1/cases")).status).toBe(401);
  });
});

describe("statistics", () => {
  it("answers JSON and XLSX for the caller's region, and 403 outside it", async () => {
    const regulator = await t.party("regulator", { regionCode: "330100" });
    const { producer, lot } = await t.producerWithLot(100);
    await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, quantity: 10, basis: "quality_control" } });
    const json = await t.call("GET", "/v1/stats?from=2026-10-01&to=2026-12-01", { key: regulator.key });
    expect(json.json.region).toMatchObject({ code: "330100" });
    expect(json.json.months.map((m: { month: string }) => m.month)).toEqual(["2026-10", "2026-11"]);
    expect(json.json.months[1].certificates.issued).toBeGreaterThanOrEqual(1);
    expect(json.json.months[0].certificates).toEqual({ issued: 0, issuingParties: 0 });
    const xlsx = await t.app.request("/v1/stats?from=2026-11-01&to=2026-12-01&format=xlsx", { headers: { authorization: `Bearer ${regulator.key}` } });
    expect(xlsx.headers.get("content-type")).toMatch(/spreadsheetml/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    const sheet = wb.getWorksheet("月度统计")!;
    expect(sheet.getRow(2).getCell(1).value).toBe("2026-11");
    expect(sheet.getRow(3).getCell(1).value).toBe("合计 total");

    const page = await t.call("GET", "/regulator/dashboard?from=2026-11-01&to=2026-12-01&region=", { key: regulator.key });
    expect(page.status).toBe(200);
    expect(page.text).toContain("/vendor/chart.umd.min.js");
    expect(page.text).toContain('id="stats-data"');

    expect((await t.call("GET", "/v1/stats?region=110101", { key: regulator.key })).status).toBe(403);
    expect((await t.call("GET", "/v1/stats?region=999999", { key: regulator.key })).json.errors[0].path).toBe("query.region");
    expect((await t.call("GET", "/v1/stats?from=2026-12-01&to=2026-11-01", { key: regulator.key })).json.errors[0].path).toBe("query.from");
    expect((await t.call("GET", "/v1/stats", { key: producer.key })).status).toBe(403);
  });
});
