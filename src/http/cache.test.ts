import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../test/support/context";
import { ifNoneMatchMatches, PUBLIC_CACHE_CONTROL } from "./cache";
import { gzipped } from "./gzip";
import { createMemoryResponseCache } from "./memory-cache";

const JSON_ACCEPT = { accept: "application/json" };

async function issued(t: TestContext) {
  const { producer, lot } = await t.producerWithLot(1000);
  const res = await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, quantity: 10, basis: "quality_control" } });
  if (res.status !== 201) throw new Error(`issue: ${res.status} ${res.text}`);
  return { producer, cert: res.json as { id: string; code: string } };
}

describe("public reads with the in-process cache", () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext("cache", { responseCache: true });
  });
  afterAll(() => t.close());

  it("never shows a revoked certificate as valid: revoking purges the cached scan at once", async () => {
    const { producer, cert } = await issued(t);
    const first = await t.call("GET", `/c/${cert.code}`, { headers: JSON_ACCEPT });
    expect(first.status).toBe(200);
    expect(first.json.status).toBe("valid");
    expect(first.headers.get("x-cache")).toBe("miss");
    const second = await t.call("GET", `/c/${cert.code}`, { headers: JSON_ACCEPT });
    expect(second.headers.get("x-cache")).toBe("hit");
    expect(second.text).toBe(first.text);

    const revoked = await t.call("POST", `/v1/certificates/${cert.id}/revoke`, { key: producer.key, body: { reason: "标签印错" } });
    expect(revoked.status).toBe(200);
    const after = await t.call("GET", `/c/${cert.code}`, { headers: JSON_ACCEPT });
    expect(after.json.status).toBe("revoked");
    expect(after.headers.get("etag")).not.toBe(first.headers.get("etag"));
    // The code as a person might type it (lower case, grouped) is the same certificate and purged with it.
    const typed = await t.call("GET", `/c/${cert.code.toLowerCase().slice(0, 4)}-${cert.code.slice(4).toLowerCase()}`, { headers: JSON_ACCEPT });
    expect(typed.json.status).toBe("revoked");
  });

  it("never shows a lot that just failed a test as valid: recording the test purges its certificates", async () => {
    const { producer, cert } = await issued(t);
    expect((await t.call("GET", `/c/${cert.code}`, { headers: JSON_ACCEPT })).json.status).toBe("valid");
    expect((await t.call("GET", `/c/${cert.code}`, { headers: JSON_ACCEPT })).headers.get("x-cache")).toBe("hit");
    const lotId = (await t.call("GET", `/v1/certificates/${cert.id}`, { key: producer.key })).json.lotId;
    const positive = await t.call("POST", "/v1/tests", {
      key: producer.key,
      body: { lotId, kind: "self_test", method: "enzyme_inhibition", results: [{ value: 71, unit: "%" }] },
    });
    expect(positive.status).toBe(201);
    const after = await t.call("GET", `/c/${cert.code}`, { headers: JSON_ACCEPT });
    expect(after.json.status).toBe("failed_test");
  });

  it("sends a strong ETag and bounded Cache-Control, and answers If-None-Match with 304", async () => {
    const { cert } = await issued(t);
    const res = await t.call("GET", `/c/${cert.code}`, { headers: JSON_ACCEPT });
    const etag = res.headers.get("etag")!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{24}"$/);
    expect(res.headers.get("cache-control")).toBe(PUBLIC_CACHE_CONTROL);
    expect(res.headers.get("vary")).toBe("Accept, Accept-Language, Accept-Encoding");
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
      const cond = await t.call("GET", `/c/${cert.code}`, { headers: { ...JSON_ACCEPT, "if-none-match": ifNoneMatch } });
      expect(cond.status, ifNoneMatch).toBe(304);
      expect(cond.text).toBe("");
      expect(cond.headers.get("etag")).toBe(etag);
    }
    const changed = await t.call("GET", `/c/${cert.code}`, { headers: { ...JSON_ACCEPT, "if-none-match": '"stale"' } });
    expect(changed.status).toBe(200);
    expect(changed.text).toBe(res.text);
  });

  it("keeps representations apart: each Accept gets its own entry", async () => {
    const { cert } = await issued(t);
    const json = await t.call("GET", `/c/${cert.code}`, { headers: JSON_ACCEPT });
    const other = await t.call("GET", `/c/${cert.code}`, { headers: { accept: "application/linkset+json" } });
    expect(other.headers.get("x-cache")).toBe("miss");
    const jsonAgain = await t.call("GET", `/c/${cert.code}`, { headers: JSON_ACCEPT });
    expect(jsonAgain.headers.get("x-cache")).toBe("hit");
    expect(jsonAgain.text).toBe(json.text);
  });

  it("caches the public keys too, with the public policy", async () => {
    const keys = await t.call("GET", "/.well-known/jwks.json");
    expect(keys.status).toBe(200);
    expect(keys.headers.get("cache-control")).toBe(PUBLIC_CACHE_CONTROL);
    expect((await t.call("GET", "/.well-known/jwks.json")).headers.get("x-cache")).toBe("hit");
  });

  it("stores only 200s, so a code unknown now is found once issued", async () => {
    const missing = await t.call("GET", "/c/0000000000X", { headers: JSON_ACCEPT });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("etag")).toBeNull();
    expect(missing.headers.get("x-cache")).toBeNull();
  });

  it("lets requests with credentials bypass the shared cache", async () => {
    const { producer, cert } = await issued(t);
    const res = await t.call("GET", `/c/${cert.code}`, { key: producer.key, headers: JSON_ACCEPT });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-cache")).toBeNull();
    expect(res.headers.get("cache-control")).not.toBe(PUBLIC_CACHE_CONTROL);
  });

  it("reads the database once for misses of one code that arrive together", async () => {
    const { cert } = await issued(t);
    const scans = await Promise.all(Array.from({ length: 8 }, () => t.call("GET", `/c/${cert.code}`, { headers: JSON_ACCEPT })));
    expect(scans.map((r) => r.headers.get("x-cache")).sort()).toEqual(["hit", "hit", "hit", "hit", "hit", "hit", "hit", "miss"]);
    expect(new Set(scans.map((r) => r.text)).size).toBe(1);
  });

  it("lets misses that waited read afresh when a revocation lands while the first one reads", async () => {
    const { producer, cert } = await issued(t);
    const cache = t.deps.responseCache!;
    const put = cache.put;
    // The revocation lands after the first scan has read the certificate and before it stores its answer.
    cache.put = async (key, value, ticket) => {
      cache.put = put;
      expect((await t.call("POST", `/v1/certificates/${cert.id}/revoke`, { key: producer.key, body: { reason: "标签印错" } })).status).toBe(200);
      return put(key, value, ticket);
    };
    const scans = await Promise.all(Array.from({ length: 4 }, () => t.call("GET", `/c/${cert.code}`, { headers: JSON_ACCEPT })));
    const statuses = scans.map((r) => r.json.status as string);
    expect(statuses.filter((s) => s === "valid")).toHaveLength(1);
    expect(statuses.filter((s) => s === "revoked")).toHaveLength(3);
    expect((await t.call("GET", `/c/${cert.code}`, { headers: JSON_ACCEPT })).json.status).toBe("revoked");
  });

  it("expires entries after the public max-age", async () => {
    const { cert } = await issued(t);
    await t.call("GET", `/c/${cert.code}`, { headers: JSON_ACCEPT });
    t.clock.advance(31_000);
    expect((await t.call("GET", `/c/${cert.code}`, { headers: JSON_ACCEPT })).headers.get("x-cache")).toBe("miss");
  });
});

