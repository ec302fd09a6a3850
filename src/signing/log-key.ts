import { asc } from "drizzle-orm";
import type { JWK } from "jose";
import type { Database } from "../db/client";
import { logKeys } from "../db/schema";
import { createEd25519NoteSigner, ed25519VerifierKey, type NoteSigner } from "../domain/merkle";
import { formatKeyId } from "../domain/merkle/note-verifier-key";
import { loadPrivate, type PrivateKeyVault, storePrivate } from "./key-store";
import type { LogIdentity } from "./log-identity";

/** The log's identity and the key that signs its checkpoints (C2SP signed note; the key is named after the origin). */
export interface LogSigner extends LogIdentity {
  noteSigner: NoteSigner;
}

function vaultId(keyId: number): string {
  return `log-${formatKeyId(keyId)}`;
}

/**
 * The log's signer, creating its key on first start. The first key's name stays the log's origin for good: moving
 * the service to another PUBLIC_URL must not turn its log into a different log in monitors' eyes.
 */
export async function loadOrCreateLogSigner(
  db: Database,
  vault: PrivateKeyVault,
  origin: string,
  clock: () => Date,
  randomBytes: (n: number) => Uint8Array,
): Promise<LogSigner> {
  const [current] = await db.select().from(logKeys).orderBy(asc(logKeys.createdAt)).limit(1);
  if (current !== undefined) {
    const jwk = await loadPrivate(vault, vaultId(current.keyId), current.sealedPrivateJwk);
    const privateKey = await crypto.subtle.importKey("jwk", jwk as JsonWebKey, { name: "Ed25519" }, false, ["sign"]);
    const noteSigner = await createEd25519NoteSigner(current.keyName, privateKey, current.publicKey);
    return { origin: current.keyName, verifierKey: ed25519VerifierKey(current.keyName, current.publicKey), noteSigner };
  }
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const privateJwk = (await crypto.subtle.exportKey("jwk", pair.privateKey)) as JWK;
  const publicKey = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  const verifierKey = ed25519VerifierKey(origin, publicKey);
  const sealed = await storePrivate(vault, vaultId(verifierKey.keyId), privateJwk, randomBytes(12));
  await db.insert(logKeys).values({ keyName: origin, keyId: verifierKey.keyId, publicKey, sealedPrivateJwk: sealed, createdAt: clock() });
  const noteSigner = await createEd25519NoteSigner(origin, pair.privateKey, publicKey);
  return { origin, verifierKey, noteSigner };
}

