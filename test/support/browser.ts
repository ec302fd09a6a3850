import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { serve } from "@hono/node-server";
import { serveStatic } from "@hono/node-server/serve-static";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import type { TestContext } from "./context";

/** Debian's Chromium: browser tests skip without it, except in CI, where its absence is an error. */
export const CHROMIUM = "/usr/bin/chromium";
export const chromiumAvailable = existsSync(CHROMIUM);
if (!chromiumAvailable && process.env["CI"] !== undefined) throw new Error(`${CHROMIUM} is missing; install the Debian chromium package`);

export const PHONE = { width: 390, height: 844 };

/** Waits until the element's attribute is exactly `value` (no sleeps: Chromium re-checks on every DOM change). */
export async function waitAttr(page: Page, selector: string, name: string, value: string): Promise<void> {
  await page.waitForFunction(([sel, n, want]) => document.querySelector(sel!)?.getAttribute(n!) === want, [selector, name, value] as const);
}

/**
 * Serves the test app over HTTP on loopback, with `public/` unless told otherwise. The app's public URL becomes this
 * address: QR codes point here, and session cookies are not Secure over plain HTTP.
 */
export async function serveApp(t: TestContext, opts: { staticFiles?: boolean } = {}): Promise<{ base: string; close(): Promise<void> }> {
  if (opts.staticFiles !== false) t.app.use("/*", serveStatic({ root: "./public" }));
  const server = serve({ fetch: t.app.fetch, hostname: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t.deps.publicUrl = base;
  return { base, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** A directory of this browser's own, removed on close (its profile lives there). */
  dir: string;
  close(): Promise<void>;
}

/**
 * Headless Chromium with a fresh profile and Chinese locale; page errors are logged under `name`. Screenshots go to
 * `test-results/`, which this creates.
 */
export async function launchChromium(
  name: string,
  opts: { viewport?: { width: number; height: number }; args?: (dir: string) => Promise<string[]>; timeoutMs?: number; permissions?: string[]; javaScriptEnabled?: boolean } = {},
): Promise<Browser> {
  const dir = await mkdtemp(path.join(tmpdir(), `lotproof-${name}-`));
  await mkdir("test-results", { recursive: true });
  const extra = opts.args === undefined ? [] : await opts.args(dir);
  const context = await chromium.launchPersistentContext(path.join(dir, "profile"), {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", ...extra],
    viewport: opts.viewport ?? PHONE,
    deviceScaleFactor: 1,
    locale: "zh-CN",
    ...(opts.permissions === undefined ? {} : { permissions: opts.permissions }),
    ...(opts.javaScriptEnabled === undefined ? {} : { javaScriptEnabled: opts.javaScriptEnabled }),
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(opts.timeoutMs ?? 15_000);
  page.on("pageerror", (e) => console.error(`${name} page error:`, e.message));
  return {
    context,
    page,
    dir,
    close: async () => {
      await context.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
