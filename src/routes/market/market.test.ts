import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, createTestContext, PUBLIC_URL, type TestContext } from "../../../test/support/context";
import { mod31CheckChar } from "../../domain/mod31";
import { checkAtGate } from "../../services/market-gate";

/** A well-formed code that was never issued. */
const NEVER_ISSUED = `0000000000${mod31CheckChar("0000000000")}`;

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext("market-gate");
});
afterAll(() => t.close());

type Party = Awaited<ReturnType<TestContext["party"]>>;

async function certified(quantity = 100, lotQuantity = 1000) {
  const { producer, lot, product } = await t.producerWithLot(lotQuantity);
  const res = await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, quantity, basis: "quality_control" } });
  if (res.status !== 201) throw new Error(`issue: ${res.status} ${res.text}`);
  return { producer, lot, product, cert: res.json as { id: string; code: string; url: string } };
}

const receipt = (market: Party, body: Record<string, unknown>) =>
  t.call("POST", "/v1/market/receipts", { key: market.key, body: { sellerName: "王老板", quantity: 10, unit: "kg", decision: "accept", ...body } });

describe("POST /v1/market/check", () => {
  let market: Party;
  beforeAll(async () => {
    market = await t.party("market");
  });

  it("tells the clerk at once: genuine, status, product, quantity left, issuer", async () => {
    const { producer, cert, lot } = await certified(100);
    const typed = `${cert.code.slice(0, 4).toLowerCase()}-${cert.code.slice(4, 8)} ${cert.code.slice(8).toLowerCase()}`;
    const res = await t.call("POST", "/v1/market/check", { key: market.key, body: { code: typed } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      code: cert.code,
      genuine: true,
      valid: true,
      status: "valid",
      verdict: { decision: "accept", reasons: [] },
      certificateId: cert.id,
      product: { name: "雷笋", category: "蔬菜" },
      quantity: { amount: 100, unit: "kg" },
      received: 0,
      remaining: 100,
      issuer: { name: producer.name, creditCode: producer.creditCode, regionCode: "330112" },
      lot: { id: lot.id },
      upstream: null,
      coldChain: { handover: null, openExcursions: 0 },
    });
    await receipt(market, { code: cert.code, quantity: 30 });
    const after = await t.call("POST", "/v1/market/check", { key: market.key, body: { code: cert.code } });
    expect(after.json).toMatchObject({ received: 30, remaining: 70 });
  });

  it("answers a mistyped code (wrong check character) as not genuine, without touching the database", async () => {
    const broken = { ...t.deps, db: new Proxy(t.deps.db, { get: () => { throw new Error("the database was touched"); } }) };
    const clerk = { keyId: "k", role: "market" as const, partyId: market.id, regionCode: "330112" };
    const result = await checkAtGate(broken, clerk, "29FK-ATDW-5RX");
    expect(result).toMatchObject({ genuine: false, status: "unknown", verdict: { decision: "reject" }, reasons: [{ code: "malformed_code" }] });
    const res = await t.call("POST", "/v1/market/check", { key: market.key, body: { code: "1234567890A" } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ genuine: false, remaining: null, verdict: { decision: "reject", reasons: [{ code: "not_genuine" }] } });
  });

  it("refuses revoked certificates and codes never issued here", async () => {
    const { producer, cert } = await certified(10);
    await t.call("POST", `/v1/certificates/${cert.id}/revoke`, { key: producer.key, body: { reason: "标签印错" } });
    const revoked = await t.call("POST", "/v1/market/check", { key: market.key, body: { code: cert.code } });
    expect(revoked.json).toMatchObject({ genuine: true, status: "revoked", verdict: { decision: "reject", reasons: [{ code: "revoked", zh: "合格证已作废" }] } });
    const unknown = await t.call("POST", "/v1/market/check", { key: market.key, body: { code: NEVER_ISSUED } });
    expect(unknown.json).toMatchObject({ genuine: false, reasons: [{ code: "not_found" }] });
  });

  it("holds goods whose cold chain is in doubt: the handover temperature of the certificate's lot", async () => {
    const { producer, cert, lot } = await certified(10);
    // 雷笋 is a vegetable (0–7 °C): the last reading before the gate is 12 °C.
    const readings = await t.call("POST", "/v1/cold-chain/readings", {
      key: producer.key,
      body: { lotId: lot.id, loggerId: "L1", readings: [{ at: "2026-11-20T01:00:00Z", celsius: 4 }, { at: "2026-11-20T01:50:00Z", celsius: 12 }] },
    });
    expect(readings.status).toBeLessThan(300);
    const res = await t.call("POST", "/v1/market/check", { key: market.key, body: { code: cert.code } });
    expect(res.json).toMatchObject({
      genuine: true,
      status: "valid",
      coldChain: { handover: { flagged: true, celsius: 12, at: "2026-11-20T01:50:00.000Z" } },
      verdict: { decision: "hold", reasons: [{ code: "cold_chain_handover", zh: "交接温度超标" }] },
    });
  });

  it("is for markets and regulators only", async () => {
    const { producer, cert } = await certified(10);
    expect((await t.call("POST", "/v1/market/check", { body: { code: cert.code } })).status).toBe(401);
    const wrong = await t.call("POST", "/v1/market/check", { key: producer.key, body: { code: cert.code } });
    expect(wrong.status).toBe(403);
    expect(wrong.headers.get("content-type")).toContain("application/problem+json");
    const regulator = await t.party("regulator");
    expect((await t.call("POST", "/v1/market/check", { key: regulator.key, body: { code: cert.code } })).status).toBe(200);
    const bad = await t.call("POST", "/v1/market/check", { key: market.key, body: { code: "" } });
    expect(bad.status).toBe(422);
    expect(bad.json.errors[0].path).toBe("code");
  });
});

