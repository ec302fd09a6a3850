import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, chromiumAvailable, launchChromium, serveApp, waitAttr } from "../support/browser";
import { createTestContext, type TestContext } from "../support/context";

/**
 * The gate page shows a buyer's certificate (样式二) with its upstream summary, and turns it red when an upstream
 * certificate was revoked, saying which one.
 */
describe.skipIf(!chromiumAvailable)("the gate page and a buyer's certificate", () => {
  let t: TestContext;
  let served: Awaited<ReturnType<typeof serveApp>>;
  let browser: Browser;
  let page: Page;
  let base: string;
  let market: Awaited<ReturnType<TestContext["party"]>>;
  let buyerCode: string;
  let revokedCode: string;

  beforeAll(async () => {
    t = await createTestContext("market-upstream-browser");
    served = await serveApp(t);
    base = served.base;

    market = await t.party("market");
    const farms = [];
    for (let i = 0; i < 2; i++) {
      const { producer, lot } = await t.producerWithLot(1000);
      const cert = (await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, quantity: 100, basis: "quality_control" } })).json;
      farms.push({ producer, cert });
    }
    const buyer = await t.party("buyer");
    const product = await t.call("POST", "/v1/products", { key: buyer.key, body: { name: "雷笋", category: "蔬菜", unit: "kg" } });
    const lot = await t.call("POST", "/v1/lots", { key: buyer.key, body: { productId: product.json.id, quantity: 500, unit: "kg", harvestedAt: "2026-11-19" } });
    const issued = await t.call("POST", "/v1/certificates", {
      key: buyer.key,
      body: {
        lotId: lot.json.id,
        quantity: 250,
        basis: "quality_control",
        upstream: [
          ...farms.map((f) => ({ kind: "certificate", code: f.cert.code, quantity: 100 })),
          { kind: "other_platform", platform: "浙江省农产品质量安全追溯平台", code: "ZJ-2026-000123", quantity: 50, unit: "kg" },
        ],
      },
    });
    if (issued.status !== 201) throw new Error(`issue: ${issued.status} ${issued.text}`);
    buyerCode = issued.json.code;
    revokedCode = farms[1]!.cert.code;
    await t.call("POST", `/v1/certificates/${farms[1]!.cert.id}/revoke`, { key: farms[1]!.producer.key, body: { reason: "产地填写错误" } });

    browser = await launchChromium("gate");
    page = browser.page;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await t?.close();
  });

  it("shows the upstream summary and refuses the goods, naming the revoked upstream certificate", async () => {
    await page.goto(`${base}/market`);
    await page.fill("#api-key", market.key);
    await page.click("button[type=submit]");
    await page.waitForSelector("body[data-ready=true]");
    await page.fill("#code", buyerCode);
    await waitAttr(page, "#code-hint", "data-state", "ok");
    await page.click("#check-btn");
    await waitAttr(page, "#verdict", "data-decision", "reject");
    expect(await page.locator("#verdict-word").textContent()).toBe("拒绝");
    expect(await page.locator("#fact-upstream").textContent()).toBe(`3 张上游合格证（本平台 2，外部 1），无效：${revokedCode}`);
    const reasons = await page.locator("#verdict-reasons li").allTextContents();
    expect(reasons).toContain("合格证已作废");
    expect(reasons.some((r) => r.includes(`上游合格证 ${t.deps.codeScheme.display(revokedCode)}`) && r.includes("作废：产地填写错误"))).toBe(true);
    expect(await page.locator("#accept-btn").isHidden()).toBe(true);
  });
});
