import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, createTestContext, PUBLIC_URL, type TestContext } from "../../../test/support/context";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext("tests");
});
afterAll(() => t.close());

const enzyme = (lotId: string, rate: number, kind = "self_test") => ({ lotId, kind, method: "enzyme_inhibition", results: [{ value: rate, unit: "%" }] });
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70]);

async function upload(key: string, testId: string, bytes: Uint8Array<ArrayBuffer>, type: string, query = "") {
  const res = await t.app.request(`/v1/tests/${testId}/attachments${query}`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": type }, body: bytes });
  return { status: res.status, json: (await res.json()) as any, headers: res.headers };
}

describe("POST /v1/tests", () => {
  it("computes the verdict from the readings: enzyme inhibition ≥ 50 % is positive", async () => {
    const { producer, lot } = await t.producerWithLot();
    const pass = await t.call("POST", "/v1/tests", { key: producer.key, body: { ...enzyme(lot.id, 49.9), operator: "章建华", sample: { sampleNo: "S-01", description: "雷笋 0.5 kg" } } });
    expect(pass.status).toBe(201);
    expect(pass.json).toMatchObject({
      kind: "self_test",
      method: "enzyme_inhibition",
      verdict: "pass",
      testedAt: "2026-11-20T02:00:00.000Z",
      operator: "章建华",
      sample: { sampleNo: "S-01" },
      results: [{ analyte: "有机磷和氨基甲酸酯类", value: 49.9, unit: "%", threshold: null, reading: null }],
      recordedBy: producer.id,
      attachments: [],
    });
    expect(pass.json.analytes[0]).toMatchObject({ outcome: "pass", analyte: { kind: "classes", classes: ["organophosphate", "carbamate"] } });
    const fail = await t.call("POST", "/v1/tests", { key: producer.key, body: enzyme(lot.id, 50) });
    expect(fail.json.verdict).toBe("fail");
    expect(fail.json.analytes[0].messageZh).toContain("阳性");
  });

  it("judges lab values against the stated limit in either unit, and colloidal gold by the reader", async () => {
    const { lot } = await t.producerWithLot();
    const lab = await t.party("lab");
    const res = await t.call("POST", "/v1/tests", {
      key: lab.key,
      body: {
        lotId: lot.id,
        kind: "entrusted_test",
        method: "lab",
        reportNo: "R-1",
        results: [
          { analyte: "多菌灵", value: 120, unit: "μg/kg", threshold: 0.1 },
          { analyte: "克百威", value: null, unit: "mg/kg" },
        ],
      },
    });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ verdict: "fail", lab: lab.name, reportNo: "R-1" });
    expect(res.json.analytes.map((a: { outcome: string }) => a.outcome)).toEqual(["fail", "pass"]);
    const market = await t.party("market");
    const strip = await t.call("POST", "/v1/tests", {
      key: market.key,
      body: { lotId: lot.id, kind: "market_rapid", method: "colloidal_gold", results: [{ analyte: "克百威", reading: "negative" }] },
    });
    expect(strip.json.verdict).toBe("pass");
    const noLimit = await t.call("POST", "/v1/tests", { key: lab.key, body: { lotId: lot.id, kind: "entrusted_test", method: "lab", reportNo: "R-2", results: [{ analyte: "某农药", value: 0.3, unit: "mg/kg" }] } });
    expect(noLimit.json.verdict).toBe("undetermined");
  });

  it("refuses typed-in verdicts and malformed readings, naming each field", async () => {
    const { producer, lot } = await t.producerWithLot();
    const post = (body: Record<string, unknown>) => t.call("POST", "/v1/tests", { key: producer.key, body });
    const typed = await post({ ...enzyme(lot.id, 70), verdict: "pass" });
    expect(typed.status).toBe(422);
    expect(typed.json.errors[0].message).toMatch(/verdict/);
    const typedReading = await post({ lotId: lot.id, kind: "self_test", method: "enzyme_inhibition", results: [{ value: 70, outcome: "pass" }] });
    expect(typedReading.json.errors[0].path).toBe("results.0");
    expect((await post({ ...enzyme(lot.id, 120) })).json.errors).toEqual([{ path: "results.0.value", message: "the inhibition rate is a percentage from 0 to 100" }]);
    expect((await post({ lotId: lot.id, kind: "self_test", method: "enzyme_inhibition", results: [{ value: 1 }, { value: 2 }] })).json.errors[0].path).toBe("results");
    expect((await post({ lotId: lot.id, kind: "self_test", method: "colloidal_gold", results: [{ analyte: "克百威" }] })).json.errors[0].path).toBe("results.0.reading");
    expect((await post({ lotId: lot.id, kind: "self_test", method: "lab", results: [{ analyte: "克百威", value: 1, unit: "ppm" }] })).json.errors[0].path).toBe("results.0.unit");
    expect((await post({ ...enzyme(lot.id, 10), method: "nose" })).json.errors[0].path).toBe("method");
    expect((await post({ ...enzyme(lot.id, 10), testedAt: "2026-11-21T00:00:00+08:00" })).json.errors[0].path).toBe("testedAt");
    expect((await post({ ...enzyme(lot.id, 10), testedAt: "2026-11-19 10:00" })).json.errors[0].path).toBe("testedAt");
    const entrusted = await post({ ...enzyme(lot.id, 10, "entrusted_test") });
    expect(entrusted.json.errors).toEqual([
      { path: "lab", message: "an entrusted (委托) test names the lab" },
      { path: "reportNo", message: "an entrusted (委托) test gives the lab's report number" },
    ]);
    const passing = (await post(enzyme(lot.id, 10))).json;
    expect((await post({ ...enzyme(lot.id, 10), retestOf: passing.id })).json.errors[0].path).toBe("retestOf");
    expect((await post({ ...enzyme(lot.id, 10), retestOf: "nope" })).json.errors[0]).toEqual({ path: "retestOf", message: "is not a test of this lot" });
    expect((await post(enzyme("no-such-lot", 10))).status).toBe(404);
  });

  it("lets each role record its own kinds of test only", async () => {
    const { producer, lot } = await t.producerWithLot();
    const other = await t.producerWithLot();
    const market = await t.party("market");
    const regulator = await t.party("regulator");
    const buyer = await t.party("buyer");
    const lab = await t.party("lab");
    const post = (key: string, body: Record<string, unknown>) => t.call("POST", "/v1/tests", { key, body });
    expect((await post(other.producer.key, enzyme(lot.id, 10))).status).toBe(404);
    expect((await post(producer.key, enzyme(lot.id, 10, "market_rapid"))).status).toBe(403);
    expect((await post(market.key, enzyme(lot.id, 10, "self_test"))).status).toBe(403);
    expect((await post(market.key, enzyme(lot.id, 10, "market_rapid"))).status).toBe(201);
    expect((await post(regulator.key, { ...enzyme(lot.id, 10, "official_sampling") })).status).toBe(201);
    expect((await post(regulator.key, enzyme(lot.id, 10, "market_rapid"))).status).toBe(403);
    expect((await post(lab.key, { ...enzyme(lot.id, 10, "official_sampling") })).status).toBe(201);
    expect((await post(buyer.key, enzyme(lot.id, 10, "self_test"))).status).toBe(403);
    expect((await t.call("POST", "/v1/tests", { body: enzyme(lot.id, 10) })).status).toBe(401);
  });
});

