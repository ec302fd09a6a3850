import { createPublicKey } from "node:crypto";
import { createVerifier } from "fast-jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, createTestContext, PUBLIC_URL, type TestContext } from "../../../test/support/context";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext("certificates");
});
afterAll(() => t.close());

describe("POST /v1/certificates", () => {
  it("issues a signed 样式一 certificate with the lot's fields frozen", async () => {
    const { producer, lot } = await t.producerWithLot(1000);
    const res = await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, quantity: 400, basis: "quality_control", copies: 12 } });
    expect(res.status).toBe(201);
    const cert = res.json;
    expect(cert.code).toMatch(/^[0-9A-HJ-NPQRTUWXY]{11}$/);
    expect(cert.url).toBe(`${PUBLIC_URL}/c/${cert.code}`);
    expect(res.headers.get("location")).toBe(cert.url);
    expect(cert).toMatchObject({ status: "valid", quantity: 400, unit: "kg", copies: 12, templateVersion: "2025-producer", basis: "quality_control" });
    expect(cert.pdfUrl).toBe(`${PUBLIC_URL}/v1/certificates/${cert.id}/pdf`);
    expect(cert.qrSvgUrl).toBe(`${PUBLIC_URL}/v1/certificates/${cert.id}/qr.svg`);
    expect(cert.content).toMatchObject({
      title: "承诺达标合格证",
      commitmentText: "我承诺生产销售的食用农产品：未使用禁用农药、兽药及其他化合物；使用的常规农药、兽药残留不超标。",
      basisLabel: "质量安全控制符合要求",
      product: { name: "雷笋", category: "蔬菜" },
      quantity: { amount: 400, unit: "kg" },
      origin: { regionCode: "330112", regionName: "浙江省杭州市临安区", address: "太湖源镇", siteName: "一号地块" },
      issuer: { name: producer.name, phone: "13800000000", creditCode: producer.creditCode },
      lot: { id: lot.id, code: lot.code, harvestedAt: "2026-11-19" },
      issueDate: "2026-11-20",
    });
    expect(cert.jwt.split(".")).toHaveLength(3);
    const after = await t.call("GET", `/v1/lots/${lot.id}`, { key: producer.key });
    expect(after.json).toMatchObject({ certifiedQuantity: 400, remainingQuantity: 600 });
  });

  it("never certifies beyond the lot and says how much is left", async () => {
    const { producer, lot } = await t.producerWithLot(100);
    const first = await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, quantity: 60, basis: "quality_control" } });
    expect(first.status).toBe(201);
    const over = await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, quantity: 41, basis: "quality_control" } });
    expect(over.status).toBe(409);
    expect(over.json).toMatchObject({ remaining: 40, unit: "kg", detail: "the lot has 40 kg left to certify; 41 kg were requested" });
    // 80 斤 = 40 kg: units convert
    const rest = await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, quantity: 80, unit: "斤", basis: "quality_control" } });
    expect(rest.status).toBe(201);
    expect(rest.json).toMatchObject({ quantity: 80, unit: "斤" });
    const none = await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, basis: "quality_control" } });
    expect(none.status).toBe(409);
    expect((await t.call("GET", `/v1/lots/${lot.id}`, { key: producer.key })).json.remainingQuantity).toBe(0);
  });

  it("holds under concurrent issuing: the lot's quantity is never exceeded", async () => {
    const { producer, lot } = await t.producerWithLot(100);
    const attempts = await Promise.all(
      Array.from({ length: 30 }, () => t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, quantity: 7, basis: "quality_control" } })),
    );
    const statuses = attempts.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(14); // 14 × 7 = 98 ≤ 100 < 105
    expect(statuses.filter((s) => s === 409)).toHaveLength(16);
    expect((await t.call("GET", `/v1/lots/${lot.id}`, { key: producer.key })).json.certifiedQuantity).toBe(98);
  });

  it("returns the same certificate when a request is retried with its Idempotency-Key", async () => {
    const { producer, lot } = await t.producerWithLot(100);
    const send = () =>
      t.call("POST", "/v1/certificates", { key: producer.key, headers: { "idempotency-key": "phone-retry-0001" }, body: { lotId: lot.id, quantity: 10, basis: "quality_control" } });
    const [a, b] = await Promise.all([send(), send()]);
    const c = await send();
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(new Set([a.json.id, b.json.id, c.json.id]).size).toBe(1);
    expect((await t.call("GET", `/v1/lots/${lot.id}`, { key: producer.key })).json.certifiedQuantity).toBe(10);
  });

  it("refuses bad requests with reasons and leaves the lot untouched", async () => {
    const { producer, lot } = await t.producerWithLot(100);
    const post = (body: Record<string, unknown>) => t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, basis: "quality_control", ...body } });
    expect((await post({ basis: "trust_me" })).json.errors[0].path).toBe("basis");
    expect((await post({ unit: "箱" })).json.errors).toEqual([{ path: "unit", message: "箱 cannot be converted to the lot's unit kg" }]);
    expect((await post({ quantity: 0 })).json.errors).toEqual([{ path: "quantity", message: "must be greater than 0" }]);
    const test = await post({ basis: "self_test" });
    expect(test.status).toBe(422);
    expect(test.json.errors).toEqual([{ path: "testIds", message: "basis self_test needs the passing test records it relies on" }]);
    expect((await post({ lotId: "no-such-lot" })).status).toBe(404);
    expect((await t.call("GET", `/v1/lots/${lot.id}`, { key: producer.key })).json.certifiedQuantity).toBe(0);
  });

  it("is for producers, on their own lots", async () => {
    const { lot } = await t.producerWithLot(100);
    const other = await t.party("family_farm");
    const market = await t.party("market");
    expect((await t.call("POST", "/v1/certificates", { key: other.key, body: { lotId: lot.id, basis: "quality_control" } })).status).toBe(404);
    expect((await t.call("POST", "/v1/certificates", { key: market.key, body: { lotId: lot.id, basis: "quality_control" } })).status).toBe(403);
    expect((await t.call("POST", "/v1/certificates", { body: { lotId: lot.id, basis: "quality_control" } })).status).toBe(401);
  });
});

