import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../../test/support/context";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext("system");
});
afterAll(() => t.close());

describe("system routes", () => {
  it("GET /healthz names the database", async () => {
    const res = await t.call("GET", "/healthz");
    expect(res.json).toEqual({ status: "ok", db: t.deps.dbKind });
  });

  it("GET /.well-known/jwks.json publishes public keys only", async () => {
    const res = await t.call("GET", "/.well-known/jwks.json");
    expect(res.json.keys).toHaveLength(1);
    expect(res.json.keys[0]).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig", kid: t.deps.signer?.kid });
    expect(res.json.keys[0].d).toBeUndefined();
  });

  it("GET /openapi.json describes every route from the zod schemas", async () => {
    const res = await t.call("GET", "/openapi.json");
    expect(res.json.openapi).toBe("3.1.0");
    for (const path of ["/v1/parties", "/v1/parties/{id}/keys", "/v1/sites", "/v1/products", "/v1/lots", "/v1/certificates", "/v1/certificates/{id}/revoke", "/v1/verify", "/c/{code}", "/healthz", "/.well-known/jwks.json"]) {
      expect(res.json.paths[path], path).toBeDefined();
    }
    expect(res.json.components.schemas.NewParty.properties.creditCode).toBeDefined();
    expect(res.json.paths["/v1/certificates"].post.responses["422"]).toBeDefined();
  });

  it("GET /docs serves the interactive reference", async () => {
    const res = await t.call("GET", "/docs");
    expect(res.status).toBe(200);
    expect(res.text).toContain("/openapi.json");
  });

  it("unknown routes are problem+json 404s", async () => {
    const res = await t.call("GET", "/nope");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });
});
