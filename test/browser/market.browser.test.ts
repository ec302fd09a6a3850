import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { Page } from "playwright-core";
import QRCode from "qrcode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, chromiumAvailable, launchChromium, serveApp, waitAttr } from "../support/browser";
import { createTestContext, type TestContext } from "../support/context";

/**
 * The gate page in headless Chromium on a phone-sized screen: typing a code with a wrong check character, scanning a
 * certificate's QR code fed to the browser as its camera, and accepting the goods with one tap.
 */

/** One Y4M (YUV 4:2:0) video frame with the QR code of `text` in the middle, dark on white, as a camera would see it. */
function qrVideo(text: string, width = 640, height = 480, scale = 8): Buffer {
  const qr = QRCode.create(text, { errorCorrectionLevel: "M" });
  const size = qr.modules.size;
  const luma = Buffer.alloc(width * height, 235);
  const left = Math.floor((width - size * scale) / 2);
  const top = Math.floor((height - size * scale) / 2);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (!qr.modules.get(y, x)) continue;
      for (let dy = 0; dy < scale; dy++) luma.fill(16, (top + y * scale + dy) * width + left + x * scale, (top + y * scale + dy) * width + left + (x + 1) * scale);
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  const frame = Buffer.concat([Buffer.from("FRAME\n"), luma, chroma, chroma]);
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`), frame, frame]);
}

/** Waits until the element's text is exactly `text` (no sleeps: Chromium re-checks on every DOM change). */
async function waitText(page: Page, selector: string, text: string): Promise<void> {
  await page.waitForFunction(([sel, want]) => document.querySelector(sel!)?.textContent === want, [selector, text] as const);
}


describe.skipIf(!chromiumAvailable)("the market gate page in Chromium", () => {
  let t: TestContext;
  let served: Awaited<ReturnType<typeof serveApp>>;
  let browser: Browser;
  let page: Page;
  let base: string;
  let market: Awaited<ReturnType<TestContext["party"]>>;
  let cert: { id: string; code: string };
  let revoked: { code: string };

  beforeAll(async () => {
    t = await createTestContext("market-browser");
    served = await serveApp(t);
    base = served.base;

    market = await t.party("market", { name: "杭州农副产品物流中心" });
    const { producer, lot } = await t.producerWithLot(1000);
    const issue = (quantity: number) => t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, quantity, basis: "quality_control" } });
    cert = (await issue(100)).json;
    const other = (await issue(10)).json;
    await t.call("POST", `/v1/certificates/${other.id}/revoke`, { key: producer.key, body: { reason: "标签印错" } });
    revoked = other;

    // The camera is a video of the certificate's QR code, pointing at this server.
    browser = await launchChromium("gate", {
      permissions: ["camera"],
      args: async (dir) => {
        const video = path.join(dir, "qr.y4m");
        await writeFile(video, qrVideo(`${base}/c/${cert.code}`));
        return ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${video}`];
      },
    });
    page = browser.page;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await t?.close();
  });

  it("signs in with the market's key", async () => {
    await page.goto(`${base}/market`);
    await page.fill("#api-key", "lp_wrong");
    await page.click("button[type=submit]");
    await waitText(page, ".error", "密钥无效或已停用");
    await page.fill("#api-key", market.key);
    await page.click("button[type=submit]");
    await page.waitForSelector("body[data-ready=true]");
    // The page fetches what it needs offline once signed in; let that settle before watching what typing sends.
    await page.waitForSelector("#offline-status[data-refreshed-at]");
    expect(await page.locator(".bar .market").textContent()).toBe("杭州农副产品物流中心");
  });

  it("(a) shows a wrong check character while typing, before anything is sent", async () => {
    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    const typo = cert.code.slice(0, 10) + (cert.code[10] === "A" ? "B" : "A");
    await page.fill("#code", "");
    await page.type("#code", typo.slice(0, 6).toLowerCase());
    await waitText(page, "#code-hint", "还差 5 位");
    await page.type("#code", typo.slice(6).toLowerCase());
    await waitAttr(page, "#code-hint", "data-state", "invalid");
    await waitText(page, "#code-hint", "校验位不对：编码可能输错了，请逐位核对");
    expect(await page.locator("#check-btn").isDisabled()).toBe(true);
    await page.screenshot({ path: "test-results/market-typo.png", fullPage: true });
    await page.fill("#code", cert.code.toLowerCase());
    await waitAttr(page, "#code-hint", "data-state", "ok");
    expect(requests.filter((u) => u.includes("/v1/"))).toEqual([]);
  });

  it("(b) reads the certificate's QR code from the camera and shows the verdict", async () => {
    await page.fill("#code", "");
    await page.click("#scan-btn");
    await waitAttr(page, "#verdict", "data-decision", "accept");
    await waitText(page, "#verdict-word", "可以进场");
    expect((await page.inputValue("#code")).replace(/-/g, "")).toBe(cert.code);
    await waitText(page, "#fact-remaining", "100 kg");
    expect(await page.locator("#fact-product").textContent()).toBe("雷笋");
    expect(await page.inputValue("#quantity")).toBe("100");
    expect(await page.locator("video").evaluate((v: HTMLVideoElement) => v.srcObject)).toBeNull();
    await page.screenshot({ path: "test-results/market-verdict.png", fullPage: true });
  });

  it("(c) accepts the truck with one tap, and the receipt is stored", async () => {
    await page.fill("#quantity", "60");
    await page.click("#accept-btn");
    await waitAttr(page, "#receipt-result", "data-state", "ok");
    await waitText(page, "#fact-remaining", "40 kg");
    await page.screenshot({ path: "test-results/market-accepted.png", fullPage: true });
    const ledger = await t.call("GET", "/v1/market/receipts", { key: market.key });
    expect(ledger.json.items).toHaveLength(1);
    expect(ledger.json.items[0]).toMatchObject({ certificateCode: cert.code, quantity: 60, unit: "kg", decision: "accept", proof: "certificate", seller: { name: expect.stringContaining("测试cooperative") } });
  });

  it("shows a revoked certificate in red and records the refusal with its reason", async () => {
    t.clock.advance(1000); // the ledger lists receipts in the order they were taken
    await page.fill("#code", revoked.code);
    await page.click("#check-btn");
    await waitAttr(page, "#verdict", "data-decision", "reject");
    await waitText(page, "#verdict-word", "拒绝");
    expect(await page.locator("#accept-btn").isHidden()).toBe(true);
    await page.screenshot({ path: "test-results/market-reject.png", fullPage: true });
    await page.click("#reject-btn");
    await waitAttr(page, "#receipt-result", "data-state", "ok");
    await waitText(page, "#verdict-reasons li:nth-child(2)", "作废原因：标签印错");
    const ledger = await t.call("GET", "/v1/market/receipts", { key: market.key });
    expect(ledger.json.items[1]).toMatchObject({ certificateCode: revoked.code, decision: "reject", reason: "合格证已作废" });
  });
});
