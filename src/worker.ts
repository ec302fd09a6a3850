import { createApp } from "./app";
import { openPostgres } from "./db/postgres";
import type { AppDeps } from "./deps";
import { gb31CodeScheme } from "./domain/certificate-code";
import type { ResponseCache } from "./http/cache";
import { createEdgeResponseCache, type EdgeCacheStore } from "./http/edge-cache";
import { publicReadSettings } from "./http/public-read-settings";
import { createTokenBucketLimiter, type RateLimiter } from "./http/rate-limit";
import { cfScanPlace } from "./http/scan-place";
import { purgingDownstream } from "./services/certificate-standing";

/** Bindings declared in wrangler.toml. */
export interface WorkerEnv {
  HYPERDRIVE: { connectionString: string };
  PUBLIC_URL: string;
  RATE_LIMIT_PER_MINUTE?: string;
  RATE_LIMIT_BURST?: string;
  RESPONSE_CACHE?: string;
}

/** The two ExecutionContext members used here, so this file type-checks without the Workers type package. */
interface WorkerContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
}

/**
 * State that outlives one request lives per isolate: the rate limiter's buckets and the cache handle. Built on the
 * first request, because Workers refuse random values (the limiter's salt) at module scope.
 */
interface IsolateState {
  rateLimiter: RateLimiter | undefined;
  responseCache: ResponseCache | undefined;
}
let isolate: IsolateState | undefined;

function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}

function isolateState(env: WorkerEnv, publicUrl: string): IsolateState {
  if (isolate !== undefined) return isolate;
  const settings = publicReadSettings(env as unknown as Record<string, unknown>);
  const store = (globalThis as { caches?: { default?: EdgeCacheStore } }).caches?.default;
  isolate = {
    rateLimiter: settings.rateLimit === null ? undefined : createTokenBucketLimiter(settings.rateLimit, { now: () => Date.now(), salt: randomBytes(16) }),
    responseCache: settings.responseCache && store !== undefined ? createEdgeResponseCache(store, publicUrl) : undefined,
  };
  return isolate;
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: WorkerContext): Promise<Response> {
    const publicUrl = env.PUBLIC_URL.replace(/\/+$/, "");
    const state = isolateState(env, publicUrl);
    // A postgres.js client per request: a socket opened in one request's context cannot be used from another's on
    // Workers. It connects lazily, so a cache hit or a refused request opens no connection. Hyperdrive pools the
    // real connections, so few are needed here, and skipping the type lookup saves a round trip per request.
    const database = openPostgres(env.HYPERDRIVE.connectionString, { max: 5, fetchTypes: false, genericPlans: false });
    // Work that outlives the answer (scan records); the client is closed only once it is done.
    const background: Promise<unknown>[] = [];
    const responseCache = state.responseCache;
    const deps: AppDeps = {
      db: database.db,
      dbKind: database.kind,
      publicUrl,
      clock: () => new Date(),
      randomBytes,
      codeScheme: gb31CodeScheme,
      // No signer: the private keys stay on the Node origin, and issuing answers 503 here.
      ...(responseCache === undefined ? {} : { responseCache, onCertificateChanged: purgingDownstream(database.db, (code) => responseCache.purgeCertificate(code)) }),
      ...(state.rateLimiter === undefined ? {} : { rateLimiter: state.rateLimiter }),
      // Set by Cloudflare on every request that reaches a Worker; clients cannot forge it there.
      clientAddress: (c) => c.req.header("cf-connecting-ip"),
      // Scans are recorded after the answer is sent, placed by Cloudflare's own geolocation of the client.
      scanPlace: cfScanPlace,
      waitUntil: (work) => void background.push(work),
    };
    // Building the app per request costs about half a millisecond and keeps each request's client in its own deps.
    const app = createApp(deps);
    try {
      // Hono types the context as Workers' ExecutionContext; the members it uses are the ones declared above.
      return await app.fetch(request, env, ctx as unknown as Parameters<typeof app.fetch>[2]);
    } finally {
      // Cacheable responses are fully buffered by then; end() lets any query still in flight finish first.
      ctx.waitUntil(Promise.allSettled(background).then(() => database.close()));
    }
  },
};