describe("POST /v1/market/receipts", () => {
  let market: Party;
  let other: Party;
  beforeAll(async () => {
    market = await t.party("market");
    other = await t.party("market");
  });

  it("records an accepted receipt against a certificate, in any unit that converts", async () => {
    const { cert } = await certified(100);
    const res = await receipt(market, { code: cert.code, quantity: 40, unit: "斤", voucherNo: "PZ-001", sellerPhone: "13905791234" });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      certificateCode: cert.code,
      quantity: 40,
      unit: "斤",
      certificateQuantity: 20,
      decision: "accept",
      proof: "certificate",
      productName: "雷笋",
      voucherNo: "PZ-001",
      countsAgainstCertificate: true,
      seller: { name: "王老板", phone: "13905791234" },
    });
    const check = await t.call("POST", "/v1/market/check", { key: other.key, body: { code: cert.code } });
    expect(check.json).toMatchObject({ received: 20, remaining: 80 });
  });

  it("counts held goods but not rejected ones, and asks a reason for both", async () => {
    const { cert } = await certified(100);
    expect((await receipt(market, { code: cert.code, quantity: 30, decision: "hold", reason: "待快检" })).status).toBe(201);
    expect((await receipt(market, { code: cert.code, quantity: 50, decision: "reject", reason: "货证不符" })).json.countsAgainstCertificate).toBe(false);
    const check = await t.call("POST", "/v1/market/check", { key: market.key, body: { code: cert.code } });
    expect(check.json).toMatchObject({ received: 30, remaining: 70 });
    const noReason = await receipt(market, { code: cert.code, decision: "hold" });
    expect(noReason.status).toBe(422);
    expect(noReason.json.errors).toEqual([{ path: "reason", message: "is required when the decision is hold" }]);
  });

  it("refuses more than the certificate covers across markets: 409 naming what is left, and a flag for regulators", async () => {
    const { cert } = await certified(100);
    expect((await receipt(market, { code: cert.code, quantity: 60 })).status).toBe(201);
    const over = await receipt(other, { code: cert.code, quantity: 41 });
    expect(over.status).toBe(409);
    expect(over.json).toMatchObject({ remaining: 40, unit: "kg", type: "https://lotproof.dev/problems/certificate-quantity-exceeded" });
    expect(over.json.detail).toContain("40 kg left");
    expect((await receipt(other, { code: cert.code, quantity: 40 })).status).toBe(201);
    // The copied certificate is reported: regulators of the origin see the flag, as does the market that raised it.
    const regulator = await t.party("regulator", { regionCode: "330100" });
    const flags = await t.call("GET", "/v1/market/flags?limit=200", { key: regulator.key });
    expect(flags.json.items.find((f: { id: string }) => f.id === over.json.flagId)).toMatchObject({ kind: "quantity_exceeded", certificateCode: cert.code, detail: { remaining: 40, requested: 41 } });
    expect((await t.call("GET", "/v1/market/flags", { key: other.key })).json.items.map((f: { id: string }) => f.id)).toContain(over.json.flagId);
    expect((await t.call("GET", "/v1/market/flags", { key: market.key })).json.items.map((f: { id: string }) => f.id)).not.toContain(over.json.flagId);
    const elsewhere = await t.party("regulator", { regionCode: "110101" });
    expect((await t.call("GET", "/v1/market/flags", { key: elsewhere.key })).json.items).toEqual([]);
  });

  it("never lets concurrent clerks exceed a certificate's quantity", async () => {
    const { cert } = await certified(100);
    const markets = [market, other];
    const attempts = await Promise.all(Array.from({ length: 100 }, (_, i) => receipt(markets[i % 2]!, { code: cert.code, quantity: 7 })));
    const statuses = attempts.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(14); // 14 × 7 = 98 ≤ 100 < 105
    expect(statuses.filter((s) => s === 409)).toHaveLength(86);
    const check = await t.call("POST", "/v1/market/check", { key: market.key, body: { code: cert.code } });
    expect(check.json).toMatchObject({ received: 98, remaining: 2, verdict: { decision: "accept" } });
  });

  it("does not accept goods on a certificate that is not valid", async () => {
    const { producer, cert } = await certified(10);
    await t.call("POST", `/v1/certificates/${cert.id}/revoke`, { key: producer.key, body: { reason: "重复开具" } });
    const res = await receipt(market, { code: cert.code, quantity: 1 });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ certificateStatus: "revoked" });
    expect((await receipt(market, { code: cert.code, quantity: 1, decision: "reject", reason: "合格证已作废" })).status).toBe(201);
  });

  it("accepts goods without a certificate on a passing rapid test this market recorded", async () => {
    const { lot } = await t.producerWithLot(500);
    const test = (key: string, value: number) =>
      t.call("POST", "/v1/tests", { key, body: { lotId: lot.id, kind: "market_rapid", method: "enzyme_inhibition", results: [{ value, unit: "%" }] } });
    const passing = await test(market.key, 12);
    expect(passing.status).toBe(201);
    const res = await receipt(market, { rapidTestId: passing.json.id, quantity: 25 });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ proof: "rapid_test", rapidTestId: passing.json.id, certificateCode: null, lotId: lot.id, productName: "雷笋" });
    // Someone else's test is unknown here; a failing one is no proof.
    expect((await receipt(other, { rapidTestId: passing.json.id })).status).toBe(404);
    const failing = await test(market.key, 80);
    const refused = await receipt(market, { rapidTestId: failing.json.id });
    expect(refused.status).toBe(422);
    expect(refused.json.errors[0].path).toBe("rapidTestId");
    const nothing = await receipt(market, {});
    expect(nothing.status).toBe(422);
    expect(nothing.json.errors.map((e: { path: string }) => e.path)).toEqual(["code", "productName"]);
    const rejected = await receipt(market, { decision: "reject", reason: "无合格证且拒绝快检", productName: "青菜" });
    expect(rejected.json).toMatchObject({ proof: "none", productName: "青菜" });
  });

  it("refuses bad input with the field and the rule, and other roles", async () => {
    const { producer, cert } = await certified(10);
    const cases: [Record<string, unknown>, string][] = [
      [{ code: cert.code, unit: "箱" }, "unit"],
      [{ code: "1234567890A" }, "code"],
      [{ code: cert.code, quantity: -1 }, "quantity"],
      [{ code: cert.code, sellerCreditCode: "91330112000000000X" }, "sellerCreditCode"],
      [{ code: cert.code, sellerIdNumber: "123" }, "sellerIdNumber"],
      [{ code: cert.code, decision: "maybe" }, "decision"],
      [{ code: cert.code, sellerName: "" }, "sellerName"],
    ];
    for (const [body, path] of cases) {
      const res = await receipt(market, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.json.errors.map((e: { path: string }) => e.path), JSON.stringify(body)).toContain(path);
    }
    expect((await receipt(market, { code: NEVER_ISSUED })).status).toBe(404);
    expect((await receipt(producer, { code: cert.code })).status).toBe(403);
    expect((await t.call("POST", "/v1/market/receipts", { key: ADMIN_KEY, body: { code: cert.code, sellerName: "x", quantity: 1, unit: "kg", decision: "accept" } })).status).toBe(403);
  });
});

