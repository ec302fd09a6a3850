import type { MiddlewareHandler } from "hono";
import type { AppDeps } from "../deps";
import type { AppEnv } from "./context";
import { type Problem, problemResponse } from "./problem";
import { clientHasher } from "./client-id";

export interface RateLimitSettings {
  /** Sustained requests per minute per client. */
  perMinute: number;
  /** Requests a client may make at once before the sustained rate applies (bucket size). */
  burst: number;
  /** Clients tracked at most; beyond it the longest-idle buckets are forgotten, so memory stays bounded. */
  maxClients?: number;
}

/** Generous for a market gate: a whole stall's phones behind one carrier NAT scanning crate after crate. */
export const DEFAULT_RATE_LIMIT: RateLimitSettings = { perMinute: 120, burst: 60 };

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface RateLimiter {
  readonly settings: RateLimitSettings;
  /** Spends one token of this client's bucket; `address` is hashed before it is kept. */
  take(address: string): RateDecision;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token bucket per client, in memory. Per process on Node; per isolate on Workers, where a client hitting several
 * isolates gets several buckets: good enough against a runaway script, and the production answer there is
 * Cloudflare's rate-limiting binding or a Durable Object keyed by client.
 */
export function createTokenBucketLimiter(settings: RateLimitSettings, options: { now: () => number; salt: Uint8Array }): RateLimiter {
  const { now } = options;
  const hash = clientHasher(options.salt);
  const perMs = settings.perMinute / 60_000;
  const maxClients = settings.maxClients ?? 50_000;
  // A Map iterates in insertion order; re-inserting on use keeps the longest-idle client first.
  const buckets = new Map<string, Bucket>();
  return {
    settings,
    take(address) {
      const client = hash(address);
      const t = now();
      const previous = buckets.get(client);
      const tokens = previous === undefined ? settings.burst : Math.min(settings.burst, previous.tokens + (t - previous.at) * perMs);
      buckets.delete(client);
      if (tokens < 1) {
        buckets.set(client, { tokens, at: t });
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / perMs / 1000)) };
      }
      buckets.set(client, { tokens: tokens - 1, at: t });
      if (buckets.size > maxClients) {
        const oldest = buckets.keys().next();
        if (oldest.done !== true) buckets.delete(oldest.value);
      }
      return { ok: true };
    },
  };
}

const PUBLIC_PATH = /^\/(c\/|01\/|\.well-known\/|v1\/verify$)/;

export function isRateLimitedPath(path: string): boolean {
  return PUBLIC_PATH.test(path);
}

/** The 429 a refused client gets, with the Retry-After it should honour. */
export function rateLimitedProblem(settings: RateLimitSettings, retryAfterSeconds: number): { problem: Problem; headers: Record<string, string> } {
  return {
    problem: {
      type: "https://lotproof.dev/problems/rate-limited",
      title: "Too many requests",
      status: 429,
      detail: `more than ${settings.perMinute} requests a minute (bursts of ${settings.burst}) from this client; retry in ${retryAfterSeconds} s`,
    },
    headers: { "retry-after": String(retryAfterSeconds) },
  };
}

/**
 * Limits the public, unauthenticated routes. Runs before authentication and caching, so a flood is refused before
 * it costs a database query or a cache lookup. Without `deps.rateLimiter` nothing is limited.
 */
export function rateLimiting(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const limiter = deps.rateLimiter;
    if (limiter === undefined || !isRateLimitedPath(c.req.path)) return next();
    // Unknown addresses (in-process requests) share one bucket rather than escaping the limit.
    const decision = limiter.take(deps.clientAddress?.(c) ?? "unknown");
    if (decision.ok) return next();
    const refused = rateLimitedProblem(limiter.settings, decision.retryAfterSeconds);
    return problemResponse(refused.problem, refused.headers);
  };
}