describe("reading tests", () => {
  it("shows a test to the lot's owner, its recorder and regulators over either, and to no one else", async () => {
    const { producer, lot } = await t.producerWithLot();
    const market = await t.party("market", { regionCode: "330106" });
    const test = (await t.call("POST", "/v1/tests", { key: market.key, body: enzyme(lot.id, 10, "market_rapid") })).json;
    const get = (key: string) => t.call("GET", `/v1/tests/${test.id}`, { key });
    expect((await get(producer.key)).status).toBe(200);
    expect((await get(market.key)).status).toBe(200);
    expect((await get((await t.party("regulator", { regionCode: "330112" })).key)).status).toBe(200);
    expect((await get((await t.party("regulator", { regionCode: "330106" })).key)).status).toBe(200);
    expect((await get((await t.party("regulator", { regionCode: "110101" })).key)).status).toBe(404);
    expect((await get((await t.party("market")).key)).status).toBe(404);
    expect((await get((await t.producerWithLot()).producer.key)).status).toBe(404);
    expect((await get(ADMIN_KEY)).status).toBe(200);

    const mine = await t.call("GET", `/v1/tests?lotId=${lot.id}`, { key: producer.key });
    expect(mine.json.items.map((x: { id: string }) => x.id)).toContain(test.id);
    const stranger = await t.call("GET", `/v1/tests?lotId=${lot.id}`, { key: (await t.party("market")).key });
    expect(stranger.json.items).toEqual([]);
  });
});

