import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { printRouter } from "../../src/routes/print/pdf";
import { chinaDate } from "../../src/domain/ids";
import { addDays } from "../../src/domain/production/china-date";
import { producerConsoleRouter } from "../../src/routes/producer";
import { type Browser, chromiumAvailable, launchChromium, serveApp } from "../support/browser";
import { createTestContext, type TestContext } from "../support/context";

/**
 * The producer's console in headless Chromium on a phone-sized screen: sign in with the key, create a lot, issue a
 * certificate, open its PDF; an issuing refusal shown in Chinese; a pesticide application recorded and listed, and
 * the pre-harvest interval it starts refusing a certificate for its lot.
 */
describe.skipIf(!chromiumAvailable)("the producer console in Chromium", () => {
  let t: TestContext;
  let served: Awaited<ReturnType<typeof serveApp>>;
  let browser: Browser;
  let page: Page;
  let base: string;
  let producer: Awaited<ReturnType<TestContext["party"]>>;
  let sprayedLotId: string;

  beforeAll(async () => {
    t = await createTestContext("producer-browser", { originRouters: [printRouter, producerConsoleRouter] });
    served = await serveApp(t);
    base = served.base;
    producer = await t.party("family_farm", { name: "临安板桥番茄家庭农场" });
    browser = await launchChromium("producer");
    page = browser.page;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await t?.close();
  });

  it("signs in with the producer's key", async () => {
    await page.goto(`${base}/producer`);
    await page.fill("#api-key", "lp_wrong");
    await page.click("button[type=submit]");
    expect(await page.locator(".error").textContent()).toBe("密钥无效或已停用");
    await page.fill("#api-key", producer.key);
    await page.click("button[type=submit]");
    await page.waitForSelector("header.bar .party");
    expect(await page.locator("header.bar .party").textContent()).toBe("临安板桥番茄家庭农场");
    // The page fits a phone: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });

  it("creates a lot, issues a certificate and opens its PDF", async () => {
    await page.selectOption("#lot-product", "");
    await page.fill("#lot-new-product", "番茄");
    await page.selectOption("#lot-category", "蔬菜");
    await page.fill("#lot-quantity", "800");
    await page.selectOption("#lot-unit", "kg");
    await page.click("#lot-btn");
    await page.waitForSelector("#issue-form");
    expect(await page.locator("#notice").textContent()).toBe("批次已保存，可以开证了。");
    await page.screenshot({ path: "test-results/producer-issue-form.png", fullPage: true });

    await page.fill("#issue-quantity", "500");
    await page.check("input[name=basis][value=quality_control]");
    await page.fill("#issue-copies", "3");
    await page.click("#issue-btn");
    await page.waitForSelector("#issued");
    const code = (await page.locator("#issued-code").textContent())!;
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{3}$/);
    await page.screenshot({ path: "test-results/producer-issued.png", fullPage: true });

    const href = await page.locator("#issued a[data-size=label-60x80]").getAttribute("href");
    expect(href).toMatch(/^\/v1\/certificates\/[\w-]+\/pdf\?size=label-60x80$/);
    // The link opens in a new tab carrying the session cookie; the browser's own request context shares it.
    const [tab] = await Promise.all([browser.context.waitForEvent("page"), page.click("#issued a[data-size=label-60x80]")]);
    const response = await browser.context.request.get(`${base}${href}`);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toBe("application/pdf");
    expect((await response.body()).subarray(0, 5).toString()).toBe("%PDF-");
    await tab.close();

    const batch = await browser.context.request.get(`${base}/v1/print?from=2026-11-20&size=a4`);
    expect(batch.status()).toBe(200);
    expect(batch.headers()["x-labels"]).toBe("3");
  });

  it("shows an issuing refusal and its reason in Chinese", async () => {
    await page.goto(`${base}/producer`);
    await page.click("#lots a[data-lot]");
    await page.waitForSelector("#issue-form");
    await page.check("input[name=basis][value=self_test]");
    await page.click("#issue-btn");
    await page.waitForSelector("#error");
    expect(await page.locator("#error h2").textContent()).toBe("不能开具合格证");
    expect(await page.locator("#error p").first().textContent()).toContain("需要勾选本批次合格的检测记录");
    expect(await page.locator("input[name=basis][value=self_test]").isChecked()).toBe(true);
    await page.screenshot({ path: "test-results/producer-refused.png", fullPage: true });
  });

  it("records a pesticide application from the phone and lists it", async () => {
    const today = chinaDate(t.clock.now());
    await page.goto(`${base}/producer`);
    await page.selectOption("#lot-product", "");
    await page.fill("#lot-new-product", "黄瓜");
    await page.fill("#lot-quantity", "120");
    await page.selectOption("#lot-unit", "kg");
    await page.click("#lot-btn");
    await page.waitForSelector("#issue-form");
    sprayedLotId = new URL(page.url()).searchParams.get("lot")!;

    // The form starts on the lot just chosen and on today's date in China.
    expect(await page.locator("#app-place").inputValue()).toBe(`lot:${sprayedLotId}`);
    expect(await page.locator("#app-date").inputValue()).toBe(today);
    await page.selectOption("#app-input", "abamectin-1.8-ec");
    await page.fill("#app-dose", "2000");
    await page.selectOption("#app-dose-unit", "倍液");
    await page.selectOption("#app-method", "喷雾");
    await page.fill("#app-operator", "王建国");
    await page.click("#app-btn");
    await page.waitForSelector("#notice");
    expect(await page.locator("#notice").textContent()).toBe("施药记录已保存。");

    const listed = (await page.locator("#records li").first().textContent())!;
    expect(listed).toContain(today);
    expect(listed).toContain("阿维菌素 1.8% EC");
    expect(listed).toContain("2000倍液");
    expect(listed).toContain("黄瓜");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: "test-results/producer-records.png", fullPage: true });
  });

  it("refuses issuing inside the pre-harvest interval, naming the input and the first allowed date", async () => {
    // 阿维菌素 1.8% EC on 黄瓜: 2 days between the last spray and the harvest.
    const firstAllowed = addDays(chinaDate(t.clock.now()), 2);
    await page.click(`#lots a[data-lot="${sprayedLotId}"]`);
    await page.waitForSelector("#issue-form");
    await page.check("input[name=basis][value=quality_control]");
    await page.click("#issue-btn");
    await page.waitForSelector("#error");
    expect(await page.locator("#error h2").textContent()).toBe("不能开具合格证");
    const reason = (await page.locator("#error p").first().textContent())!;
    expect(reason).toContain("阿维菌素 1.8% EC");
    expect(reason).toContain(`最早 ${firstAllowed} 才能采收`);

    await page.click("#error-link");
    expect(new URL(page.url()).hash).toBe("#records");
    expect(await page.locator("#records li").first().textContent()).toContain("阿维菌素 1.8% EC");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: "test-results/producer-interval-refused.png", fullPage: true });
  });
});
