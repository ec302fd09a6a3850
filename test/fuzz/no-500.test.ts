import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { printRouter } from "../../src/routes/print/pdf";
import { producerConsoleRouter } from "../../src/routes/producer";
import { ADMIN_KEY, createTestContext, type TestContext } from "../support/context";

/**
 * Whatever a client sends, the answer is a 2xx, a 3xx or a 4xx problem: never a 500. Every route in the OpenAPI
 * document gets random JSON bodies, path ids and query strings, with and without a valid key.
 */
let t: TestContext;
let producerKey: string;
let ids: string[];
beforeAll(async () => {
  // The Node origin's routers too (PDFs, print jobs), as server.ts mounts them.
  t = await createTestContext("fuzz", { originRouters: [printRouter, producerConsoleRouter] });
  const { producer, lot, site, product } = await t.producerWithLot(100);
  producerKey = producer.key;
  const cert = await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, quantity: 10, basis: "quality_control" } });
  ids = [producer.id, lot.id, site.id, product.id, cert.json.id, cert.json.code];
});
afterAll(() => t.close());

// Control characters too, NUL among them: PostgreSQL stores no U+0000 in text or jsonb.
const text = fc.oneof(fc.string(), fc.string({ unit: "binary-ascii" }));

const jsonValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.record({
    kind: fc.constantFrom("enterprise", "household", "market", "x"),
    name: text,
    phone: text,
    regionCode: fc.constantFrom("330112", "999999", ""),
    lotId: text,
    productId: text,
    quantity: fc.oneof(fc.double(), fc.integer(), text),
    unit: fc.constantFrom("kg", "斤", "箱", "", "lb"),
    basis: fc.constantFrom("quality_control", "self_test", "x"),
    harvestedAt: fc.oneof(text, fc.date().map((d) => (Number.isNaN(d.getTime()) ? "x" : d.toISOString()))),
    code: text,
    url: text,
    jwt: text,
    reason: text,
  }, { requiredKeys: [] }),
);

describe("no input produces a 500", () => {
  it("on any route", async () => {
    const spec = (await t.call("GET", "/openapi.json")).json as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(spec.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ path, method: method.toUpperCase() })));
    expect(routes.length).toBeGreaterThan(10);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        jsonValue,
        fc.oneof(fc.constantFrom(...ids), fc.string({ maxLength: 80 })),
        fc.constantFrom<string | undefined>(undefined, ADMIN_KEY, "producer", "lp_bogus"),
        fc.string({ maxLength: 30 }),
        async (route, body, id, who, query) => {
          const path = route.path.replace(/\{[^}]+\}/g, encodeURIComponent(id)) + (query === "" ? "" : `?${query}`);
          const key = who === "producer" ? producerKey : who;
          const res = await t.call(route.method, path, { ...(key === undefined ? {} : { key }), ...(route.method === "GET" ? {} : { body }) });
          if (res.status >= 500) throw new Error(`${route.method} ${path} → ${res.status}: ${res.text.slice(0, 300)}`);
        },
      ),
      { numRuns: 300, seed: 20261128 },
    );
  });
});