describe("attachments", () => {
  it("keeps JPEG, PNG and PDF files checked by their first bytes, and serves them back to who may read the test", async () => {
    const { producer, lot } = await t.producerWithLot();
    const test = (await t.call("POST", "/v1/tests", { key: producer.key, body: enzyme(lot.id, 10) })).json;
    const up = await upload(producer.key, test.id, PNG, "image/png", "?filename=%E8%AF%95%E7%BA%B8.png");
    expect(up.status).toBe(201);
    expect(up.json).toMatchObject({ contentType: "image/png", size: PNG.length, filename: "试纸.png" });
    expect(up.json.url).toBe(`${PUBLIC_URL}/v1/tests/${test.id}/attachments/${up.json.id}`);
    const pdf = new TextEncoder().encode("%PDF-1.7\n%âãÏÓ\n");
    const form = new FormData();
    form.set("file", new File([pdf], "报告.pdf", { type: "application/pdf" }));
    const multi = await t.app.request(`/v1/tests/${test.id}/attachments`, { method: "POST", headers: { authorization: `Bearer ${producer.key}` }, body: form });
    expect(multi.status).toBe(201);
    expect(((await multi.json()) as any).contentType).toBe("application/pdf");

    const down = await t.app.request(`/v1/tests/${test.id}/attachments/${up.json.id}`, { headers: { authorization: `Bearer ${producer.key}` } });
    expect(down.status).toBe(200);
    expect(down.headers.get("content-type")).toBe("image/png");
    expect(down.headers.get("content-disposition")).toContain("attachment");
    expect(new Uint8Array(await down.arrayBuffer())).toEqual(PNG);
    const regulator = await t.party("regulator", { regionCode: "330112" });
    expect((await t.app.request(`/v1/tests/${test.id}/attachments/${up.json.id}`, { headers: { authorization: `Bearer ${regulator.key}` } })).status).toBe(200);
    const stranger = await t.party("market");
    expect((await t.app.request(`/v1/tests/${test.id}/attachments/${up.json.id}`, { headers: { authorization: `Bearer ${stranger.key}` } })).status).toBe(404);
    expect((await t.call("GET", `/v1/tests/${test.id}`, { key: producer.key })).json.attachments).toHaveLength(2);
  });

  it("answers 415 for other types or a type that lies, 413 beyond 5 MB, and refuses other parties", async () => {
    const { producer, lot } = await t.producerWithLot();
    const test = (await t.call("POST", "/v1/tests", { key: producer.key, body: enzyme(lot.id, 10) })).json;
    const liar = await upload(producer.key, test.id, PNG, "image/jpeg");
    expect(liar.status).toBe(415);
    expect(liar.json.detail).toBe("the file is a image/png but was sent as image/jpeg");
    expect((await upload(producer.key, test.id, new TextEncoder().encode("<script>"), "text/html")).status).toBe(415);
    expect((await upload(producer.key, test.id, new TextEncoder().encode("GIF89a"), "image/gif")).status).toBe(415);
    const big = new Uint8Array(5 * 1024 * 1024 + 1);
    big.set(JPEG);
    const tooBig = await upload(producer.key, test.id, big, "image/jpeg");
    expect(tooBig.status).toBe(413);
    expect(tooBig.json.type).toBe("https://lotproof.dev/problems/attachment-too-large");
    const exact = new Uint8Array(5 * 1024 * 1024);
    exact.set(JPEG);
    expect((await upload(producer.key, test.id, exact, "image/jpeg")).status).toBe(201);
    const regulator = await t.party("regulator", { regionCode: "330112" });
    expect((await upload(regulator.key, test.id, PNG, "image/png")).status).toBe(403);
    expect((await upload((await t.party("market")).key, test.id, PNG, "image/png")).status).toBe(404);
  });
});

