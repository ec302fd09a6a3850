import { createHash } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
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

export async function principalForSecret(db: Database, secret: string): Promise<Principal | null> {
  const rows = await db
    .select({ id: apiKeys.id, role: apiKeys.role, partyId: apiKeys.partyId, regionCode: parties.regionCode })
    .from(apiKeys)
    .leftJoin(parties, eq(parties.id, apiKeys.partyId))
    .where(and(eq(apiKeys.secretHash, hashSecret(secret)), isNull(apiKeys.revokedAt)))
    .limit(1);
  const row = rows[0];
  if (row === undefined) return null;
  return { keyId: row.id, role: row.role, partyId: row.partyId, regionCode: row.regionCode };
}
