import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app";
import { rowsOf } from "../../src/db/rows";
import { createTestContext, PUBLIC_URL, type TestContext } from "../support/context";
import { TEST_DATABASE_URL } from "../support/database";
import { startWorker, type RunningWorker } from "./start-worker";

/**
 * The Worker and the Node server answer the public routes with the same bodies, on the same PostgreSQL database.
 * workerd talks to PostgreSQL through Hyperdrive's local mode, so this needs a real server: TEST_DATABASE_URL.
 */
const GTIN = "06901234567892";
const LOT = "LS-2026-11";

interface Probe {
  method: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** How the bodies are compared: parsed JSON (default), the scan page's HTML, or a redirect's Location. */
  kind?: "json" | "html" | "redirect";
}

/**
 * The scan page prints how often the code was scanned, which each side's own scan just changed: compare the rest.
 * The ETag differs with it, so HTML probes compare bodies only.
 */
function withoutScanCount(html: string): string {
  return html.replace(/<section class="card" id="scans"[\s\S]*?<\/section>/, "<scans/>");
}

if (TEST_DATABASE_URL === undefined) {
  console.warn("test/worker: skipped, set TEST_DATABASE_URL=postgres://… to run the Worker in workerd against PostgreSQL");
}

describe.skipIf(TEST_DATABASE_URL === undefined)("the Worker in workerd", () => {
  let t: TestContext;
  let worker: RunningWorker;
  let probes: Probe[];
  let producerKey: string;
  let lotId: string;
  let toRevokeAtEdge: { id: string; code: string };
  /** The Node app over the same database, on a real clock as the Worker is, and without caches. */
  let node: ReturnType<typeof createApp>;

  beforeAll(async () => {
    t = await createTestContext("worker");
    // Both sides must judge expiry at the same moment, and the Worker's clock is the real one.
    t.clock.advance(Date.now() - t.clock.now().getTime());
    const { producer, site, lot: anyLot } = await t.producerWithLot(1000);
    const product = await t.call("POST", "/v1/products", { key: producer.key, body: { name: "安吉白茶", category: "茶鲜叶", unit: "kg", gtin: GTIN } });
    const lot = await t.call("POST", "/v1/lots", {
      key: producer.key,
      body: { productId: product.json.id, siteId: site.id, quantity: 500, unit: "kg", harvestedAt: "2026-11-19", code: LOT },
    });
    const issue = async (lotId: string) => {
      const res = await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId, quantity: 100, basis: "quality_control" } });
      if (res.status !== 201) throw new Error(`issue: ${res.status} ${res.text}`);
      return res.json;
    };
    expect(lot.status, lot.text).toBe(201);
    const valid = await issue(lot.json.id);
    const revoked = await issue(anyLot.id);
    toRevokeAtEdge = await issue(anyLot.id);
    producerKey = producer.key;
    lotId = anyLot.id;
    await t.call("POST", `/v1/certificates/${revoked.id}/revoke`, { key: producer.key, body: { reason: "标签印错" } });

    // One list: adding a route to the comparison is one line.
    probes = [
      { method: "GET", path: `/c/${valid.code}`, headers: { accept: "application/json" } },
      { method: "GET", path: `/c/${revoked.code}`, headers: { accept: "application/json" } },
      { method: "GET", path: `/c/${valid.code}?linkType=linkset` },
      { method: "GET", path: "/c/0000000000X", headers: { accept: "application/json" } },
      { method: "GET", path: "/.well-known/jwks.json" },
      { method: "GET", path: "/.well-known/gs1resolver" },
      { method: "GET", path: `/01/${GTIN}/10/${LOT}`, headers: { accept: "application/linkset+json" } },
      { method: "POST", path: "/v1/verify", body: { code: valid.code } },
      { method: "POST", path: "/v1/verify", body: { code: revoked.code } },
      { method: "POST", path: "/v1/verify", body: { url: `${PUBLIC_URL}/c/${valid.code}` } },
      { method: "POST", path: "/v1/verify", body: { jwt: valid.jwt } },
      { method: "POST", path: "/v1/verify", body: { code: "not a code" } },
      { method: "GET", path: "/healthz" },
      { method: "GET", path: `/c/${valid.code}`, headers: { accept: "text/html" }, kind: "html" },
      { method: "GET", path: `/c/${revoked.code}?lang=en`, headers: { accept: "text/html" }, kind: "html" },
      { method: "GET", path: "/c/0000000000X", headers: { accept: "text/html" }, kind: "html" },
      { method: "GET", path: `/c/${valid.code}`, headers: { accept: "application/linkset+json" } },
      { method: "GET", path: `/c/${valid.code}/trace.json` },
      { method: "GET", path: `/c/${valid.code}?linkType=gs1:jws`, kind: "redirect" },
      { method: "GET", path: `/01/${GTIN}/10/${LOT}`, headers: { accept: "text/html" }, kind: "redirect" },
      { method: "GET", path: `/01/${GTIN}/10/${LOT}?linkType=gs1:certificationInfo&17=261231`, kind: "redirect" },
      { method: "GET", path: `/01/${GTIN}?linkType=all` },
      { method: "GET", path: "/01/06901234567891/10/X" },
      { method: "GET", path: `/01/${GTIN}/10/NO-SUCH-LOT` },
    ];

    node = createApp({ ...t.deps, clock: () => new Date() });
    worker = await startWorker({ databaseUrl: t.handle.url!, vars: { PUBLIC_URL, RATE_LIMIT_PER_MINUTE: "0" } });
    console.log(`test/worker: workerd answered after ${Math.round(worker.readyMs)} ms (bundle, start, first request)`);
  }, 120_000);

  afterAll(async () => {
    await worker?.stop();
    await t?.close();
  });

  it("answers the scan, resolver, verify and key routes with the Node server's bodies", async () => {
    const seen: string[] = [];
    for (const probe of probes) {
      const init: RequestInit = {
        redirect: "manual",
        method: probe.method,
        headers: { ...probe.headers, ...(probe.body === undefined ? {} : { "content-type": "application/json" }) },
        ...(probe.body === undefined ? {} : { body: JSON.stringify(probe.body) }),
      };
      const fromNode = await node.request(probe.path, init);
      const fromWorker = await fetch(worker.url + probe.path, init);
      const label = `${probe.method} ${probe.path}`;
      expect(fromWorker.status, label).toBe(fromNode.status);
      expect(fromWorker.headers.get("content-type"), label).toBe(fromNode.headers.get("content-type"));
      const [nodeText, workerText] = [await fromNode.text(), await fromWorker.text()];
      if (probe.kind === "html") {
        expect(withoutScanCount(workerText), label).toBe(withoutScanCount(nodeText));
      } else if (probe.kind === "redirect") {
        expect(fromWorker.headers.get("location"), label).toBe(fromNode.headers.get("location"));
        expect(fromWorker.headers.get("link"), label).toBe(fromNode.headers.get("link"));
      } else {
        expect(JSON.parse(workerText), label).toEqual(JSON.parse(nodeText));
        // Same bytes, same strong validator: a phone's cached copy stays valid whichever side answers next.
        expect(fromWorker.headers.get("etag"), label).toBe(fromNode.headers.get("etag"));
      }
      seen.push(`${fromWorker.status} ${label}`);
    }
    console.log(`test/worker: same answers for\n  ${seen.join("\n  ")}`);
  });

  it("records scans after answering (waitUntil), placed from request.cf, never the address", async () => {
    const code = toRevokeAtEdge.code;
    const count = async () =>
      Number(rowsOf<{ n: number }>(await t.handle.db.execute(sql`SELECT count(*)::int AS n FROM scans s JOIN certificates c ON c.id = s.certificate_id WHERE c.code = ${code}`))[0]?.n ?? 0);
    const before = await count();
    const res = await fetch(`${worker.url}/c/${code}`, { headers: { accept: "application/json", "user-agent": "Mozilla/5.0 (iPhone) MicroMessenger/8.0" } });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    // The record lands after the answer; wait on the condition, not on a clock.
    await vi.waitFor(async () => expect(await count()).toBe(before + 1), { timeout: 10_000, interval: 50 });
  });

  it("has no signer on the edge: issuing answers 503 and stays on the origin", async () => {
    const res = await fetch(`${worker.url}/v1/certificates`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${producerKey}` },
      body: JSON.stringify({ lotId, quantity: 1, basis: "quality_control" }),
    });
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });

  it("serves a repeat from the edge cache and answers If-None-Match with 304", async () => {
    const path = probes[0]!.path;
    const first = await fetch(worker.url + path, { headers: { accept: "application/json" } });
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(first.headers.get("cache-control")).toBe("public, max-age=30, stale-while-revalidate=30");
    await first.arrayBuffer();
    const hit = await fetch(worker.url + path, { headers: { accept: "application/json" } });
    expect(hit.headers.get("x-cache")).toBe("hit");
    expect(await hit.text()).toBe(JSON.stringify(await (await node.request(path, { headers: { accept: "application/json" } })).json()));
    const again = await fetch(worker.url + path, { headers: { accept: "application/json", "if-none-match": etag! } });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(etag);
  });

  it("purges its own cache when a revocation goes through the Worker", async () => {
    const scan = () => fetch(`${worker.url}/c/${toRevokeAtEdge.code}`, { headers: { accept: "application/json" } });
    expect((await (await scan()).json()).status).toBe("valid");
    expect((await scan()).headers.get("x-cache")).toBe("hit");
    const revoke = await fetch(`${worker.url}/v1/certificates/${toRevokeAtEdge.id}/revoke`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${producerKey}` },
      body: JSON.stringify({ reason: "重复打印" }),
    });
    expect(revoke.status).toBe(200);
    const after = await scan();
    expect((await after.json()).status).toBe("revoked");
  });
});
