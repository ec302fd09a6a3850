import { describe, expect, it } from "vitest";
import type { CacheKey } from "./cache";
import { createEdgeResponseCache, type EdgeCacheStore } from "./edge-cache";

/** The Cache API reduced to what matters here: entries by URL (expiry is the platform's job and not modelled). */
function fakeStore(): EdgeCacheStore & { urls: () => string[] } {
  const entries = new Map<string, { body: ArrayBuffer; status: number; headers: [string, string][] }>();
  return {
    async match(req) {
      const e = entries.get(req.url);
      return e === undefined ? undefined : new Response(e.body.slice(0), { status: e.status, headers: e.headers });
    },
    async put(req, res) {
      entries.set(req.url, { body: await res.arrayBuffer(), status: res.status, headers: [...res.headers] });
    },
    async delete(req) {
      return entries.delete(req.url);
    },
    urls: () => [...entries.keys()],
  };
}

const body = new TextEncoder().encode('{"status":"valid"}');
const value = { status: 200, headers: { "content-type": "application/json" }, body };
const key = (accept: string, lang: string, certificate: string | null = "X", pathAndQuery = "/c/X"): CacheKey => ({ pathAndQuery, accept, lang, certificate });

describe("the edge cache", () => {
  it("stores each variant under its own URL and hides its bookkeeping header", async () => {
    let now = 1_000;
    const store = fakeStore();
    const cache = createEdgeResponseCache(store, "https://trace.test", () => now);
    await cache.put(key("application/json", "zh-cn"), value, cache.ticket());
    now++;
    expect(await cache.get(key("text/html", "zh-cn"))).toBeUndefined();
    const hit = await cache.get(key("application/json", "zh-cn"));
    expect(hit?.body).toEqual(body);
    expect(hit?.headers).toEqual({ "content-type": "application/json" });
    expect(store.urls()[0]).toBe("https://trace.test/c/X?__accept=application%2Fjson&__lang=zh-cn");
  });

  it("makes every variant of a purged certificate unreachable, including ones it never named", async () => {
    let now = 1_000;
    const cache = createEdgeResponseCache(fakeStore(), "https://trace.test", () => now);
    const variants = [key("application/json", "*"), key("text/html,application/xhtml+xml;q=0.9", "zh-cn,zh;q=0.9")];
    for (const k of variants) await cache.put(k, value, cache.ticket());
    const resolver = key("application/linkset+json", "", null, "/01/09506000134352/10/A1");
    await cache.put(resolver, value, cache.ticket());
    const other = key("application/json", "", "Y", "/c/Y");
    await cache.put(other, value, cache.ticket());
    now += 5;
    await cache.purgeCertificate("X");
    for (const k of [...variants, resolver]) expect(await cache.get(k)).toBeUndefined();
    expect(await cache.get(other)).toBeDefined();
    // Answers computed after the change are served again.
    now += 5;
    await cache.put(variants[0]!, value, cache.ticket());
    expect(await cache.get(variants[0]!)).toBeDefined();
  });

  it("drops an answer whose data was read before the change even if it was stored after it", async () => {
    let now = 1_000;
    const cache = createEdgeResponseCache(fakeStore(), "https://trace.test", () => now);
    const ticket = cache.ticket();
    await cache.purgeCertificate("X"); // same coarse clock reading as the ticket: counted as before
    await cache.put(key("application/json", ""), value, ticket);
    now += 10;
    expect(await cache.get(key("application/json", ""))).toBeUndefined();
  });
});
