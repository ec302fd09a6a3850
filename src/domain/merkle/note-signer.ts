import { ed25519Sign, ed25519Verify } from "./ed25519";
import { ed25519VerifierKey } from "./note-verifier-key";

/** Signs note text for one key; how the private key is held stays behind `sign`. */
export interface NoteSigner {
  readonly keyName: string;
  readonly keyId: number;
  sign(message: Uint8Array): Promise<Uint8Array>;
}

const SELF_TEST_MESSAGE = new TextEncoder().encode("lotproof note signer self-test\n");

/**
 * A signer over a WebCrypto Ed25519 private key (it may be non-extractable, as the key store imports it).
 * The raw public key is passed alongside because the key ID is derived from it and a non-extractable
 * private key cannot give it up; for a JWK it is the base64url-decoded `x`. The pair is checked once
 * here, so a mismatched configuration fails at start-up instead of publishing checkpoints nobody can verify.
 */
export async function createEd25519NoteSigner(keyName: string, privateKey: CryptoKey, publicKey: Uint8Array): Promise<NoteSigner> {
  if (privateKey.type !== "private" || privateKey.algorithm.name !== "Ed25519" || !privateKey.usages.includes("sign")) {
    throw new TypeError("the note signing key must be an Ed25519 private key allowed to sign");
  }
  const { keyId } = ed25519VerifierKey(keyName, publicKey); // validates the name and key length
  const probe = await ed25519Sign(privateKey, SELF_TEST_MESSAGE);
  if (!(await ed25519Verify(publicKey, probe, SELF_TEST_MESSAGE))) {
    throw new RangeError("the note signing key does not match the public key given with it");
  }
  return { keyName, keyId, sign: (message) => ed25519Sign(privateKey, message) };
}
