import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gzipSync } from "node:zlib";
import { createTestContext, PUBLIC_URL, type TestContext } from "../../../test/support/context";
import { scanFixtures } from "./fixtures";

let t: TestContext;
let f: Awaited<ReturnType<typeof scanFixtures>>;

beforeAll(async () => {
  t = await createTestContext("scan");
  f = await scanFixtures(t);
});
afterAll(() => t.close());

const HTML = { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };
const JSON_ACCEPT = { accept: "application/json" };

function verdictOf(html: string): string | null {
  return /data-verdict="([a-z_]+)"/.exec(html)?.[1] ?? null;
}

describe("GET /c/{code} as a page", () => {
  it("shows the verdict first, in Chinese, then what the label promises", async () => {
    const res = await t.call("GET", `/c/${f.valid.code}`, { headers: HTML });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("vary")).toBe("Accept, Accept-Language, Accept-Encoding");
    expect(res.headers.get("cache-control")).toBe("public, max-age=30, stale-while-revalidate=30");
    expect(res.headers.get("link")).toBe(`<${PUBLIC_URL}/c/${f.valid.code}?linkType=linkset>; rel="linkset"; type="application/linkset+json"`);
    expect(verdictOf(res.text)).toBe("valid");
    expect(res.text).toContain('<html lang="zh-CN">');
    expect(res.text.indexOf("有效")).toBeLessThan(res.text.indexOf("雷笋"));
    for (const words of ["雷笋", "100 kg", "浙江省杭州市临安区", "我承诺生产销售的食用农产品", "质量安全控制符合要求", "2026-11-20", "13800000000", "签名核验"]) {
      expect(res.text, words).toContain(words);
    }
    expect(res.text).not.toMatch(/<script/);
  });

  it("says 已作废 with the date and reason, 已召回, 检测不合格 for the other certificates", async () => {
    const revoked = await t.call("GET", `/c/${f.revoked.code}`, { headers: HTML });
    expect(verdictOf(revoked.text)).toBe("revoked");
    expect(revoked.text).toContain("已作废");
    expect(revoked.text).toContain("2026-11-20 作废：标签印错");
    const recalled = await t.call("GET", `/c/${f.recalled.code}`, { headers: HTML });
    expect(verdictOf(recalled.text)).toBe("recalled");
    expect(recalled.text).toContain("已召回");
    expect(recalled.text).toContain("监督抽检克百威超标");
    const failed = await t.call("GET", `/c/${f.failed.code}`, { headers: HTML });
    expect(verdictOf(failed.text)).toBe("failed_test");
    expect(failed.text).toContain("检测不合格");
    expect(failed.text).toContain("酶抑制法");
  });

  it("tells the consumer what to do when the certificate does not vouch for the goods, and nothing when it does", async () => {
    const advice = async (code: string, lang: string) => /<p class="advice">([^<]*)<\/p>/.exec((await t.call("GET", `/c/${code}?lang=${lang}`, { headers: HTML })).text)?.[1] ?? null;
    expect(await advice(f.recalled.code, "zh")).toBe("这批产品已被召回：请不要食用，可要求销售者退货，也可拨打 12315 反映。");
    expect(await advice(f.failed.code, "zh")).toMatch(/^这批产品检测不合格：建议不要食用/);
    expect(await advice(f.revoked.code, "zh")).toBe("这张合格证已作废，不能再证明这批产品。请向销售者索要有效的合格证。");
    expect(await advice(f.recalled.code, "en")).toBe("These goods have been recalled: do not eat them. Ask the seller for a refund, or call 12315 to report it.");
    expect(await advice(f.valid.code, "zh")).toBeNull();
  });

  it("states each test's finding in the page's language, not the analytes' internal names", async () => {
    const zh = await t.call("GET", `/c/${f.failed.code}`, { headers: HTML });
    expect(zh.text).toContain('<div class="small">酶抑制率 72%，≥ 50%：有机磷和氨基甲酸酯类农药阳性。</div>');
    const en = await t.call("GET", `/c/${f.failed.code}?lang=en`, { headers: HTML });
    expect(en.text).toContain('<div class="small">Enzyme inhibition 72% is at or above 50%: positive for organophosphates and carbamates.</div>');
    for (const page of [zh.text, en.text]) expect(page).not.toContain("organophosphate+carbamate");
  });

  it("is in English with ?lang=en or an English Accept-Language, and ?lang wins", async () => {
    const byQuery = await t.call("GET", `/c/${f.valid.code}?lang=en`, { headers: HTML });
    expect(byQuery.text).toContain('<html lang="en">');
    expect(byQuery.text).toContain(">Valid<");
    const byHeader = await t.call("GET", `/c/${f.revoked.code}`, { headers: { ...HTML, "accept-language": "en-GB,en;q=0.9,zh;q=0.3" } });
    expect(byHeader.text).toContain("Revoked on 2026-11-20: 标签印错");
    const chinese = await t.call("GET", `/c/${f.valid.code}?lang=zh`, { headers: { ...HTML, "accept-language": "en" } });
    expect(chinese.text).toContain('<html lang="zh-CN">');
  });

  it("is the answer for clients that state no preference", async () => {
    const res = await t.call("GET", `/c/${f.valid.code}`);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
  });

  it("answers an unknown or mistyped code with a 404 page saying 未找到", async () => {
    for (const code of ["0000000000X", "NOT-A-CODE"]) {
      const res = await t.call("GET", `/c/${code}`, { headers: HTML });
      expect(res.status, code).toBe(404);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      expect(verdictOf(res.text)).toBe("unknown");
      expect(res.text).toContain("未找到");
      // A code that matches its label and is still unknown may be a forged label: the page says where to report it.
      expect(res.text).toContain("标签可能是伪造的，可拨打 12315 反映");
    }
  });

  it("stays under 30 KB transferred, HTML and CSS together", async () => {
    const res = await t.call("GET", `/c/${f.failed.code}`, { headers: HTML });
    const raw = Buffer.byteLength(res.text);
    const gzipped = gzipSync(res.text).byteLength;
    expect(raw).toBeLessThan(30 * 1024);
    expect(gzipped).toBeLessThan(raw);
    expect(res.text).not.toMatch(/<link[^>]+stylesheet/);
  });

  it("shows how often and from where the code was scanned, counting cached answers", async () => {
    const code = f.valid.code;
    const first = await t.call("GET", `/c/${code}`, { headers: HTML });
    const n = Number(/data-scans="(\d+)"/.exec(first.text)?.[1]);
    expect(n).toBeGreaterThan(0);
    await t.call("GET", `/c/${code}`, { headers: JSON_ACCEPT });
    const again = await t.call("GET", `/c/${code}?lang=zh`, { headers: HTML });
    expect(Number(/data-scans="(\d+)"/.exec(again.text)?.[1])).toBe(n + 2);
  });
});

