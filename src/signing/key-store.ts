import { createCipheriv, createDecipheriv } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { desc, isNull } from "drizzle-orm";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";
import type { Database } from "../db/client";
import { signingKeys } from "../db/schema";
import { type CertificateSigner, signerFromKey } from "./signer";

/** Where private keys rest: sealed in the database, or as owner-only files beside the embedded database. */
export type PrivateKeyVault =
  | { kind: "sealed"; keyEncryptionKey: Uint8Array }
  | { kind: "files"; dir: string }
  | { kind: "memory"; keys: Map<string, JWK> };

function seal(kek: Uint8Array, kid: string, jwk: JWK, iv: Uint8Array): string {
  const cipher = createCipheriv("aes-256-gcm", kek, iv);
  cipher.setAAD(Buffer.from(kid)); // binds the sealed blob to its row: swapping blobs between rows fails to open
  const body = Buffer.concat([cipher.update(JSON.stringify(jwk), "utf8"), cipher.final()]);
  return ["v1", Buffer.from(iv).toString("base64url"), body.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
}

function unseal(kek: Uint8Array, kid: string, sealed: string): JWK {
  const [version, iv, body, tag] = sealed.split(".");
  if (version !== "v1" || iv === undefined || body === undefined || tag === undefined) throw new Error(`sealed key ${kid} is malformed`);
  const decipher = createDecipheriv("aes-256-gcm", kek, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(kid));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  const json = Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  return JSON.parse(json) as JWK;
}

export async function storePrivate(vault: PrivateKeyVault, kid: string, jwk: JWK, iv: Uint8Array): Promise<string | null> {
  switch (vault.kind) {
    case "sealed":
      return seal(vault.keyEncryptionKey, kid, jwk, iv);
    case "files": {
      await mkdir(vault.dir, { recursive: true, mode: 0o700 });
      const file = path.join(vault.dir, `${kid}.jwk`);
      await writeFile(file, JSON.stringify(jwk), { mode: 0o600, flag: "wx" });
      await chmod(file, 0o600);
      return null;
    }
    case "memory":
      vault.keys.set(kid, jwk);
      return null;
  }
}

export async function loadPrivate(vault: PrivateKeyVault, kid: string, sealed: string | null): Promise<JWK> {
  switch (vault.kind) {
    case "sealed":
      if (sealed === null) throw new Error(`signing key ${kid} is not sealed in the database; was it created without KEY_ENCRYPTION_KEY?`);
      return unseal(vault.keyEncryptionKey, kid, sealed);
    case "files":
      return JSON.parse(await readFile(path.join(vault.dir, `${kid}.jwk`), "utf8")) as JWK;
    case "memory": {
      const jwk = vault.keys.get(kid);
      if (jwk === undefined) throw new Error(`signing key ${kid} is not in memory`);
      return jwk;
    }
  }
}

/**
 * The signer for the newest unretired key, creating the first key on first start. Public halves live in the
 * database so every runtime (including the edge, which holds no private key) can serve the JWKS.
 */
export async function loadOrCreateSigner(
  db: Database,
  vault: PrivateKeyVault,
  clock: () => Date,
  randomBytes: (n: number) => Uint8Array,
): Promise<CertificateSigner> {
  const [current] = await db.select().from(signingKeys).where(isNull(signingKeys.retiredAt)).orderBy(desc(signingKeys.createdAt)).limit(1);
  if (current !== undefined) {
    const jwk = await loadPrivate(vault, current.kid, current.sealedPrivateJwk);
    return signerFromKey(current.kid, (await importJWK(jwk, "EdDSA")) as CryptoKey);
  }
  return createSigner(db, vault, clock, randomBytes);
}

/** A new Ed25519 signing key: its public half published in signing_keys, its private half put in the vault. */
export async function createSigner(
  db: Database,
  vault: PrivateKeyVault,
  clock: () => Date,
  randomBytes: (n: number) => Uint8Array,
): Promise<CertificateSigner> {
  const { publicKey, privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const sealed = await storePrivate(vault, kid, await exportJWK(privateKey), randomBytes(12));
  await db.insert(signingKeys).values({
    kid,
    alg: "EdDSA",
    publicJwk: { ...publicJwk, kid, alg: "EdDSA", use: "sig" },
    sealedPrivateJwk: sealed,
    createdAt: clock(),
  });
  return signerFromKey(kid, privateKey);
}
