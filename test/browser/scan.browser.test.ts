import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scanFixtures } from "../../src/routes/scan/fixtures";
import { type Browser, chromiumAvailable, launchChromium, PHONE, serveApp } from "../support/browser";
import { createTestContext, type TestContext } from "../support/context";

/**
 * The scan page in headless Chromium on a 390×844 phone screen, JavaScript off as on the most locked-down phones:
 * for every verdict the verdict must be on screen without scrolling, in words, in Chinese.
 */
describe.skipIf(!chromiumAvailable)("the scan page in Chromium on a phone", () => {
  let t: TestContext;
  let served: Awaited<ReturnType<typeof serveApp>>;
  let browser: Browser;
  let page: Page;
  let base: string;
  let f: Awaited<ReturnType<typeof scanFixtures>>;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    t = await createTestContext("scan-browser");
    served = await serveApp(t, { staticFiles: false });
    base = served.base;
    f = await scanFixtures(t);
    browser = await launchChromium("scan", { javaScriptEnabled: false });
    page = browser.page;
    page.on("console", (m) => {
      // The unknown code's page is a 404 by design; Chromium logs that status as an error.
      if (m.type() === "error" && !m.location().url.endsWith("/c/0000000000X")) consoleErrors.push(`${m.location().url}: ${m.text()}`);
    });
    page.on("pageerror", (e) => consoleErrors.push(e.message));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await t?.close();
  });

  async function verdictOnScreen(p: Page) {
    return p.evaluate(() => {
      const box = document.querySelector("#verdict")!.getBoundingClientRect();
      const h1 = document.querySelector("#verdict h1")!;
      return {
        top: box.top,
        bottom: box.bottom,
        word: h1.textContent,
        wordWidth: h1.getBoundingClientRect().width,
        verdict: document.querySelector("#verdict")!.getAttribute("data-verdict"),
        background: getComputedStyle(document.querySelector("#verdict")!).backgroundColor,
        scrollY: window.scrollY,
        transfer: (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).transferSize,
      };
    });
  }

  const cases = [
    { name: "valid", code: () => f.valid.code, word: "有效", status: 200 },
    { name: "revoked", code: () => f.revoked.code, word: "已作废", status: 200 },
    { name: "recalled", code: () => f.recalled.code, word: "已召回", status: 200 },
    { name: "failed_test", code: () => f.failed.code, word: "检测不合格", status: 200 },
    { name: "unknown", code: () => "0000000000X", word: "未找到", status: 404 },
  ];

  it.each(cases)("shows $word above the fold for a $name code", async ({ name, code, word, status }) => {
    const res = await page.goto(`${base}/c/${code()}`);
    expect(res?.status()).toBe(status);
    const seen = await verdictOnScreen(page);
    expect(seen.verdict).toBe(name);
    expect(seen.word).toBe(word);
    expect(seen.scrollY).toBe(0);
    expect(seen.top).toBeGreaterThanOrEqual(0);
    expect(seen.bottom).toBeLessThanOrEqual(PHONE.height / 2);
    // Chinese glyphs laid out at the verdict's size (tofu or a missing font would still have width, so also check
    // that the words fit on one line of the box: 40 px type, at most 5 characters).
    expect(seen.wordWidth).toBeGreaterThan(30 * word.length);
    expect(seen.background).not.toBe("rgba(0, 0, 0, 0)");
    expect(seen.transfer).toBeLessThan(30 * 1024);
    await page.screenshot({ path: `test-results/scan-${name}.png` });
  });

  it("reads in English with ?lang=en", async () => {
    await page.goto(`${base}/c/${f.revoked.code}?lang=en`);
    const seen = await verdictOnScreen(page);
    expect(seen.word).toBe("Revoked");
    expect(await page.locator("#verdict p").first().textContent()).toContain("标签印错");
    await page.screenshot({ path: "test-results/scan-revoked-en.png", fullPage: true });
  });

  it("logged no console errors", () => {
    expect(consoleErrors).toEqual([]);
  });
});
