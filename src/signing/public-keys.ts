import { eq } from "drizzle-orm";
import { type CryptoKey, importJWK } from "jose";
import { LRUCache } from "lru-cache";
import type { Database } from "../db/client";
import { signingKeys } from "../db/schema";

export interface PublicKey {
  kid: string;
  alg: string;
  key: CryptoKey;
}

/**
 * Imported public keys, per database and kid. A kid names one key pair for good (a retired key keeps its kid and its
 * public half), so an imported key never goes stale; importing costs milliseconds and verification runs on every
 * scan and gate check. A kid not found is not remembered, so a key created later by another process is found.
 */
const caches = new WeakMap<Database, Map<string, Promise<PublicKey | null>>>();

export function publicKeyFor(db: Database, kid: string, known?: { alg: string; publicJwk: object } | null): Promise<PublicKey | null> {
  let cache = caches.get(db);
  if (cache === undefined) {
    cache = new Map();
    caches.set(db, cache);
  }
  const cached = cache.get(kid);
  if (cached !== undefined) return cached;
  const loading = (async (): Promise<PublicKey | null> => {
    const row = known ?? (await db.select({ alg: signingKeys.alg, publicJwk: signingKeys.publicJwk }).from(signingKeys).where(eq(signingKeys.kid, kid)))[0];
    if (row === undefined || row === null) return null;
    return { kid, alg: row.alg, key: (await importJWK(row.publicJwk, row.alg)) as CryptoKey };
  })();
  cache.set(kid, loading);
  // Failures and unknown kids are forgotten so the next call asks again.
  loading.then(
    (found) => {
      if (found === null) cache.delete(kid);
    },
    () => cache.delete(kid),
  );
  return loading;
}

/**
 * Tokens that verified, with what they said, per database. A signature that verified against a kid's key verifies
 * forever (keys never change under a kid), and verify meets the same stored tokens again and again: every scan and
 * gate check of a certificate re-checks its token. Bounded, so a flood of distinct genuine tokens only evicts.
 */
const verifiedTokens = new WeakMap<Database, LRUCache<string, object>>();

function verifiedCache(db: Database): LRUCache<string, object> {
  let cache = verifiedTokens.get(db);
  if (cache === undefined) {
    cache = new LRUCache<string, object>({ max: 20_000 });
    verifiedTokens.set(db, cache);
  }
  return cache;
}

export function verifiedBefore<T extends object>(db: Database, jwt: string): T | undefined {
  return verifiedCache(db).get(jwt) as T | undefined;
}

export function rememberVerified(db: Database, jwt: string, content: object): void {
  verifiedCache(db).set(jwt, content);
}