describe("a failed test", () => {
  it("stops issuing, turns the lot's certificates to failed_test, is listed for regulators, and is cleared by a passing lab re-test", async () => {
    const { producer, lot } = await t.producerWithLot(1000);
    const cert = (await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, quantity: 100, basis: "quality_control" } })).json;
    const market = await t.party("market");
    t.clock.advance(3600_000);
    const positive = (await t.call("POST", "/v1/tests", { key: market.key, body: enzyme(lot.id, 68, "market_rapid") })).json;
    expect(positive.verdict).toBe("fail");

    const refused = await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, quantity: 100, basis: "quality_control" } });
    expect(refused.status).toBe(422);
    expect(refused.json.type).toBe("https://lotproof.dev/problems/lot-failed-test");
    expect(refused.json.detail).toContain("酶抑制率 68%");
    expect(refused.json.failures[0].testId).toBe(positive.id);

    const verdict = await t.call("POST", "/v1/verify", { body: { code: cert.code } });
    expect(verdict.json).toMatchObject({ valid: false, status: "failed_test" });
    expect(verdict.json.reasons[0]).toMatchObject({ code: "failed_test", testId: positive.id, kind: "market_rapid", testedAt: "2026-11-20T03:00:00.000Z" });
    expect(verdict.json.reasons[0].message).toContain("market rapid test on 2026-11-20");
    expect(verdict.json.reasons[0].messageZh).toContain("市场快检不合格");

    const regulator = await t.party("regulator", { regionCode: "330100" });
    const failures = await t.call("GET", "/v1/failures", { key: regulator.key });
    expect(failures.status).toBe(200);
    const listed = failures.json.items.find((f: { lot: { id: string } }) => f.lot.id === lot.id);
    expect(listed).toMatchObject({ lot: { code: lot.code, product: "雷笋" }, party: { id: producer.id }, failures: [{ testId: positive.id, kind: "market_rapid" }] });
    expect((await t.call("GET", "/v1/failures", { key: (await t.party("regulator", { regionCode: "110101" })).key })).json.items).toEqual([]);
    expect((await t.call("GET", "/v1/failures", { key: producer.key })).status).toBe(403);

    // A rapid re-test does not clear a positive; a passing lab re-test does, and both stay in the history.
    const lab = await t.party("lab");
    t.clock.advance(3600_000);
    await t.call("POST", "/v1/tests", { key: market.key, body: { ...enzyme(lot.id, 10, "market_rapid"), retestOf: positive.id } });
    expect((await t.call("POST", "/v1/verify", { body: { code: cert.code } })).json.status).toBe("failed_test");
    const retest = await t.call("POST", "/v1/tests", {
      key: lab.key,
      body: { lotId: lot.id, kind: "official_sampling", method: "lab", retestOf: positive.id, results: [{ analyte: "敌敌畏", value: null, unit: "mg/kg" }, { analyte: "克百威", value: null, unit: "mg/kg" }] },
    });
    expect(retest.status).toBe(201);
    expect((await t.call("POST", "/v1/verify", { body: { code: cert.code } })).json).toMatchObject({ valid: true, status: "valid" });
    expect((await t.call("GET", "/v1/failures", { key: regulator.key })).json.items.some((f: { lot: { id: string } }) => f.lot.id === lot.id)).toBe(false);
    expect((await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, quantity: 100, basis: "quality_control" } })).status).toBe(201);
    expect((await t.call("GET", `/v1/tests?lotId=${lot.id}`, { key: producer.key })).json.items).toHaveLength(3);
  });
});
