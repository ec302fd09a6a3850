import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { serve, type ServerType } from "@hono/node-server";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scanFixtures } from "../../src/routes/scan/fixtures";
import { createTestContext, type TestContext } from "../support/context";

/**
 * The scan page in headless Chromium on a 390×844 phone screen, JavaScript off as on the most locked-down phones:
 * for every verdict the verdict must be on screen without scrolling, in words, in Chinese.
 */
const CHROMIUM = "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
if (!available && process.env["CI"] !== undefined) throw new Error(`${CHROMIUM} is missing; install the Debian chromium package`);

const VIEWPORT = { width: 390, height: 844 };

describe.skipIf(!available)("the scan page in Chromium on a phone", () => {
  let t: TestContext;
  let server: ServerType;
  let base: string;
  let dir: string;
  let context: BrowserContext;
  let page: Page;
  let f: Awaited<ReturnType<typeof scanFixtures>>;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    t = await createTestContext("scan-browser");
    server = serve({ fetch: t.app.fetch, hostname: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    t.deps.publicUrl = base;
    f = await scanFixtures(t);
    dir = await mkdtemp(path.join(tmpdir(), "lotproof-scan-browser-"));
    await mkdir("test-results", { recursive: true });
    context = await chromium.launchPersistentContext(path.join(dir, "profile"), {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      viewport: VIEWPORT,
      deviceScaleFactor: 1,
      locale: "zh-CN",
      javaScriptEnabled: false,
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(15_000);
    page.on("console", (m) => {
      // The unknown code's page is a 404 by design; Chromium logs that status as an error.
      if (m.type() === "error" && !m.location().url.endsWith("/c/0000000000X")) consoleErrors.push(`${m.location().url}: ${m.text()}`);
    });
    page.on("pageerror", (e) => consoleErrors.push(e.message));
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await new Promise((resolve) => server?.close(resolve));
    await t?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
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
    expect(seen.bottom).toBeLessThanOrEqual(VIEWPORT.height / 2);
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
