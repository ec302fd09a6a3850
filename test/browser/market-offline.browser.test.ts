import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, chromiumAvailable, launchChromium, serveApp, waitAttr } from "../support/browser";
import { createTestContext, type TestContext } from "../support/context";

/**
 * The gate page with the network cut: loaded online (it stores keys, status lists and the credentials of goods on
 * their way), then offline it reopens from its service worker, verifies labels in the browser and queues receipts,
 * and once back online sends each receipt exactly once, even when the answer to a send is lost.
 */

describe.skipIf(!chromiumAvailable)("the market gate page offline, in Chromium", () => {
  let t: TestContext;
  let served: Awaited<ReturnType<typeof serveApp>>;
  let browser: Browser;
  let page: Page;
  let base: string;
  let market: Awaited<ReturnType<TestContext["party"]>>;
  let shipped: { id: string; code: string };
  let revoked: { id: string; code: string };
  let recalled: { id: string; code: string };
  let stranger: { id: string; code: string };
  let walkIn: { id: string; code: string };
  /** Every receipt send the page made (its Idempotency-Key), and the answers that reached it. */
  const receiptSends: (string | undefined)[] = [];
  const receiptAnswers: number[] = [];

  const ledger = async () => (await t.call("GET", "/v1/market/receipts", { key: market.key })).json.items as { certificateCode: string; quantity: number }[];

  beforeAll(async () => {
    t = await createTestContext("market-offline-browser");
    served = await serveApp(t);
    base = served.base;

    market = await t.party("market", { name: "余杭农贸市场" });
    const { producer, lot } = await t.producerWithLot(1000);
    const issue = async (quantity: number) => (await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, quantity, basis: "quality_control" } })).json;
    shipped = await issue(100);
    revoked = await issue(10);
    await t.call("POST", `/v1/certificates/${revoked.id}/revoke`, { key: producer.key, body: { reason: "标签印错" } });
    // Goods of this producer are on their way to the market: its certificates go to the device.
    const sent = await t.call("POST", "/v1/shipments", { key: producer.key, body: { lotId: lot.id, quantity: 200, unit: "kg", toPartyId: market.id, shippedAt: "2026-11-20T06:00:00+08:00" } });
    expect(sent.status).toBe(201);
    const other = await t.producerWithLot(100);
    recalled = (await t.call("POST", "/v1/certificates", { key: other.producer.key, body: { lotId: other.lot.id, quantity: 50, basis: "quality_control" } })).json;
    await t.call("POST", "/v1/shipments", { key: other.producer.key, body: { lotId: other.lot.id, quantity: 20, unit: "kg", toPartyId: market.id, shippedAt: "2026-11-20T06:00:00+08:00" } });
    const regulator = await t.party("regulator", { regionCode: "330112" });
    expect((await t.call("POST", "/v1/recalls", { key: regulator.key, body: { lotId: other.lot.id, reason: "农残超标" } })).status).toBe(201);
    const far = await t.producerWithLot(100);
    stranger = (await t.call("POST", "/v1/certificates", { key: far.producer.key, body: { lotId: far.lot.id, quantity: 50, basis: "quality_control" } })).json;
    walkIn = (await t.call("POST", "/v1/certificates", { key: far.producer.key, body: { lotId: far.lot.id, quantity: 30, basis: "quality_control" } })).json;

    browser = await launchChromium("gate", { timeoutMs: 20_000 });
    page = browser.page;
    page.on("request", (r) => {
      if (r.url().endsWith("/v1/market/receipts") && r.method() === "POST") receiptSends.push(r.headers()["idempotency-key"]);
    });
    page.on("response", (r) => {
      if (r.url().endsWith("/v1/market/receipts") && r.request().method() === "POST") receiptAnswers.push(r.status());
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await t?.close();
  });

  it("online: signs in, installs the service worker and stores what it needs to verify offline", async () => {
    await page.goto(`${base}/market`);
    await page.fill("#api-key", market.key);
    await page.click("button[type=submit]");
    await page.waitForSelector("body[data-ready=true]");
    await page.waitForSelector("body[data-offline-shell=ready]");
    await waitAttr(page, "#offline-status", "data-state", "ready");
    // The shipped producer's two certificates and the recalled one; not the stranger's.
    expect(await page.getAttribute("#offline-status", "data-count")).toBe("3");
    // The worker controls the page once reloaded online, so the shell is in its cache before the network goes.
    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await page.waitForSelector("#offline-status[data-refreshed-at]");
    // A label checked online is kept too, so the next truck on it can be checked if the network drops meanwhile.
    await page.fill("#code", walkIn.code);
    await page.click("#check-btn");
    await waitAttr(page, "#verdict", "data-mode", "online");
    await waitAttr(page, "#offline-status", "data-count", "4");
  });

  it("offline: reopens from the service worker and verifies labels in the browser", async () => {
    expect(await page.evaluate(async () => (await caches.match("/market")) !== undefined)).toBe(true);
    await browser.context.setOffline(true);
    expect(await page.evaluate(() => fetch("/healthz").then(() => "reached", () => "unreachable"))).toBe("unreachable");
    const reopened = await page.reload();
    expect(reopened?.fromServiceWorker()).toBe(true);
    await page.waitForSelector("body[data-ready=true]");
    await waitAttr(page, "#offline-status", "data-state", "ready");

    const checkCode = async (code: string) => {
      await page.fill("#code", code);
      await page.evaluate(() => document.getElementById("verdict")?.removeAttribute("data-decision"));
      await page.click("#check-btn");
      await page.waitForSelector("#verdict[data-decision]");
      expect(await page.getAttribute("#verdict", "data-mode")).toBe("offline");
      return page.getAttribute("#verdict", "data-decision");
    };
    expect(await checkCode(shipped.code)).toBe("accept");
    expect(await page.textContent("#fact-remaining")).toBe("100 kg");
    expect(await page.textContent("#fact-product")).toBe("雷笋");
    expect(await checkCode(revoked.code)).toBe("reject");
    expect(await page.textContent("#verdict-reasons")).toContain("合格证已作废");
    expect(await checkCode(recalled.code)).toBe("reject");
    expect(await page.textContent("#verdict-reasons")).toContain("产品已被召回或检测不合格");
    // Not on the device: it cannot be verified offline, so the goods wait.
    expect(await checkCode(stranger.code)).toBe("hold");
    expect(await checkCode(walkIn.code)).toBe("accept");
    expect(await page.textContent("#fact-remaining")).toBe("30 kg");
    await page.screenshot({ path: "test-results/market-offline-hold.png", fullPage: true });
  });

  it("offline: queues a receipt on the device and counts it against what is left", async () => {
    await page.fill("#code", shipped.code);
    await page.evaluate(() => document.getElementById("verdict")?.removeAttribute("data-decision"));
    await page.click("#check-btn");
    await waitAttr(page, "#verdict", "data-decision", "accept");
    expect((await page.textContent("#verdict-code"))?.replace(/-/g, "")).toBe(shipped.code);
    await page.fill("#quantity", "60");
    await page.click("#accept-btn");
    await waitAttr(page, "#receipt-result", "data-state", "queued");
    await waitAttr(page, "#queue-status", "data-pending", "1");
    await page.waitForFunction(() => document.getElementById("fact-remaining")?.textContent === "40 kg");
    await page.screenshot({ path: "test-results/market-offline-queued.png", fullPage: true });
    expect(await ledger()).toEqual([]);
    expect(receiptAnswers).toEqual([]);
  });

  it("back online: sends the queued receipt exactly once, even when the first answer is lost", async () => {
    // The first send reaches the server but its answer never reaches the page, as on a flaky network.
    let dropped = 0;
    await page.route("**/v1/market/receipts", async (route) => {
      if (dropped > 0) return route.continue();
      await route.fetch();
      dropped++;
      await route.abort("connectionreset");
    });
    await browser.context.setOffline(false);
    await page.waitForFunction(() => navigator.onLine);
    // The lost answer leaves the receipt pending; the next flush (a reload here) resends it under the same key.
    await expect.poll(() => dropped, { timeout: 15_000 }).toBe(1);
    await waitAttr(page, "#queue-status", "data-pending", "1");
    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    await waitAttr(page, "#queue-status", "data-pending", "0");
    await waitAttr(page, "#queue-status", "data-sent", "1");

    const rows = await ledger();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ certificateCode: shipped.code, quantity: 60 });
    // The server stored it on the send whose answer was lost; the resend got that receipt back (200), not a new one.
    expect(receiptAnswers).toEqual([200]);
    expect(receiptSends.length).toBeGreaterThanOrEqual(2);
    expect(new Set(receiptSends).size).toBe(1);
    const online = await t.call("POST", "/v1/market/check", { key: market.key, body: { code: shipped.code } });
    expect(online.json.remaining).toBe(40);

    // The copies refreshed after the send count the receipt once: offline again, 40 kg are left, not 40 − 60.
    await page.waitForSelector("#offline-status[data-refreshed-at]");
    await browser.context.setOffline(true);
    await page.fill("#code", shipped.code);
    await page.evaluate(() => document.getElementById("verdict")?.removeAttribute("data-mode"));
    await page.click("#check-btn");
    await waitAttr(page, "#verdict", "data-mode", "offline");
    await page.waitForFunction(() => document.getElementById("fact-remaining")?.textContent === "40 kg");
    await browser.context.setOffline(false);
  });
});
