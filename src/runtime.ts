import path from "node:path";
import { getConnInfo } from "@hono/node-server/conninfo";
import { desc } from "drizzle-orm";
import type { Config } from "./config";
import { openDatabase, type DatabaseHandle } from "./db/client";
import { migrate } from "./db/migrate";
import { certificates } from "./db/schema";
import type { AppDeps } from "./deps";
import { gb31CodeScheme } from "./domain/certificate-code";
import { certificateUrl } from "./domain/credential";
import { gzipped } from "./http/gzip";
import { createMemoryResponseCache } from "./http/memory-cache";
import { publicReadSettings } from "./http/public-read-settings";
import { createTokenBucketLimiter } from "./http/rate-limit";
import { headerScanPlace, placeHeaderName } from "./http/scan-place";
import { type CacheHitAnswerer, nodeCacheHits } from "./http/node-cache-hits";
import { placeFromHeader } from "./domain/scans";
import { scanQueue } from "./services/scan-queue";
import { pooledRandomBytes } from "./random-pool";
import { createSigner, loadOrCreateSigner, type PrivateKeyVault } from "./signing/key-store";
import { loadOrCreateLogSigner } from "./signing/log-key";
import { logOrigin } from "./signing/log-identity";
import { ensureBootstrapAdmin } from "./services/parties";
import { ensureReferenceSeeded } from "./services/reference-data";
import { purgingDownstream } from "./services/certificate-standing";

/** The Node origin's dependencies: database (migrated), signing key, real clock and randomness. */
export async function startNodeRuntime(
  config: Config,
): Promise<{ deps: AppDeps; handle: DatabaseHandle; cacheHits: CacheHitAnswerer; close: () => Promise<void> }> {
  const handle = await openDatabase(
    config.DATABASE_URL !== undefined
      ? { kind: "postgres", url: config.DATABASE_URL, poolSize: config.DB_POOL_SIZE }
      : { kind: "pglite", dataDir: config.DATA_DIR },
  );
  await migrate(handle.db);
  await ensureReferenceSeeded({ db: handle.db, clock: () => new Date() });
  const vault: PrivateKeyVault =
    config.KEY_ENCRYPTION_KEY !== undefined
      ? { kind: "sealed", keyEncryptionKey: Buffer.from(config.KEY_ENCRYPTION_KEY, "base64url") }
      : { kind: "files", dir: path.resolve(config.DATA_DIR, "keys") };
  const clock = () => new Date();
  const random = pooledRandomBytes();
  const signer = await loadOrCreateSigner(handle.db, vault, clock, random);
  const logSigner = await loadOrCreateLogSigner(handle.db, vault, logOrigin(config.PUBLIC_URL), clock, random);
  // Not in Config yet: read here from the environment with the same rules the Worker applies to its vars.
  const publicReads = publicReadSettings(process.env);
  const responseCache = publicReads.responseCache ? createMemoryResponseCache() : undefined;
  const deps: AppDeps = {
    db: handle.db,
    dbKind: handle.kind,
    publicUrl: config.PUBLIC_URL,
    clock,
    randomBytes: random,
    codeScheme: gb31CodeScheme,
    signer,
    logSigner,
    createSigningKey: () => createSigner(handle.db, vault, clock, random),
    ...(responseCache === undefined ? {} : { responseCache, onCertificateChanged: purgingDownstream(handle.db, (code) => responseCache.purgeCertificate(code)) }),
    ...(publicReads.rateLimit === null
      ? {}
      : { rateLimiter: createTokenBucketLimiter(publicReads.rateLimit, { now: () => performance.now(), salt: random(16) }) }),
    clientAddress: nodeClientAddress,
    gzip: gzipped,
  };
  // Scans are stored after the answer is sent, queued and written together; the place comes from a trusted proxy header.
  const scans = scanQueue(deps);
  deps.recordScan = scans.record;
  deps.waitUntil = (work) => void work;
  const placeHeader = placeHeaderName(process.env["SCAN_PLACE_HEADER"]);
  const scanPlace = headerScanPlace(placeHeader);
  if (scanPlace !== undefined) deps.scanPlace = scanPlace;
  const cacheHits = nodeCacheHits(deps, placeHeader === undefined ? {} : { place: (req) => placeFromHeader(req.headers[placeHeader]?.toString()) });
  if (config.BOOTSTRAP_ADMIN_KEY !== undefined) await ensureBootstrapAdmin(deps, config.BOOTSTRAP_ADMIN_KEY);
  return {
    deps,
    handle,
    cacheHits,
    async close() {
      await scans.flush();
      await handle.close();
    },
  };
}

/** The socket's peer. Behind a reverse proxy that is the proxy: limits then apply to it unless it limits first. */
export function nodeClientAddress(c: Parameters<NonNullable<AppDeps["clientAddress"]>>[0]): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    // In-process requests (app.request) have no socket.
    return undefined;
  }
}

export async function recentScanLinks(deps: AppDeps, limit = 2): Promise<string[]> {
  const rows = await deps.db.select({ code: certificates.code }).from(certificates).orderBy(desc(certificates.issuedAt)).limit(limit);
  return rows.map((r) => certificateUrl(deps.publicUrl, r.code));
}
