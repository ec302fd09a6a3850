import { randomBytes } from "node:crypto";
import path from "node:path";
import { desc } from "drizzle-orm";
import type { Config } from "./config";
import { openDatabase, type DatabaseHandle } from "./db/client";
import { migrate } from "./db/migrate";
import { certificates } from "./db/schema";
import type { AppDeps } from "./deps";
import { gb31CodeScheme } from "./domain/certificate-code";
import { certificateUrl } from "./domain/credential";
import { loadOrCreateSigner, type PrivateKeyVault } from "./signing/key-store";
import { ensureBootstrapAdmin } from "./services/parties";

/** The Node origin's dependencies: database (migrated), signing key, real clock and randomness. */
export async function startNodeRuntime(config: Config): Promise<{ deps: AppDeps; handle: DatabaseHandle }> {
  const handle = await openDatabase(
    config.DATABASE_URL !== undefined
      ? { kind: "postgres", url: config.DATABASE_URL, poolSize: config.DB_POOL_SIZE }
      : { kind: "pglite", dataDir: config.DATA_DIR },
  );
  await migrate(handle.db);
  const vault: PrivateKeyVault =
    config.KEY_ENCRYPTION_KEY !== undefined
      ? { kind: "sealed", keyEncryptionKey: Buffer.from(config.KEY_ENCRYPTION_KEY, "base64url") }
      : { kind: "files", dir: path.resolve(config.DATA_DIR, "keys") };
  const clock = () => new Date();
  const random = (n: number) => new Uint8Array(randomBytes(n));
  const signer = await loadOrCreateSigner(handle.db, vault, clock, random);
  const deps: AppDeps = {
    db: handle.db,
    dbKind: handle.kind,
    publicUrl: config.PUBLIC_URL,
    clock,
    randomBytes: random,
    codeScheme: gb31CodeScheme,
    signer,
  };
  if (config.BOOTSTRAP_ADMIN_KEY !== undefined) await ensureBootstrapAdmin(deps, config.BOOTSTRAP_ADMIN_KEY);
  return { deps, handle };
}

export async function recentScanLinks(deps: AppDeps, limit = 2): Promise<string[]> {
  const rows = await deps.db.select({ code: certificates.code }).from(certificates).orderBy(desc(certificates.issuedAt)).limit(limit);
  return rows.map((r) => certificateUrl(deps.publicUrl, r.code));
}
