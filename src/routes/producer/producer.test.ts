import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, PUBLIC_URL, type TestContext } from "../../../test/support/context";
import { chinaDate } from "../../domain/ids";
import { addDays } from "../../domain/production/china-date";
import { printRouter } from "../print/pdf";
import { producerConsoleRouter } from "./index";

let t: TestContext;
let producer: Awaited<ReturnType<TestContext["party"]>>;
const ORIGIN = new URL(PUBLIC_URL).origin;

beforeAll(async () => {
  t = await createTestContext("producer-console", { originRouters: [printRouter, producerConsoleRouter] });
  producer = await t.party("family_farm", { name: "临安板桥番茄家庭农场" });
});
afterAll(() => t.close());

function form(path: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of ([] as string[]).concat(v)) body.append(k, one);
  return t.app.request(path, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN, ...headers }, body });
}

async function signIn(key: string): Promise<string> {
  const res = await form("/producer/session", { apiKey: key });
  expect(res.status).toBe(303);
  return res.headers.get("set-cookie")!.split(";")[0]!;
}

describe("the producer console session", () => {
  it("signs a producer in with its key into an HttpOnly, SameSite=Strict cookie of its own", async () => {
    const page = await t.app.request("/producer");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("生产者 API 密钥");

    const res = await form("/producer/session", { apiKey: producer.key });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/producer");
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^lp_producer=[\w-]{43};/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    const console = await t.app.request("/producer", { headers: { cookie: cookie.split(";")[0]! } });
    expect(await console.text()).toContain("临安板桥番茄家庭农场");
  });

  it("refuses unknown keys, other roles' keys and posts from other sites", async () => {
    const wrong = await form("/producer/session", { apiKey: "lp_nope" });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain("密钥无效或已停用");
    const market = await t.party("market");
    const marketTry = await form("/producer/session", { apiKey: market.key });
    expect(marketTry.status).toBe(403);
    expect(await marketTry.text()).toContain("不是生产者的密钥");
    const crossSite = await form("/producer/session", { apiKey: producer.key }, { origin: "https://evil.test" });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.get("set-cookie")).toBeNull();
  });

  it("keeps the two consoles apart: a gate session does not open the producer console, nor the reverse", async () => {
    const market = await t.party("market");
    const gate = await t.app.request("/market/session", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ apiKey: market.key }) });
    const gateToken = gate.headers.get("set-cookie")!.split(";")[0]!.split("=")[1]!;
    const page = await t.app.request("/producer", { headers: { cookie: `lp_producer=${gateToken}` } });
    expect(await page.text()).toContain("生产者 API 密钥");
    const producerCookie = await signIn(producer.key);
    const gatePage = await t.app.request("/market", { headers: { cookie: `lp_gate=${producerCookie.split("=")[1]}` } });
    expect(await gatePage.text()).toContain("市场 API 密钥");
  });

  it("lets the page's own JSON requests use the cookie, but not a cross-site form post", async () => {
    const cookie = await signIn(producer.key);
    expect((await t.app.request("/v1/lots", { headers: { cookie } })).status).toBe(200);
    const before = (await t.call("GET", "/v1/products", { key: producer.key })).json.items.length;
    const formPost = await t.app.request("/v1/products", { method: "POST", headers: { cookie, "content-type": "text/plain" }, body: JSON.stringify({ name: "假冒", category: "蔬菜", unit: "kg" }) });
    expect(formPost.status).toBeGreaterThanOrEqual(400);
    expect((await t.call("GET", "/v1/products", { key: producer.key })).json.items.length).toBe(before);
    const out = await form("/producer/session/end", {}, { cookie });
    expect(out.status).toBe(303);
    expect((await t.app.request("/v1/lots", { headers: { cookie } })).status).toBe(401);
  });
});

