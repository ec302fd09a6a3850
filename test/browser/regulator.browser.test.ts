import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, chromiumAvailable, launchChromium, serveApp } from "../support/browser";
import { createTestContext, type TestContext } from "../support/context";

/**
 * The regulator's desk in headless Chromium: sign in with the officer's key, trace a certificate and see its graph,
 * recall the lot from the page, and open the dashboard with its charts drawn.
 */
describe.skipIf(!chromiumAvailable)("the regulator's desk in Chromium", () => {
  let t: TestContext;
  let served: Awaited<ReturnType<typeof serveApp>>;
  let browser: Browser;
  let page: Page;
  let base: string;
  let regulatorKey: string;
  let code: string;

  beforeAll(async () => {
    t = await createTestContext("regulator-browser");
    served = await serveApp(t);
    base = served.base;
    regulatorKey = (await t.party("regulator", { regionCode: "330100" })).key;
    const { producer, lot } = await t.producerWithLot(100);
    const cert = await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, quantity: 20, basis: "quality_control" } });
    code = cert.json.code as string;
    await t.call("POST", `/v1/lots/${lot.id}/split`, { key: producer.key, body: { children: [{ quantity: 50, unit: "kg", code: "C-1" }] } });
    browser = await launchChromium("regulator", { viewport: { width: 1280, height: 900 } });
    page = browser.page;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await t?.close();
  });

  it("signs in and comes back to the trace that was asked for, with the graph drawn", async () => {
    await page.goto(`${base}/regulator/trace?code=${code}`);
    await page.fill("input[name=apiKey]", regulatorKey);
    await page.click("#sign-in button[type=submit]");
    await page.waitForSelector("#trace-graph svg");
    expect(page.url()).toBe(`${base}/regulator/trace?code=${code}`);
    expect(await page.locator("#trace-graph svg .lot").count()).toBe(2);
    await page.screenshot({ path: "test-results/regulator-trace.png", fullPage: true });
  });

  it("recalls the lot from the trace page and says how far the recall reaches", async () => {
    await page.fill("#recall input[name=reason]", "监督抽检克百威超标");
    await page.click("#recall button[type=submit]");
    await page.waitForSelector(".notice");
    expect(await page.locator(".notice").textContent()).toContain("已召回：影响 2 个批次、1 张合格证");
    expect(await page.locator("#recall").count()).toBe(0);
    const verdict = await t.call("POST", "/v1/verify", { body: { code } });
    expect(verdict.json.status).toBe("recalled");
  });

  it("draws the dashboard's charts from the figures in the page", async () => {
    await page.goto(`${base}/regulator/dashboard`);
    await page.waitForFunction(() => (window as unknown as { Chart?: { getChart(el: Element | null): unknown } }).Chart?.getChart(document.getElementById("chart-certificates")) !== undefined);
    const charts = await page.evaluate(() =>
      ["chart-certificates", "chart-tests", "chart-cases"].map((id) => (window as unknown as { Chart: { getChart(el: Element | null): unknown } }).Chart.getChart(document.getElementById(id)) !== undefined),
    );
    expect(charts).toEqual([true, true, true]);
    await page.screenshot({ path: "test-results/regulator-dashboard.png", fullPage: true });
  });

  it("signs out: the desk asks for the key again", async () => {
    await page.click("header form.sign-out button");
    await page.waitForSelector("#sign-in");
    await page.goto(`${base}/regulator/dashboard`);
    expect(await page.locator("#sign-in").count()).toBe(1);
  });
});
