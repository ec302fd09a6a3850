import { exportJWK, generateKeyPair } from "jose";
import { describe, expect, it } from "vitest";
import { signerFromKey } from "../../../../signing/signer";
import { verifyJws } from "./offline-verify";

/** The gate page's in-browser check, run on Node's WebCrypto against tokens made by the service's own signer. */
describe("verifying a token on the gate device", async () => {
  const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const signer = signerFromKey("k-2026", privateKey);
  const jwk = { ...(await exportJWK(publicKey)), kid: "k-2026" };
  const jwks = { keys: [jwk as JsonWebKey] };
  const token = await signer.sign({ type: ["VerifiableCredential"], credentialSubject: { code: "ABC" } }, new Date("2026-11-20T00:00:00Z"));

  it("accepts the service's signature and returns the payload", async () => {
    const checked = await verifyJws(token, jwks);
    expect(checked).toMatchObject({ ok: true, payload: { credentialSubject: { code: "ABC" } } });
  });

  it("refuses an altered payload, an unknown key and a malformed token", async () => {
    const [h, p, s] = token.split(".");
    const altered = Buffer.from(JSON.stringify({ type: ["VerifiableCredential"], credentialSubject: { code: "XYZ" } })).toString("base64url");
    expect(await verifyJws(`${h}.${altered}.${s}`, jwks)).toMatchObject({ ok: false, reason: { code: "bad_signature" } });
    expect(await verifyJws(token, { keys: [{ ...jwk, kid: "other" } as JsonWebKey] })).toMatchObject({ ok: false, reason: { code: "unknown_key" } });
    expect(await verifyJws(`${h}.${p}`, jwks)).toMatchObject({ ok: false, reason: { code: "malformed_token" } });
    expect(await verifyJws("a.b.c", jwks)).toMatchObject({ ok: false, reason: { code: "malformed_token" } });
  });
});
