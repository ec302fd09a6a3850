import { createHash } from "node:crypto";
import type DataLoader from "dataloader";
import { and, eq, isNull } from "drizzle-orm";
import { anyOfPlaceholder, batchLoader, loaderFor, textArray } from "../db/batch";
import type { Database } from "../db/client";
import { apiKeys, parties } from "../db/schema";
import type { Principal } from "./principal";

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** `lp_` + 32 random bytes in base64url: 256 bits, so a plain SHA-256 at rest is as good as a slow hash. */
export function newKeySecret(randomBytes: (n: number) => Uint8Array): string {
  return "lp_" + Buffer.from(randomBytes(32)).toString("base64url");
}

const principalLoaders = new WeakMap<Database, DataLoader<string, Principal | null>>();

function loadPrincipals(db: Database) {
  const statement = db
    .select({ id: apiKeys.id, hash: apiKeys.secretHash, role: apiKeys.role, partyId: apiKeys.partyId, regionCode: parties.regionCode })
    .from(apiKeys)
    .leftJoin(parties, eq(parties.id, apiKeys.partyId))
    .where(and(anyOfPlaceholder(apiKeys.secretHash, "hashes"), isNull(apiKeys.revokedAt)))
    .prepare("principals_for_keys");
  return batchLoader<string, Principal | null>(async (hashes) => {
    const rows = await statement.execute({ hashes: textArray(new Set(hashes)) });
    const byHash = new Map(rows.map((r) => [r.hash, { keyId: r.id, role: r.role, partyId: r.partyId, regionCode: r.regionCode }]));
    return hashes.map((h) => byHash.get(h) ?? null);
  });
}

/** The principal a live API key stands for, or null for an unknown or revoked key. */
export function principalForSecret(db: Database, secret: string): Promise<Principal | null> {
  return loaderFor(principalLoaders, db, loadPrincipals).load(hashSecret(secret));
}
