import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { certificates } from "../../db/schema";
import { createTestContext, PUBLIC_URL, type TestContext } from "../../../test/support/context";

let t: TestContext;
let cert: { id: string; code: string; url: string; jwt: string; displayCode: string };


beforeAll(async () => {
  t = await createTestContext("verify");
  const { producer, lot } = await t.producerWithLot(500);

  cert = (await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, quantity: 200, basis: "quality_control" } })).json;
});
afterAll(() => t.close());

const verify = (body: unknown) => t.call("POST", "/v1/verify", { body });

describe("POST /v1/verify", () => {
  it("confirms a genuine certificate by code, by display code, by URL and by token", async () => {
    for (const body of [{ code: cert.code }, { code: cert.displayCode.toLowerCase() }, { url: cert.url }, { jwt: cert.jwt }]) {
      const res = await verify(body);
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ valid: true, status: "valid", reasons: [], certificate: { code: cert.code, url: cert.url, quantity: { amount: 200, unit: "kg" } } });
    }
  });

  it("answers a mistyped code with a reason, not an error", async () => {
    const typo = cert.code.slice(0, 3) + (cert.code[3] === "A" ? "B" : "A") + cert.code.slice(4);
    const res = await verify({ code: typo });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ valid: false, status: "unknown", certificate: null });
    expect(res.json.reasons[0]).toMatchObject({ code: "malformed_code", message: "check character does not match: the code was probably mistyped" });
  });

  it("answers a well-formed code that was never issued", async () => {
    const res = await verify({ code: "0000000000" + "0" });
    expect(res.json).toMatchObject({ valid: false, status: "unknown", reasons: [{ code: "not_found" }] });
  });

  it("rejects forged and altered tokens", async () => {
    const [h, p, s] = cert.jwt.split(".") as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, "base64url").toString());
    payload.credentialSubject.quantity.amount = 20000;
    const forged = `${h}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${s}`;
    expect((await verify({ jwt: forged })).json).toMatchObject({ valid: false, reasons: [{ code: "bad_signature" }] });
    const header = JSON.parse(Buffer.from(h, "base64url").toString());
    const unknownKey = `${Buffer.from(JSON.stringify({ ...header, kid: "someone-else" })).toString("base64url")}.${p}.${s}`;
    expect((await verify({ jwt: unknownKey })).json).toMatchObject({ valid: false, reasons: [{ code: "unknown_key" }] });
    expect((await verify({ jwt: "not.a.token" })).json).toMatchObject({ valid: false, status: "unknown" });
  });

  it("rejects URLs of other hosts and other paths", async () => {
    expect((await verify({ url: `https://evil.example/c/${cert.code}` })).json.reasons[0].code).toBe("foreign_url");
    expect((await verify({ url: `${PUBLIC_URL}/x/${cert.code}` })).json.reasons[0].code).toBe("malformed_url");
    expect((await verify({ url: "::" })).json.reasons[0].code).toBe("malformed_url");
  });

  it("is a 422 only for a malformed request", async () => {
    expect((await verify({})).status).toBe(422);
    expect((await verify({ code: "A", jwt: "B" })).status).toBe(422);
    expect((await verify({ code: 42 })).status).toBe(422);
    expect((await verify("nope")).status).toBe(400);
  });

  it("reports a stored record changed behind the service's back, and shows the signed content", async () => {
    const { producer, lot } = await t.producerWithLot(100);
    const victim = (await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, basis: "quality_control" } })).json;
    await t.deps.db
      .update(certificates)
      .set({ content: sql`jsonb_set(${certificates.content}, '{quantity,amount}', '99999')` })
      .where(eq(certificates.id, victim.id));
    const res = await verify({ code: victim.code });
    expect(res.json.valid).toBe(false);
    expect(res.json.reasons[0].code).toBe("record_altered");
    expect(res.json.certificate.quantity.amount).toBe(100);
  });

  it("says when and why a certificate was revoked", async () => {
    const { producer, lot } = await t.producerWithLot(100);
    const c = (await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, basis: "quality_control" } })).json;
    t.clock.advance(3 * 86_400_000);
    await t.call("POST", `/v1/certificates/${c.id}/revoke`, { key: producer.key, body: { reason: "品名写错" } });
    const res = await verify({ jwt: c.jwt });
    expect(res.json).toMatchObject({
      valid: false,
      status: "revoked",
      reasons: [{ code: "revoked", message: "revoked on 2026-11-23: 品名写错", reason: "品名写错" }],
      certificate: { status: "revoked", revokeReason: "品名写错" },
    });
  });
});

describe("GET /c/{code} as JSON", () => {
  it("returns the certificate with its verdict and trace", async () => {
    const res = await t.call("GET", `/c/${cert.code}`, { headers: { accept: "application/json" } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ valid: true, status: "valid", certificate: { code: cert.code }, trace: { origin: { regionCode: "330112" } } });
  });

  it("is 404 for unknown or mistyped codes", async () => {
    expect((await t.call("GET", "/c/00000000000", { headers: { accept: "application/json" } })).status).toBe(404);
    expect((await t.call("GET", "/c/NOT-A-CODE", { headers: { accept: "application/json" } })).status).toBe(404);
  });
});