describe("public reads with the cache off", () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext("cache-off");
  });
  afterAll(() => t.close());

  it("still sends ETags and 304s, and shows a revocation at once", async () => {
    const { producer, cert } = await issued(t);
    const res = await t.call("GET", `/c/${cert.code}`, { headers: JSON_ACCEPT });
    expect(res.headers.get("x-cache")).toBe("off");
    const etag = res.headers.get("etag")!;
    expect((await t.call("GET", `/c/${cert.code}`, { headers: { ...JSON_ACCEPT, "if-none-match": etag } })).status).toBe(304);
    await t.call("POST", `/v1/certificates/${cert.id}/revoke`, { key: producer.key, body: { reason: "重复" } });
    const after = await t.call("GET", `/c/${cert.code}`, { headers: { ...JSON_ACCEPT, "if-none-match": etag } });
    expect(after.status).toBe(200);
    expect(after.json.status).toBe("revoked");
  });
});

describe("compressed public reads (the Node origin)", () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext("cache-gzip", { responseCache: true });
    t.deps.gzip = gzipped;
  });
  afterAll(() => t.close());

  const get = (path: string, headers: Record<string, string>) => t.app.request(path, { headers });
  const PHONE = { accept: "text/html", "accept-encoding": "gzip, deflate, br" };

  it("sends the page and JSON gzip-compressed to clients that accept it, from the cache too, with a tag of their own", async () => {
    const { cert } = await issued(t);
    const plain = await get(`/c/${cert.code}`, { accept: "text/html" });
    const plainBody = new Uint8Array(await plain.arrayBuffer());
    expect(plain.headers.get("content-encoding")).toBeNull();
    for (const cacheStatus of ["hit", "hit"]) {
      const res = await get(`/c/${cert.code}`, PHONE);
      expect(res.headers.get("x-cache")).toBe(cacheStatus);
      expect(res.headers.get("content-encoding")).toBe("gzip");
      const body = new Uint8Array(await res.arrayBuffer());
      expect(body.byteLength).toBeLessThan(plainBody.byteLength);
      expect(new Uint8Array(gunzipSync(body))).toEqual(plainBody);
      expect(res.headers.get("etag")).toBe(plain.headers.get("etag")!.replace(/"$/, '-gz"'));
      const again = await get(`/c/${cert.code}`, { ...PHONE, "if-none-match": res.headers.get("etag")! });
      expect(again.status).toBe(304);
    }
    const json = await get(`/c/${cert.code}`, { ...JSON_ACCEPT, "accept-encoding": "gzip" });
    expect(json.headers.get("x-cache")).toBe("miss");
    expect(JSON.parse(gunzipSync(new Uint8Array(await json.arrayBuffer())).toString()).status).toBe("valid");
  });

  it("sends the body as it is to clients that refuse gzip, and small bodies always", async () => {
    const { cert } = await issued(t);
    for (const encoding of ["gzip;q=0, deflate", "br", "identity", "*;q=0"]) {
      const res = await get(`/c/${cert.code}`, { accept: "text/html", "accept-encoding": encoding });
      expect(res.headers.get("content-encoding"), encoding).toBeNull();
      expect(await res.text()).toContain("<html");
    }
    expect((await get(`/c/${cert.code}`, { accept: "text/html", "accept-encoding": "*" })).headers.get("content-encoding")).toBe("gzip");
    const keys = await get("/.well-known/gs1resolver", { "accept-encoding": "gzip" });
    expect(keys.status).toBe(200);
    expect(keys.headers.get("content-encoding")).toBeNull();
  });
});