describe("revoking", () => {
  it("voids the certificate with its reason, keeps it, and gives the quantity back", async () => {
    const { producer, lot } = await t.producerWithLot(100);
    const cert = (await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, quantity: 100, basis: "quality_control" } })).json;
    const revoked = await t.call("POST", `/v1/certificates/${cert.id}/revoke`, { key: producer.key, body: { reason: "数量填写错误" } });
    expect(revoked.status).toBe(200);
    expect(revoked.json).toMatchObject({ status: "revoked", revokeReason: "数量填写错误", revokedAt: "2026-11-20T02:00:00.000Z" });
    expect((await t.call("GET", `/v1/certificates/${cert.id}`, { key: producer.key })).json.status).toBe("revoked");
    expect((await t.call("POST", `/v1/certificates/${cert.id}/revoke`, { key: producer.key, body: { reason: "again" } })).status).toBe(409);
    expect((await t.call("POST", `/v1/certificates/${cert.id}/revoke`, { key: producer.key, body: {} })).status).toBe(422);
    expect((await t.call("GET", `/v1/lots/${lot.id}`, { key: producer.key })).json.remainingQuantity).toBe(100);
  });

  it("is refused for another party's certificate", async () => {
    const { producer, lot } = await t.producerWithLot(100);
    const cert = (await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, basis: "quality_control" } })).json;
    const other = await t.party("family_farm");
    expect((await t.call("POST", `/v1/certificates/${cert.id}/revoke`, { key: other.key, body: { reason: "x" } })).status).toBe(404);
    const regulator = await t.party("regulator", { regionCode: "330112" });
    expect((await t.call("POST", `/v1/certificates/${cert.id}/revoke`, { key: regulator.key, body: { reason: "x" } })).status).toBe(403);
    expect((await t.call("GET", `/v1/certificates/${cert.id}`, { key: regulator.key })).status).toBe(200);
    expect((await t.call("GET", `/v1/certificates/${cert.id}`, { key: ADMIN_KEY })).status).toBe(200);
  });
});

describe("the certificate as a credential", () => {
  it("verifies with an independent JOSE library against the published JWKS, and fails after any change", async () => {
    const { producer, lot } = await t.producerWithLot(100);
    const cert = (await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, basis: "quality_control" } })).json;
    const jwks = (await t.call("GET", "/.well-known/jwks.json")).json;
    const [headerPart] = cert.jwt.split(".");
    const header = JSON.parse(Buffer.from(headerPart, "base64url").toString());
    expect(header).toMatchObject({ alg: "EdDSA", typ: "vc+jwt", kid: cert.kid });
    const jwk = jwks.keys.find((k: { kid: string }) => k.kid === header.kid);
    expect(jwk).toMatchObject({ kty: "OKP", crv: "Ed25519" });
    expect(jwk.d).toBeUndefined();
    const pem = createPublicKey({ key: jwk, format: "jwk" }).export({ format: "pem", type: "spki" }).toString();
    const verify = createVerifier({ key: pem, algorithms: ["EdDSA"] });
    const payload = verify(cert.jwt);
    expect(payload).toMatchObject({
      "@context": ["https://www.w3.org/ns/credentials/v2"],
      type: ["VerifiableCredential", "AgriculturalProduceCommitmentCertificate"],
      id: cert.url,
      credentialSubject: { code: cert.code, title: "承诺达标合格证", quantity: { amount: 100, unit: "kg" } },
    });
    // Change every character of the token in turn: none of the altered tokens may verify.
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let accepted = 0;
    for (let i = 0; i < cert.jwt.length; i++) {
      const ch = cert.jwt[i];
      if (ch === ".") continue;
      const replacement = alphabet[(alphabet.indexOf(ch) + 1) % alphabet.length];
      const altered = cert.jwt.slice(0, i) + replacement + cert.jwt.slice(i + 1);
      try {
        const decoded = verify(altered) as Record<string, unknown>;
        // The last base64url character may carry unused bits; what decodes must still be exactly what was signed.
        if (JSON.stringify(decoded) !== JSON.stringify(payload)) accepted++;
      } catch {
        // rejected, as it must be
      }
    }
    expect(accepted).toBe(0);
  });
});
