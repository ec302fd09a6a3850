import { createApp } from "../../src/app";
import type { AppDeps } from "../../src/deps";
import { gb31CodeScheme } from "../../src/domain/certificate-code";
import { ensureBootstrapAdmin } from "../../src/services/parties";
import { ensureReferenceSeeded } from "../../src/services/reference-data";
import { createSigner, loadOrCreateSigner } from "../../src/signing/key-store";
import { loadOrCreateLogSigner } from "../../src/signing/log-key";
import { logOrigin } from "../../src/signing/log-identity";
import { withUsccCheck } from "../../src/domain/uscc";
import { createMemoryResponseCache } from "../../src/http/memory-cache";
import { createTokenBucketLimiter, type RateLimitSettings } from "../../src/http/rate-limit";
import { openTestDatabase } from "./database";
import { manualClock, seededRandomBytes } from "./deterministic";

export const ADMIN_KEY = "test-admin-key-0123456789abcdef";
export const PUBLIC_URL = "https://trace.test";

export type TestContext = Awaited<ReturnType<typeof createTestContext>>;

/** A migrated database, an app over it, and helpers that speak to it the way clients do. */
export interface TestContextOptions {
  /** Serve public reads through an in-memory cache purged on certificate changes, as the Node server does. */
  responseCache?: boolean;
  /** Limit public routes; in-process requests all count as one client unless `clientAddress` says otherwise. */
  rateLimit?: RateLimitSettings;
  clientAddress?: AppDeps["clientAddress"];
  /** Replaces the database the app sees after set-up (e.g. a stub that fails on use). */
  wrapDb?: (db: AppDeps["db"]) => AppDeps["db"];
  /** Node-origin-only routers to mount, as server.ts does (PDF printing, the producer console). */
  originRouters?: Parameters<typeof createApp>[1];
}

export async function createTestContext(seed = "lotproof", options: TestContextOptions = {}) {
  const handle = await openTestDatabase();
  const clock = manualClock("2026-11-20T02:00:00Z");
  const randomBytes = seededRandomBytes(seed);
  const keyVault = { kind: "memory" as const, keys: new Map() };
  const signer = await loadOrCreateSigner(handle.db, keyVault, clock.now, randomBytes);
  const logSigner = await loadOrCreateLogSigner(handle.db, keyVault, logOrigin(PUBLIC_URL), clock.now, randomBytes);
  const deps: AppDeps = {
    db: handle.db,
    dbKind: handle.kind,
    publicUrl: PUBLIC_URL,
    clock: clock.now,
    randomBytes,
    codeScheme: gb31CodeScheme,
    signer,
    logSigner,
    createSigningKey: () => createSigner(handle.db, keyVault, clock.now, randomBytes),
  };
  await ensureBootstrapAdmin(deps, ADMIN_KEY);
  await ensureReferenceSeeded(deps);
  if (options.responseCache === true) {
    const cache = createMemoryResponseCache({ now: () => clock.now().getTime() });
    deps.responseCache = cache;
    deps.onCertificateChanged = (code) => cache.purgeCertificate(code);
  }
  if (options.rateLimit !== undefined) {
    deps.rateLimiter = createTokenBucketLimiter(options.rateLimit, { now: () => clock.now().getTime(), salt: randomBytes(16) });
  }
  if (options.clientAddress !== undefined) deps.clientAddress = options.clientAddress;
  if (options.wrapDb !== undefined) deps.db = options.wrapDb(deps.db);
  const app = createApp(deps, options.originRouters ?? []);

  async function call(method: string, path: string, opts: { key?: string; body?: unknown; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.key !== undefined) headers["authorization"] = `Bearer ${opts.key}`;
    if (opts.body !== undefined) headers["content-type"] = "application/json";
    const res = await app.request(path, {
      method,
      headers,
      ...(opts.body === undefined ? {} : { body: typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body) }),
    });
    const text = await res.text();
    let json: any = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: res.status, json, text, headers: res.headers };
  }

  let serial = 0;
  /** Registers a party through the API and returns it with a fresh key. */
  async function party(kind: string, overrides: Record<string, unknown> = {}) {
    serial++;
    const needsCode = kind === "enterprise" || kind === "cooperative" || kind === "market" || kind === "buyer";
    const body = {
      kind,
      name: `测试${kind}${serial}`,
      phone: "13800000000",
      regionCode: "330112",
      ...(needsCode ? { creditCode: withUsccCheck(`9133011200000${String(serial).padStart(4, "0")}`) } : {}),
      ...overrides,
    };
    const created = await call("POST", "/v1/parties", { key: ADMIN_KEY, body });
    if (created.status !== 201) throw new Error(`party: ${created.status} ${created.text}`);
    const key = await call("POST", `/v1/parties/${created.json.id}/keys`, { key: ADMIN_KEY });
    return { ...created.json, key: key.json.key as string };
  }

  /** A producer with a product and a lot of `quantity` kg, ready to certify. */
  async function producerWithLot(quantity = 1000, unit = "kg") {
    const producer = await party("cooperative");
    const site = await call("POST", "/v1/sites", { key: producer.key, body: { name: "一号地块", regionCode: "330112", address: "太湖源镇" } });
    const product = await call("POST", "/v1/products", { key: producer.key, body: { name: "雷笋", category: "蔬菜", unit: "kg" } });
    const lot = await call("POST", "/v1/lots", {
      key: producer.key,
      body: { productId: product.json.id, siteId: site.json.id, quantity, unit, harvestedAt: "2026-11-19" },
    });
    if (lot.status !== 201) throw new Error(`lot: ${lot.status} ${lot.text}`);
    return { producer, site: site.json, product: product.json, lot: lot.json };
  }

  return { app, deps, handle, clock, call, party, producerWithLot, close: () => handle.close() };
}