describe("GET /c/{code} as JSON", () => {
  it("keeps the certificate-with-trace contract, with custody and tests filled in", async () => {
    const res = await t.call("GET", `/c/${f.failed.code}`, { headers: JSON_ACCEPT });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.json).toMatchObject({
      valid: false,
      status: "failed_test",
      certificate: { code: f.failed.code },
      trace: {
        origin: { regionCode: "330112" },
        tests: [{ kind: "self_test", method: "enzyme_inhibition", verdict: "fail" }],
        custody: [{ how: "origin", holder: { kind: "cooperative" } }],
        coldChain: [],
      },
      flags: [],
    });
    expect(JSON.stringify(res.json.trace.custody)).not.toContain("13800000000");
  });

  it("fills the cold chain once readings exist", async () => {
    const readings = [0, 10, 20].map((m, i) => ({ at: new Date(Date.parse("2026-11-19T20:00:00Z") + m * 60_000).toISOString(), celsius: 3 + i }));
    const posted = await t.call("POST", "/v1/cold-chain/readings", { key: f.producer.key, body: { lotId: f.lot.id, loggerId: "L1", readings } });
    expect(posted.status, posted.text).toBeLessThan(300);
    const res = await t.call("GET", `/c/${f.valid.code}/trace.json`);
    expect(res.json.coldChain).toMatchObject([{ readings: 3, min: 3, max: 5 }]);
  });

  it("is 404 problem+json for unknown or mistyped codes", async () => {
    for (const code of ["00000000000", "NOT-A-CODE"]) {
      const res = await t.call("GET", `/c/${code}`, { headers: JSON_ACCEPT });
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    }
  });
});