describe("the ledger and seller files", () => {
  let market: Party;
  let other: Party;
  let regulator: Party;
  let code: string;
  beforeAll(async () => {
    market = await t.party("market", { regionCode: "330106" });
    other = await t.party("market", { regionCode: "330106" });
    regulator = await t.party("regulator", { regionCode: "330106" });
    const { cert } = await certified(1000);
    code = cert.code;
    // A second between receipts, as at a real gate: the ledger is in the order receipts were taken.
    const receipts: [Party, Record<string, unknown>][] = [
      [market, { code, quantity: 10, sellerName: "=HYPERLINK(\"x\")", sellerIdNumber: "33018519700101123X", voucherNo: "V1" }],
      [market, { code, quantity: 20, sellerName: "李四, 个体", sellerIdNumber: "33018519800202002X" }],
      [market, { code, quantity: 5, sellerName: "李四, 个体", sellerIdNumber: "33018519800202002X", decision: "hold", reason: "待检" }],
      [other, { code, quantity: 1, sellerName: "别家" }],
    ];
    for (const [who, body] of receipts) {
      t.clock.advance(1000);
      expect((await receipt(who, body)).status).toBe(201);
    }
  });

  it("lists a market's own receipts, paged, and never the seller's ID number", async () => {
    const first = await t.call("GET", "/v1/market/receipts?limit=2", { key: market.key });
    expect(first.status).toBe(200);
    expect(first.json.items).toHaveLength(2);
    expect(first.json.items[0]).not.toHaveProperty("sellerIdNumber");
    const second = await t.call("GET", `/v1/market/receipts?limit=2&cursor=${first.json.nextCursor}`, { key: market.key });
    expect(second.json.items).toHaveLength(1);
    expect(second.json.nextCursor).toBeNull();
    expect([...first.json.items, ...second.json.items].map((r: { quantity: number }) => r.quantity)).toEqual([10, 20, 5]);
    const sellers = await t.call("GET", "/v1/market/sellers", { key: market.key });
    expect(sellers.json.items).toHaveLength(2); // 李四 twice is one file
    expect(sellers.json.items[1]).toMatchObject({ name: "李四, 个体", hasIdNumber: true });
    expect(sellers.json.items[1]).not.toHaveProperty("idNumber");
  });

  it("shows regulators their region's markets, ID numbers included", async () => {
    const res = await t.call("GET", "/v1/market/receipts?limit=200", { key: regulator.key });
    expect(res.json.items.map((r: { marketId: string }) => r.marketId).sort()).toEqual([market.id, market.id, market.id, other.id].sort());
    expect(res.json.items[0].sellerIdNumber).toBe("33018519700101123X");
    const sellers = await t.call("GET", "/v1/market/sellers?limit=200", { key: regulator.key });
    expect(sellers.json.items.find((s: { name: string }) => s.name === "李四, 个体").idNumber).toBe("33018519800202002X");
    const elsewhere = await t.party("regulator", { regionCode: "110101" });
    expect((await t.call("GET", "/v1/market/receipts", { key: elsewhere.key })).json.items).toEqual([]);
  });

  it("filters by China calendar day", async () => {
    const today = await t.call("GET", "/v1/market/receipts?from=2026-11-20&to=2026-11-20", { key: market.key });
    expect(today.json.items).toHaveLength(3);
    const before = await t.call("GET", "/v1/market/receipts?to=2026-11-19", { key: market.key });
    expect(before.json.items).toHaveLength(0);
    const bad = await t.call("GET", "/v1/market/receipts?from=20261120", { key: market.key });
    expect(bad.status).toBe(422);
    expect(bad.json.errors[0].path).toBe("query.from");
  });

  it("exports CSV with Chinese headers, a BOM, and formulas defused", async () => {
    const res = await t.call("GET", "/v1/market/receipts.csv", { key: market.key });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toContain("attachment");
    const raw = new Uint8Array(await (await t.app.request("/v1/market/receipts.csv", { headers: { authorization: `Bearer ${market.key}` } })).arrayBuffer());
    expect([...raw.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = res.text.trimEnd().split("\r\n");
    expect(lines[0]).toBe("日期,产品,数量,单位,供货者,统一社会信用代码,联系电话,合格证编号,查验结果,原因,购货凭证号,查验依据,快检记录");
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe(`2026-11-20 10:00,雷笋,10,kg,"'=HYPERLINK(""x"")",,,${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)},准许进场,,V1,合格证,`);
    expect(lines[3]).toContain("暂扣,待检");
    expect(res.text).not.toContain("33018519700101123X");
    const regulatorCsv = await t.call("GET", "/v1/market/receipts.csv", { key: regulator.key });
    expect(regulatorCsv.text.split("\r\n")[0]).toBe("市场,日期,产品,数量,单位,供货者,统一社会信用代码,身份证号,联系电话,合格证编号,查验结果,原因,购货凭证号,查验依据,快检记录");
    expect(regulatorCsv.text).toContain("33018519700101123X");
  });

  it("exports XLSX with the same columns", async () => {
    const res = await t.app.request("/v1/market/receipts.xlsx?from=2026-11-01", { headers: { authorization: `Bearer ${market.key}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await res.arrayBuffer());
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe("进货台账");
    expect((sheet.getRow(1).values as unknown[]).slice(1, 12)).toEqual(["日期", "产品", "数量", "单位", "供货者", "统一社会信用代码", "联系电话", "合格证编号", "查验结果", "原因", "购货凭证号"]);
    expect(sheet.rowCount).toBe(4);
    expect(sheet.getRow(3).getCell(3).value).toBe(20);
    expect(sheet.getRow(2).getCell(5).value).toBe("'=HYPERLINK(\"x\")");
    expect((await t.call("GET", "/v1/market/receipts.xlsx", {})).status).toBe(401);
    const producer = await t.party("cooperative");
    expect((await t.call("GET", "/v1/market/receipts.csv", { key: producer.key })).status).toBe(403);
  });
});

describe("the gate page session", () => {
  it("signs a market in with its key and lets the page call the API by cookie", async () => {
    const market = await t.party("market");
    const producer = await t.party("cooperative");
    const form = (apiKey: string) =>
      t.app.request("/market/session", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ apiKey }) });
    expect((await form("lp_nonsense")).status).toBe(401);
    expect((await form(producer.key)).status).toBe(403);
    const signedIn = await form(market.key);
    expect(signedIn.status).toBe(303);
    const cookie = signedIn.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^lp_gate=[\w-]{43};/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    expect(cookie).toContain("Secure"); // PUBLIC_URL is https
    const session = cookie.split(";")[0]!;
    const page = await t.app.request("/market", { headers: { cookie: session } });
    expect(await page.text()).toContain(market.name);
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    const signInPage = await (await t.app.request("/market")).text();
    expect(signInPage).toContain("市场 API 密钥");
    const check = await t.app.request("/v1/market/check", { method: "POST", headers: { cookie: session, "content-type": "application/json" }, body: JSON.stringify({ code: "1234567890A" }) });
    expect(check.status).toBe(200);
    // A cross-site form post cannot send JSON: without it the cookie counts for nothing.
    const formPost = await t.app.request("/v1/market/receipts", { method: "POST", headers: { cookie: session, "content-type": "text/plain" }, body: "{}" });
    expect([401, 415]).toContain(formPost.status);
    const out = await t.app.request("/market/session/end", { method: "POST", headers: { cookie: session } });
    expect(out.status).toBe(303);
    const after = await t.app.request("/v1/market/check", { method: "POST", headers: { cookie: session, "content-type": "application/json" }, body: JSON.stringify({ code: "1234567890A" }) });
    expect(after.status).toBe(401);
    expect(PUBLIC_URL.startsWith("https:")).toBe(true);
  });
});