describe("the memory cache", () => {
  const key = (certificate: string | null, pathAndQuery = "/c/X") => ({ pathAndQuery, accept: "", lang: "", certificate });
  const value = { status: 200, headers: { etag: '"a"' }, body: new TextEncoder().encode("{}") };

  it("drops a store computed before a purge (the read raced the revocation)", async () => {
    const cache = createMemoryResponseCache();
    const ticket = cache.ticket();
    await cache.purgeCertificate("X");
    await cache.put(key("X"), value, ticket);
    expect(await cache.get(key("X"))).toBeUndefined();
    await cache.put(key("X"), value, cache.ticket());
    expect(await cache.get(key("X"))).toEqual(value);
  });

  it("purges the certificate's entries and every entry not tied to one, and keeps other certificates'", async () => {
    const cache = createMemoryResponseCache();
    for (const k of [key("X"), key("Y", "/c/Y"), key(null, "/01/09506000134352/10/A1")]) await cache.put(k, value, cache.ticket());
    await cache.purgeCertificate("X");
    expect(await cache.get(key("X"))).toBeUndefined();
    expect(await cache.get(key(null, "/01/09506000134352/10/A1"))).toBeUndefined();
    expect(await cache.get(key("Y", "/c/Y"))).toEqual(value);
  });

  it("stays within its byte budget", async () => {
    const cache = createMemoryResponseCache({ maxBytes: 10 });
    const big = { ...value, body: new Uint8Array(6) };
    await cache.put(key("A", "/c/A"), big, cache.ticket());
    await cache.put(key("B", "/c/B"), big, cache.ticket());
    expect(await cache.get(key("A", "/c/A"))).toBeUndefined();
    expect(await cache.get(key("B", "/c/B"))).toEqual(big);
  });
});

describe("If-None-Match", () => {
  it("uses the weak comparison RFC 9110 prescribes for it", () => {
    expect(ifNoneMatchMatches('"a"', '"a"')).toBe(true);
    expect(ifNoneMatchMatches('W/"a"', '"a"')).toBe(true);
    expect(ifNoneMatchMatches('"b", "a"', '"a"')).toBe(true);
    expect(ifNoneMatchMatches('"b"', '"a"')).toBe(false);
    expect(ifNoneMatchMatches(undefined, '"a"')).toBe(false);
  });
});