describe("issuing and printing from the console", () => {
  it("creates a lot with a new product, issues a certificate and links its PDF", async () => {
    const cookie = await signIn(producer.key);
    const created = await form("/producer/lots", { productId: "", newProductName: "番茄", category: "蔬菜", quantity: "800", unit: "kg", harvestedAt: "2026-11-19" }, { cookie });
    expect(created.status).toBe(303);
    const lotId = new URL(created.headers.get("location")!, PUBLIC_URL).searchParams.get("lot")!;
    const page = await (await t.app.request(`/producer?lot=${lotId}&lotCreated=1`, { headers: { cookie } })).text();
    expect(page).toContain("批次已保存");
    expect(page).toContain("可开 800 kg");
    const key = /name="idempotencyKey" value="([\w-]+)"/.exec(page)![1]!;

    const issued = await form("/producer/certificates", { lotId, idempotencyKey: key, quantity: "500", unit: "kg", basis: "quality_control", copies: "3" }, { cookie });
    expect(issued.status).toBe(303);
    // A double tap sends the same form again: the same certificate comes back.
    const again = await form("/producer/certificates", { lotId, idempotencyKey: key, quantity: "500", unit: "kg", basis: "quality_control", copies: "3" }, { cookie });
    expect(again.headers.get("location")).toBe(issued.headers.get("location"));
    const certId = new URL(issued.headers.get("location")!, PUBLIC_URL).searchParams.get("issued")!;
    const done = await (await t.app.request(`/producer?issued=${certId}`, { headers: { cookie } })).text();
    expect(done).toContain("已开具合格证");
    expect(done).toContain(`/v1/certificates/${certId}/pdf?size=label-60x80`);
    expect(done).toContain("可开 300 kg");

    const pdf = await t.app.request(`/v1/certificates/${certId}/pdf?size=label-60x80`, { headers: { cookie } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const batch = await t.app.request(`/v1/print?from=2026-11-20&size=a4`, { headers: { cookie } });
    expect(batch.status).toBe(200);
    expect(batch.headers.get("x-labels")).toBe("3");
  });

  it("shows the issuing gate's refusal in Chinese and keeps what was typed", async () => {
    const cookie = await signIn(producer.key);
    const { lot } = await t.producerWithLot(100);
    // Another party's lot is not found; a lot of one's own without tests cannot claim 自行检测合格.
    const foreign = await form("/producer/certificates", { lotId: lot.id, basis: "quality_control", copies: "1" }, { cookie });
    expect(foreign.status).toBe(404);
    expect(await foreign.text()).toContain("找不到该记录");

    const created = await form("/producer/lots", { productId: "", newProductName: "黄瓜", category: "蔬菜", quantity: "50", unit: "kg", harvestedAt: "2026-11-20" }, { cookie });
    const lotId = new URL(created.headers.get("location")!, PUBLIC_URL).searchParams.get("lot")!;
    const refused = await form("/producer/certificates", { lotId, quantity: "20", unit: "kg", basis: "self_test", copies: "2" }, { cookie });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toContain("不能开具合格证");
    expect(html).toContain("需要勾选本批次合格的检测记录");
    expect(html).toContain('value="20"');
    expect(html).toMatch(/value="self_test" checked/);

    // A positive rapid test stops issuing; the gate's own Chinese sentence is shown.
    const test = await t.call("POST", "/v1/tests", { key: producer.key, body: { lotId, kind: "self_test", method: "enzyme_inhibition", results: [{ value: 72, unit: "%" }] } });
    expect(test.status).toBe(201);
    const failed = await form("/producer/certificates", { lotId, basis: "quality_control", copies: "1" }, { cookie });
    expect(failed.status).toBe(422);
    const failedHtml = await failed.text();
    expect(failedHtml).toContain("本批检测不合格，不能开具合格证");
    expect(failedHtml).toContain("自行检测 · 2026-11-20 · 不合格");
  });

  it("names each bad field in Chinese", async () => {
    const cookie = await signIn(producer.key);
    const bad = await form("/producer/lots", { productId: "", newProductName: "", quantity: "-1", unit: "kg", harvestedAt: "yesterday" }, { cookie });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain("数量：请填写大于 0 的数字");
    expect(html).toContain("采收日期：请选择采收日期");
    const future = await form("/producer/lots", { productId: "", newProductName: "茄子", quantity: "5", unit: "kg", harvestedAt: "2026-12-31" }, { cookie });
    expect(future.status).toBe(422);
    expect(await future.text()).toContain("采收日期");
    const copies = await form("/producer/certificates", { lotId: "x", basis: "quality_control", copies: "9999" }, { cookie });
    expect(copies.status).toBe(422);
    expect(await copies.text()).toContain("打印份数：请填写 1 到 500 之间的整数");
  });

  it("sends a signed-out visitor's form post to the sign-in page", async () => {
    const res = await form("/producer/certificates", { lotId: "x", basis: "quality_control" });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain("生产者 API 密钥");
  });
});

describe("input and harvest records from the console", () => {
  const today = () => chinaDate(t.clock.now());

  async function newLot(cookie: string, productName: string): Promise<string> {
    const created = await form("/producer/lots", { productId: "", newProductName: productName, category: "蔬菜", quantity: "60", unit: "kg", harvestedAt: today() }, { cookie });
    expect(created.status).toBe(303);
    return new URL(created.headers.get("location")!, PUBLIC_URL).searchParams.get("lot")!;
  }

  async function recordedOn(lotId: string) {
    const list = await t.call("GET", `/v1/records/applications?lotId=${lotId}`, { key: producer.key });
    expect(list.status).toBe(200);
    return list.json.items as { id: string; inputName: string; formulation: string; dose: string; method: string; appliedOn: string; operator: string; corrects: string | null; retracted: boolean; history: { id: string }[] }[];
  }

  it("stores an application picked from the catalogue and lists it", async () => {
    const cookie = await signIn(producer.key);
    const lotId = await newLot(cookie, "上海青");
    const page = await (await t.app.request(`/producer?lot=${lotId}`, { headers: { cookie } })).text();
    expect(page).toContain("记录施药 / 投入品使用");
    expect(page).toContain(`value="lot:${lotId}" selected`);
    expect(page).toContain(`value="${today()}"`);

    const res = await form("/producer/records/applications", { inputId: "abamectin-1.8-ec", place: `lot:${lotId}`, doseAmount: "2000", doseUnit: "倍液", method: "喷雾", appliedOn: "2026-11-12", operator: "王建国" }, { cookie });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/producer?recorded=application#records");
    const [stored] = await recordedOn(lotId);
    expect(stored).toMatchObject({ inputName: "阿维菌素", formulation: "1.8% EC", dose: "2000倍液", method: "喷雾", appliedOn: "2026-11-12", operator: "王建国", corrects: null });

    const listed = await (await t.app.request("/producer?recorded=application", { headers: { cookie } })).text();
    expect(listed).toContain("施药记录已保存");
    expect(listed).toContain(`data-record="${stored!.id}"`);
    expect(listed).toContain("阿维菌素 1.8% EC");
  });

  it("refuses a bad record with the reason in Chinese and keeps what was typed", async () => {
    const cookie = await signIn(producer.key);
    const lotId = await newLot(cookie, "小白菜");
    const fields = { inputId: "abamectin-1.8-ec", place: `lot:${lotId}`, doseAmount: "3000", doseUnit: "倍液", method: "喷雾", operator: "李秀英" };
    const tomorrow = chinaDate(new Date(t.clock.now().getTime() + 86_400_000));

    const future = await form("/producer/records/applications", { ...fields, appliedOn: tomorrow }, { cookie });
    expect(future.status).toBe(422);
    const html = await future.text();
    expect(html).toContain(`施用日期：不能晚于今天（${today()}）`);
    expect(html).toContain('value="李秀英"');
    expect(html).toContain('value="3000"');
    expect(html).toContain(`value="${tomorrow}"`);
    expect(html).toContain('value="abamectin-1.8-ec" selected');

    const unknown = await form("/producer/records/applications", { ...fields, inputId: "no-such-product", appliedOn: today() }, { cookie });
    expect(unknown.status).toBe(422);
    expect(await unknown.text()).toContain("不在现行投入品目录中");

    const { lot: foreign } = await t.producerWithLot(10);
    const notMine = await form("/producer/records/applications", { ...fields, place: `lot:${foreign.id}`, appliedOn: today() }, { cookie });
    expect(notMine.status).toBe(422);
    expect(await notMine.text()).toContain("批次：不是本账户的批次");

    const unstorable = await form("/producer/records/applications", { ...fields, operator: "李\u0000秀英", appliedOn: today() }, { cookie });
    expect(unstorable.status).toBe(422);
    expect(await unstorable.text()).toContain("操作人：含有无法保存的字符");

    const missing = await form("/producer/records/applications", { ...fields, place: "", doseAmount: "", appliedOn: today() }, { cookie });
    expect(missing.status).toBe(422);
    const missingHtml = await missing.text();
    expect(missingHtml).toContain("批次或地块：请选择");
    expect(missingHtml).toContain("用量：请填写大于 0 的数字");
    expect(await recordedOn(lotId)).toEqual([]);
  });

  it("refuses a record posted from another site", async () => {
    const cookie = await signIn(producer.key);
    const lotId = await newLot(cookie, "菠菜");
    const res = await form("/producer/records/applications", { inputId: "abamectin-1.8-ec", place: `lot:${lotId}`, doseAmount: "2000", doseUnit: "倍液", appliedOn: today() }, { cookie, origin: "https://evil.test" });
    expect(res.status).toBe(403);
    expect(await recordedOn(lotId)).toEqual([]);
  });

  it("corrects a record with a new version that points at the old one", async () => {
    const cookie = await signIn(producer.key);
    const lotId = await newLot(cookie, "生菜");
    await form("/producer/records/applications", { inputId: "abamectin-1.8-ec", place: `lot:${lotId}`, doseAmount: "2000", doseUnit: "倍液", method: "喷雾", appliedOn: "2026-11-10", operator: "王建国" }, { cookie });
    const [original] = await recordedOn(lotId);

    const correctionPage = await (await t.app.request(`/producer?correct=${original!.id}`, { headers: { cookie } })).text();
    expect(correctionPage).toContain("更正施药记录");
    expect(correctionPage).toContain('value="2026-11-10"');
    expect(correctionPage).toContain('value="倍液" selected');

    const fix = { inputId: "abamectin-1.8-ec", doseAmount: "2000", doseUnit: "倍液", method: "喷雾", appliedOn: "2026-11-09", operator: "王建国", reason: "日期填错" };
    const noReason = await form(`/producer/records/applications/${original!.id}/corrections`, { ...fix, reason: "" }, { cookie });
    expect(noReason.status).toBe(422);
    expect(await noReason.text()).toContain("更正原因：请填写更正原因");

    const corrected = await form(`/producer/records/applications/${original!.id}/corrections`, fix, { cookie });
    expect(corrected.status).toBe(303);
    const [current] = await recordedOn(lotId);
    expect(current!.id).not.toBe(original!.id);
    expect(current).toMatchObject({ corrects: original!.id, appliedOn: "2026-11-09", history: [{ id: original!.id }] });
    const listed = await (await t.app.request("/producer?recorded=correction", { headers: { cookie } })).text();
    expect(listed).toContain("已更正");
    expect(listed).toContain("日期填错");

    // Only the latest version may be corrected; the old one is kept as it was.
    const stale = await form(`/producer/records/applications/${original!.id}/corrections`, fix, { cookie });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain("这条记录已经更正过");
  });

  it("keeps an input the catalogue does not list when correcting its record, or withdraws the record", async () => {
    const cookie = await signIn(producer.key);
    const lotId = await newLot(cookie, "萝卜");
    const recorded = await t.call("POST", "/v1/records/applications", { key: producer.key, body: { lotId, inputName: "某某杀虫剂", dose: "适量", appliedOn: "2026-11-11" } });
    expect(recorded.status).toBe(201);
    const page = await (await t.app.request(`/producer?correct=${recorded.json.id}`, { headers: { cookie } })).text();
    expect(page).toContain("不变：某某杀虫剂");

    const fix = { inputId: "", doseAmount: "1500", doseUnit: "倍液", method: "喷雾", appliedOn: "2026-11-11", operator: "", reason: "补写用量" };
    expect((await form(`/producer/records/applications/${recorded.json.id}/corrections`, fix, { cookie })).status).toBe(303);
    const [corrected] = await recordedOn(lotId);
    expect(corrected).toMatchObject({ inputName: "某某杀虫剂", dose: "1500倍液", corrects: recorded.json.id });

    const withdrawn = await form(`/producer/records/applications/${corrected!.id}/corrections`, { ...fix, reason: "记错批次", retract: "1" }, { cookie });
    expect(withdrawn.status).toBe(303);
    expect(await recordedOn(lotId)).toMatchObject([{ retracted: true, correctionReason: "记错批次" }]);
    expect(await (await t.app.request("/producer", { headers: { cookie } })).text()).toContain("已撤销");
  });

  it("stores a harvest record", async () => {
    const cookie = await signIn(producer.key);
    const lotId = await newLot(cookie, "大白菜");
    const res = await form("/producer/records/harvests", { place: `lot:${lotId}`, harvestedOn: today(), quantity: "60", unit: "kg", endsSeason: "1", operator: "王建国" }, { cookie });
    expect(res.status).toBe(303);
    const list = await t.call("GET", `/v1/records/harvests?lotId=${lotId}`, { key: producer.key });
    expect(list.json.items).toMatchObject([{ harvestedOn: today(), quantity: 60, unit: "kg", endsSeason: true, operator: "王建国" }]);
  });

  it("links an issuing refusal over a pre-harvest interval to the records", async () => {
    const cookie = await signIn(producer.key);
    const lotId = await newLot(cookie, "黄瓜");
    await form("/producer/records/applications", { inputId: "abamectin-1.8-ec", place: `lot:${lotId}`, doseAmount: "2000", doseUnit: "倍液", appliedOn: today() }, { cookie });
    const refused = await form("/producer/certificates", { lotId, basis: "quality_control", copies: "1" }, { cookie });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toContain(`最早 ${addDays(today(), 2)} 才能采收`);
    expect(html).toMatch(/<a class="button" href="#records" id="error-link">/);
  });
});
