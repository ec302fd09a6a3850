import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, PUBLIC_URL, type TestContext } from "../../../test/support/context";

let t: TestContext;
let regulator: Awaited<ReturnType<TestContext["party"]>>;
const ORIGIN = new URL(PUBLIC_URL).origin;

beforeAll(async () => {
  t = await createTestContext("regulator-console");
  regulator = await t.party("regulator", { regionCode: "330100" });
});
afterAll(() => t.close());

function form(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return t.app.request(path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN, ...headers },
    body: new URLSearchParams(fields),
  });
}

async function signIn(next = "/regulator/trace"): Promise<string> {
  const res = await form("/regulator/session", { apiKey: regulator.key, next });
  expect(res.status).toBe(303);
  expect(res.headers.get("location")).toBe(next);
  return res.headers.get("set-cookie")!.split(";")[0]!;
}

async function certifiedLot() {
  const { producer, lot } = await t.producerWithLot(100);
  const cert = await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, quantity: 20, basis: "quality_control" } });
  return { lot, code: cert.json.code as string };
}

describe("the regulator's desk in a browser", () => {
  it("answers a desk page without a session with the sign-in form, and comes back to that page after signing in", async () => {
    const page = await t.app.request("/regulator/trace?code=ABC");
    expect(page.status).toBe(401);
    const html = await page.text();
    expect(html).toContain("监管 API 密钥");
    expect(html).toContain('value="/regulator/trace?code=ABC"');

    const res = await form("/regulator/session", { apiKey: regulator.key, next: "/regulator/trace?code=ABC" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/regulator/trace?code=ABC");
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^lp_regulator=[\w-]{43};/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
  });

  it("refuses other roles' keys, unknown keys, cross-site posts and a next page off the desk", async () => {
    const producer = await t.party("family_farm");
    expect((await form("/regulator/session", { apiKey: producer.key })).status).toBe(403);
    const unknown = await form("/regulator/session", { apiKey: "lp_nope" });
    expect(unknown.status).toBe(401);
    expect(await unknown.text()).toContain("密钥不对或已作废");
    const crossSite = await form("/regulator/session", { apiKey: regulator.key }, { origin: "https://evil.test" });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.get("set-cookie")).toBeNull();
    const offSite = await form("/regulator/session", { apiKey: regulator.key, next: "https://evil.test/" });
    expect(offSite.headers.get("location")).toBe("/regulator/dashboard");
  });

  it("opens the trace, the dashboard and the CSV download with the session cookie alone", async () => {
    const { lot, code } = await certifiedLot();
    const cookie = await signIn();
    const trace = await t.app.request(`/regulator/trace?code=${code}`, { headers: { cookie } });
    expect(trace.status).toBe(200);
    const html = await trace.text();
    expect(html).toContain("<svg");
    expect(html).toContain('action="/regulator/recalls"');
    expect((await t.app.request("/regulator/dashboard", { headers: { cookie } })).status).toBe(200);
    const csv = await t.app.request(`/v1/trace?lotId=${lot.id}&format=csv`, { headers: { cookie } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
  });

  it("recalls the traced lot from the trace page; the certificate verifies as recalled at once", async () => {
    const { lot, code } = await certifiedLot();
    const cookie = await signIn();
    const res = await form("/regulator/recalls", { lotId: lot.id, code, reason: "监督抽检克百威超标" }, { cookie });
    expect(res.status).toBe(303);
    const location = res.headers.get("location")!;
    expect(location).toMatch(new RegExp(`^/regulator/trace\\?code=${code}&recall=`));
    const after = await (await t.app.request(location, { headers: { cookie } })).text();
    expect(after).toContain("已召回：影响 1 个批次、1 张合格证");
    expect(after).not.toContain('action="/regulator/recalls"');
    const verdict = await t.call("POST", "/v1/verify", { body: { code } });
    expect(verdict.json.status).toBe("recalled");

    const again = await form("/regulator/recalls", { lotId: lot.id, code, reason: "again" }, { cookie });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("already under recall");
    const empty = await form("/regulator/recalls", { lotId: lot.id, code, reason: " " }, { cookie });
    expect(empty.status).toBe(422);
    const crossSite = await form("/regulator/recalls", { lotId: lot.id, code, reason: "x" }, { cookie, origin: "https://evil.test" });
    expect(crossSite.status).toBe(403);
  });

  it("ends the session on sign-out: the old cookie opens nothing", async () => {
    const cookie = await signIn();
    const out = await form("/regulator/session/end", {}, { cookie });
    expect(out.status).toBe(303);
    expect(out.headers.get("set-cookie")).toMatch(/^lp_regulator=;/);
    expect((await t.app.request("/regulator/dashboard", { headers: { cookie } })).status).toBe(401);
  });
});