describe("GET /c/{code} linkset and link types", () => {
  it("answers application/linkset+json and ?linkType=linkset with the same RFC 9264 linkset", async () => {
    const byAccept = await t.call("GET", `/c/${f.valid.code}`, { headers: { accept: "application/linkset+json" } });
    const byQuery = await t.call("GET", `/c/${f.valid.code}?linkType=linkset`);
    const all = await t.call("GET", `/c/${f.valid.code}?linkType=all`, { headers: HTML });
    for (const res of [byAccept, byQuery, all]) {
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/linkset+json");
      expect(res.headers.get("link")).toContain('rel="http://www.w3.org/ns/json-ld#context"');
    }
    expect(byQuery.json).toEqual(byAccept.json);
    const [context] = byAccept.json.linkset;
    const page = `${PUBLIC_URL}/c/${f.valid.code}`;
    expect(context.anchor).toBe(page);
    expect(context["https://ref.gs1.org/voc/defaultLink"]).toEqual([{ href: page, title: expect.any(String) }]);
    for (const type of ["pip", "certificationInfo", "jws", "traceability"]) expect(context[`https://ref.gs1.org/voc/${type}`], type).toBeDefined();
    expect(context["https://ref.gs1.org/voc/recallStatus"]).toBeUndefined();
    const recalled = await t.call("GET", `/c/${f.recalled.code}?linkType=linkset`);
    expect(recalled.json.linkset[0]["https://ref.gs1.org/voc/recallStatus"]).toHaveLength(1);
  });

  it("redirects ?linkType=gs1:… to the link, passing the other query parameters on", async () => {
    const jws = await t.call("GET", `/c/${f.valid.code}?linkType=gs1:jws&src=crate`);
    expect(jws.status).toBe(307);
    expect(jws.headers.get("location")).toBe(`${PUBLIC_URL}/c/${f.valid.code}/credential.jwt?src=crate`);
    expect(jws.headers.get("link")).toContain('rel="linkset"');
    const token = await t.call("GET", `/c/${f.valid.code}/credential.jwt`);
    expect(token.headers.get("content-type")).toBe("application/vc+jwt");
    expect(token.text.split(".")).toHaveLength(3);
    const cert = await t.call("GET", `/c/${f.valid.code}?linkType=https://ref.gs1.org/voc/certificationInfo`);
    expect(cert.headers.get("location")).toBe(`${PUBLIC_URL}/c/${f.valid.code}/certificate.json`);
    expect((await t.call("GET", `/c/${f.valid.code}/certificate.json`)).json.status).toBe("valid");
  });

  it("picks the product page in the client's language, and lists both when asked in neither", async () => {
    const en = await t.call("GET", `/c/${f.valid.code}?linkType=gs1:pip`, { headers: { "accept-language": "en" } });
    expect(en.headers.get("location")).toBe(`${PUBLIC_URL}/c/${f.valid.code}?lang=en`);
    const zh = await t.call("GET", `/c/${f.valid.code}?linkType=gs1:pip`);
    expect(zh.headers.get("location")).toBe(`${PUBLIC_URL}/c/${f.valid.code}`);
  });

  it("is 404 for a link type the certificate does not have, or that GS1 does not define", async () => {
    for (const linkType of ["gs1:recallStatus", "gs1:allergenInfo", "madeUp"]) {
      const res = await t.call("GET", `/c/${f.valid.code}?linkType=${encodeURIComponent(linkType)}`);
      expect(res.status, linkType).toBe(404);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    }
    const recall = await t.call("GET", `/c/${f.recalled.code}?linkType=gs1:recallStatus`);
    expect(recall.status).toBe(307);
  });

  it("supports HEAD and CORS preflight", async () => {
    const head = await t.app.request(`/c/${f.valid.code}`, { method: "HEAD", headers: JSON_ACCEPT });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    const options = await t.app.request(`/c/${f.valid.code}`, { method: "OPTIONS", headers: { origin: "https://example.org", "access-control-request-method": "GET" } });
    expect(options.status).toBe(204);
    expect(options.headers.get("access-control-allow-origin")).toBe("*");
    const get = await t.call("GET", `/c/${f.valid.code}`, { headers: { ...JSON_ACCEPT, origin: "https://example.org" } });
    expect(get.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("serves the JSON-LD context the linkset header names", async () => {
    const res = await t.call("GET", "/ns/linkset-context.jsonld");
    expect(res.headers.get("content-type")).toMatch(/^application\/ld\+json/);
    expect(res.json["@context"].gs1).toBe("https://ref.gs1.org/voc/");
  });
});
