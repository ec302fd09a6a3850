import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../test/support/context";
import { createTokenBucketLimiter } from "./rate-limit";

describe("the token bucket", () => {
  it("allows a burst, then the sustained rate, and says when to retry", () => {
    let now = 0;
    const limiter = createTokenBucketLimiter({ perMinute: 60, burst: 3 }, { now: () => now, salt: new Uint8Array(16) });
    expect([1, 2, 3].map(() => limiter.take("10.0.0.1").ok)).toEqual([true, true, true]);
    expect(limiter.take("10.0.0.1")).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.take("10.0.0.2").ok).toBe(true);
    now += 1_000;
    expect(limiter.take("10.0.0.1").ok).toBe(true);
    expect(limiter.take("10.0.0.1").ok).toBe(false);
    now += 60_000;
    expect([1, 2, 3, 4].map(() => limiter.take("10.0.0.1").ok)).toEqual([true, true, true, false]);
  });

  it("forgets the longest-idle clients beyond its bound", () => {
    const limiter = createTokenBucketLimiter({ perMinute: 1, burst: 1, maxClients: 2 }, { now: () => 0, salt: new Uint8Array(16) });
    expect(limiter.take("a").ok).toBe(true);
    expect(limiter.take("b").ok).toBe(true);
    expect(limiter.take("c").ok).toBe(true); // evicts a
    expect(limiter.take("b").ok).toBe(false);
    expect(limiter.take("a").ok).toBe(true); // a full bucket again: forgetting only ever errs towards allowing
  });
});

describe("rate limiting of the public routes", () => {
  let t: TestContext;
  let address = "198.51.100.7";
  beforeAll(async () => {
    t = await createTestContext("rate", { rateLimit: { perMinute: 6, burst: 3 }, clientAddress: () => address });
  });
  afterAll(() => t.close());

  it("answers 429 problem+json with Retry-After once a client's burst is spent, and lets it back after", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await t.call("POST", "/v1/verify", { body: { code: "0000000000X" } })).status);
    expect(statuses).toEqual([200, 200, 200]);
    const refused = await t.call("GET", "/.well-known/jwks.json");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
    expect(refused.headers.get("retry-after")).toBe("10");
    expect(refused.json).toMatchObject({ type: "https://lotproof.dev/problems/rate-limited", status: 429, title: "Too many requests" });
    expect((await t.call("GET", "/c/0000000000X")).status).toBe(429);

    address = "203.0.113.9";
    expect((await t.call("GET", "/.well-known/jwks.json")).status).toBe(200);

    address = "198.51.100.7";
    t.clock.advance(10_000);
    expect((await t.call("GET", "/.well-known/jwks.json")).status).toBe(200);
  });

  it("leaves authenticated API routes alone", async () => {
    address = "192.0.2.1";
    for (let i = 0; i < 5; i++) expect((await t.call("GET", "/.well-known/jwks.json")).status).toBe(i < 3 ? 200 : 429);
    const parties = await t.call("GET", "/v1/parties", { key: "test-admin-key-0123456789abcdef" });
    expect(parties.status).toBe(200);
  });
});

describe("codes that fail their check character", () => {
  let t: TestContext;
  beforeAll(async () => {
    // Any use of the database after set-up fails the request loudly (500), so a 4xx or verdict proves it was not touched.
    t = await createTestContext("no-db", {
      wrapDb: (db) =>
        new Proxy(db, {
          get() {
            throw new Error("the database was touched");
          },
        }),
    });
  });
  afterAll(() => t.close());

  // 10 characters from the code alphabet followed by a wrong check character.
  const mistyped = ["1234567890A", "29FKATDW5RX", "29FK-ATDW-5RX"];

  it("are refused by the scan route before any query", async () => {
    for (const code of mistyped) {
      for (const accept of ["application/json", "text/html", "application/linkset+json"]) {
        const res = await t.call("GET", `/c/${encodeURIComponent(code)}`, { headers: { accept } });
        expect(res.status, `${code} ${accept}`).toBe(404);
      }
    }
  });

  it("get a verdict from /v1/verify before any query", async () => {
    for (const body of [...mistyped.map((code) => ({ code })), { url: "https://trace.test/c/1234567890A" }]) {
      const res = await t.call("POST", "/v1/verify", { body });
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(res.json).toMatchObject({ valid: false, status: "unknown", reasons: [{ code: "malformed_code" }] });
    }
  });
});
