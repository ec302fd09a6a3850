import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../test/support/context";
import type { AppDeps } from "../deps";
import { checkAtGate } from "./market-gate";
import { verifyCertificate } from "./verify";
import { purgingDownstream, standingByCode } from "./certificate-standing";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext("certificate-standing");
});
afterAll(() => t.close());

/** The app's dependencies over a database handle that counts the statements sent through it. */
function counting(deps: AppDeps) {
  const counts = { statements: 0 };
  const db = new Proxy(deps.db, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop === "_") {
        // Prepared statements go through the session.
        const session = new Proxy((value as AppDeps["db"]["_"]).session, {
          get(s, p, r) {
            const member = Reflect.get(s, p, r);
            if (p !== "prepareQuery" || typeof member !== "function") return typeof member === "function" ? member.bind(s) : member;
            return (...args: unknown[]) => {
              counts.statements++;
              return (member as (...a: unknown[]) => unknown).apply(s, args);
            };
          },
        });
        return { ...(value as object), session };
      }
      if (typeof value !== "function") return value;
      if (prop === "execute" || prop === "select" || prop === "insert" || prop === "update" || prop === "transaction") {
        return (...args: unknown[]) => {
          counts.statements++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return value.bind(target);
    },
  });
  return { deps: { ...deps, db } as AppDeps, counts };
}

describe("a certificate's standing", () => {
  it("is read in one statement for every code looked up in the same turn", async () => {
    const codes: string[] = [];
    for (let i = 0; i < 8; i++) {
      const { producer, lot } = await t.producerWithLot(100);
      const res = await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, quantity: 10, basis: "quality_control" } });
      codes.push(res.json.code);
    }
    const { deps, counts } = counting(t.deps);
    // However many codes are looked up in one turn, their standing (row, key, lineage, recalls, failing tests,
    // upstream tree, receipts, excursions, last reading) is one statement.
    const standings = await Promise.all(codes.map((code) => standingByCode(deps, code)));
    expect(standings.map((s) => s?.row.code)).toEqual(codes);
    expect(counts.statements).toBe(1);

    // The gate's check costs no statement beyond verify's own: what it adds came in the standing statement.
    await Promise.all(codes.map((code) => verifyCertificate(deps, { code })));
    counts.statements = 0;
    const results = await Promise.all(codes.map((code) => verifyCertificate(deps, { code })));
    expect(results.map((r) => r.status)).toEqual(codes.map(() => "valid"));
    const forVerify = counts.statements;
    const market = await t.party("market");
    const clerk = { keyId: "k", role: "market" as const, partyId: market.id, regionCode: "330112" };
    counts.statements = 0;
    const checks = await Promise.all(codes.map((code) => checkAtGate(deps, clerk, code)));
    expect(checks.map((c) => c.verdict.decision)).toEqual(codes.map(() => "accept"));
    expect(counts.statements).toBe(forVerify);
  });

  it("purges the cached pages of every certificate downstream when an upstream one changes", async () => {
    const { producer, lot } = await t.producerWithLot(100);
    const farm = (await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, quantity: 50, basis: "quality_control" } })).json;
    const buyerCertificate = async (upstreamCode: string) => {
      const buyer = await t.party("buyer");
      const product = await t.call("POST", "/v1/products", { key: buyer.key, body: { name: "雷笋", category: "蔬菜", unit: "kg" } });
      const own = await t.call("POST", "/v1/lots", { key: buyer.key, body: { productId: product.json.id, quantity: 100, unit: "kg", harvestedAt: "2026-11-19" } });
      const body = { lotId: own.json.id, quantity: 10, basis: "quality_control", upstream: [{ kind: "certificate", code: upstreamCode, quantity: 10 }] };
      return (await t.call("POST", "/v1/certificates", { key: buyer.key, body })).json.code as string;
    };
    const wholesale = await buyerCertificate(farm.code);
    const retail = await buyerCertificate(wholesale);
    const purged: string[] = [];
    await purgingDownstream(t.deps.db, (code) => {
      purged.push(code);
    })(farm.code);
    expect(purged.sort()).toEqual([farm.code, wholesale, retail].sort());
  });
});
