import { createHash } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import type { AppDeps } from "../deps";
import { acceptsGzip, gzipEtag } from "./content-coding";
import type { AppEnv } from "./context";
import { requestScanCode } from "./scan-path";

/**
 * Freshness of every public read (scan, resolver, well-known). 30 s fresh plus 30 s stale-while-revalidate keeps the
 * worst case at 60 s in any cache that honours the header, which is the promise for revocations at the edge.
 */
export const PUBLIC_CACHE_CONTROL = "public, max-age=30, stale-while-revalidate=30";
export const PUBLIC_TTL_MS = 30_000;
/** The representation depends on these request headers (content negotiation, language and compression). */
const VARY = "Accept, Accept-Language, Accept-Encoding";

/** Longer negotiation headers are not worth a cache entry: they are rare and would only let a client flood the cache. */
const MAX_VARIANT_HEADER = 256;

/** A stored representation, runtime-neutral: the Node cache keeps it in memory, the Worker rebuilds a Response. */
export interface CachedResponse {
  status: number;
  /** Lower-case names. A plain object, because a hit answered from it is the cheapest Response the Node adapter writes. */
  headers: Record<string, string>;
  body: Uint8Array<ArrayBuffer>;
  /** The body gzip-compressed, where the runtime compresses its own answers and it was worth it. */
  gzip?: Uint8Array<ArrayBuffer>;
}

/**
 * What a representation is stored under. `accept` and `lang` are the request's Accept and Accept-Language as sent
 * (trimmed, lower-cased): keying on the raw headers rather than on a guessed class means a cached answer is only ever
 * returned to a request the route would have answered the same way, whatever its negotiation rules. Browsers of one
 * kind send one fixed Accept, so this costs a handful of variants per URL.
 */
export interface CacheKey {
  /** Path and query exactly as requested: the resolver may echo query order back, so it is not sorted. */
  pathAndQuery: string;
  accept: string;
  lang: string;
  /** The certificate code this entry shows (scan pages); null for entries that may show any (resolver, keys). */
  certificate: string | null;
}

/** One string per key, for maps: the certificate is not part of it, since the path already names it. */
export function cacheKeyString(key: CacheKey): string {
  return `${key.pathAndQuery}\n${key.accept}\n${key.lang}`;
}

export interface ResponseCache {
  get(key: CacheKey): Promise<CachedResponse | undefined>;
  /** The entry now, where the cache lives in this process: the Node origin answers such a hit within one turn. */
  peek?(key: CacheKey): CachedResponse | undefined;
  /**
   * Taken before the origin computes a response. A purge between ticket and put turns the put into a no-op, so a
   * scan that read the database just before a revocation can never store the pre-revocation answer after the purge.
   */
  ticket(): number;
  put(key: CacheKey, value: CachedResponse, ticket: number): Promise<void>;
  /** Drops everything that may show this certificate: its scan pages and every entry not tied to one code. */
  purgeCertificate(code: string): Promise<void>;
}

// Status lists are entries not tied to one code, so every certificate change purges them.
const CACHEABLE_PATH = /^\/(c\/[^/]+|01\/.+|\.well-known\/.+|v1\/status-lists\/[^/]+\/[^/]+)$/;

export function isCacheablePath(path: string): boolean {
  return CACHEABLE_PATH.test(path);
}

function variantHeader(value: string | undefined): string | undefined {
  const v = (value ?? "").trim().toLowerCase();
  return v.length > MAX_VARIANT_HEADER ? undefined : v;
}

/**
 * Strong validator: the same bytes give the same tag on Node and on the Worker. node:crypto rather than
 * crypto.subtle, whose digest Node runs as an asynchronous job: a tenth of an uncached scan's CPU.
 */
export function strongEtag(body: Uint8Array<ArrayBuffer>): string {
  return `"${createHash("sha256").update(body).digest().subarray(0, 18).toString("base64url")}"`;
}

/** RFC 9110 §13.1.2: If-None-Match uses the weak comparison, so W/"x" matches "x". */
export function ifNoneMatchMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const bare = etag.replace(/^W\//, "");
  return header.split(",").some((candidate) => {
    const t = candidate.trim();
    return t === "*" || t.replace(/^W\//, "") === bare;
  });
}

/**
 * A stored representation as one request asks for it, runtime-neutral: the app wraps it in a Response, the Node
 * origin's cache-hit path writes it itself.
 */
export interface CachedAnswer {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array<ArrayBuffer> | null;
}

/** The stored representation as this request asks for it: compressed if it accepts gzip, 304 if it has it already. */
export function cachedAnswer(
  entry: CachedResponse,
  request: { acceptEncoding: string | undefined; ifNoneMatch: string | undefined },
  cacheStatus: "hit" | "miss" | "off",
): CachedAnswer {
  const gzip = entry.gzip !== undefined && acceptsGzip(request.acceptEncoding) ? entry.gzip : undefined;
  const stored = entry.headers["etag"]!;
  const etag = gzip === undefined ? stored : gzipEtag(stored);
  if (ifNoneMatchMatches(request.ifNoneMatch, etag)) {
    return { status: 304, headers: { etag, "cache-control": PUBLIC_CACHE_CONTROL, vary: VARY }, body: null };
  }
  const headers: Record<string, string> = { ...entry.headers, etag, "x-cache": cacheStatus };
  if (gzip !== undefined) headers["content-encoding"] = "gzip";
  return { status: entry.status, headers, body: gzip ?? entry.body };
}

function answer(entry: CachedResponse, c: Context<AppEnv>, cacheStatus: "hit" | "miss" | "off"): Response {
  const { status, headers, body } = cachedAnswer(entry, { acceptEncoding: c.req.header("accept-encoding"), ifNoneMatch: c.req.header("if-none-match") }, cacheStatus);
  return new Response(body, { status, headers });
}

/**
 * The key a cacheable request's representation is stored under, from the request target as sent and its negotiation
 * headers; undefined when those are too long to be worth an entry.
 */
export function cacheKeyFor(
  request: { pathAndQuery: string; accept: string | undefined; acceptLanguage: string | undefined },
  certificate: string | null,
): CacheKey | undefined {
  const accept = variantHeader(request.accept);
  const lang = variantHeader(request.acceptLanguage);
  return accept === undefined || lang === undefined ? undefined : { pathAndQuery: request.pathAndQuery, accept, lang, certificate };
}

/** The request target as sent, without parsing the whole URL again: the cache key needs it on every hit. */
function pathAndQuery(url: string): string {
  const path = url.indexOf("/", url.indexOf("://") + 3);
  return path === -1 ? "/" : url.slice(path);
}

/**
 * Public reads get a strong ETag (If-None-Match → 304) and a bounded Cache-Control; with `deps.responseCache` they are
 * also served from and stored in that cache. Requests carrying credentials pass through untouched: what they see may
 * depend on who asks, so no shared cache may hold it. Only 200s are stored: a code unknown now may be issued later.
 *
 * Misses of one key that arrive while its answer is being computed wait for that answer instead of each reading the
 * database again: an entry of a code scanned at many stalls expires, or is purged by a recall, for all of them at
 * once. A waiter looks in the cache again afterwards, so it never takes an answer a purge made the cache refuse, and
 * computes its own when there is none (an unknown code, a purge during the read).
 */
export function responseCaching(deps: AppDeps): MiddlewareHandler<AppEnv> {
  const computing = new Map<string, Promise<void>>();
  return async (c, next) => {
    if (c.req.method !== "GET" || c.req.header("authorization") !== undefined || !isCacheablePath(c.req.path)) return next();
    const cache = deps.responseCache;
    const certificate = requestScanCode(c, deps);
    const key =
      cache === undefined || certificate === undefined
        ? undefined
        : cacheKeyFor({ pathAndQuery: pathAndQuery(c.req.url), accept: c.req.header("accept"), acceptLanguage: c.req.header("accept-language") }, certificate);
    const id = key === undefined ? undefined : cacheKeyString(key);

    if (cache !== undefined && key !== undefined && id !== undefined) {
      let hit = await cache.get(key);
      const pending = hit === undefined ? computing.get(id) : undefined;
      if (pending !== undefined) {
        await pending;
        hit = await cache.get(key);
      }
      if (hit !== undefined) return answer(hit, c, "hit");
    }

    let computed: (() => void) | undefined;
    if (id !== undefined && !computing.has(id)) computing.set(id, new Promise<void>((resolve) => (computed = resolve)));
    try {
      const ticket = cache?.ticket() ?? 0;
      await next();
      const res = c.res;
      if (res.status !== 200 || res.headers.has("set-cookie")) return;

      const body = new Uint8Array(await res.arrayBuffer());
      const headers = new Headers(res.headers);
      headers.set("etag", strongEtag(body));
      headers.set("cache-control", PUBLIC_CACHE_CONTROL);
      headers.set("vary", VARY);
      const entry: CachedResponse = { status: 200, headers: Object.fromEntries(headers), body };
      const stored = cache !== undefined && key !== undefined;
      // Compressed once for the cache, or for this client alone when nothing is stored and it accepts gzip.
      const gzip = stored || acceptsGzip(c.req.header("accept-encoding")) ? deps.gzip?.(body, entry.headers["content-type"]) : undefined;
      if (gzip !== undefined) entry.gzip = gzip;
      if (stored) await cache.put(key, entry, ticket);
      // Unset first: Hono's setter otherwise copies the old headers (the route's own Cache-Control) over the new ones.
      c.res = undefined;
      c.res = answer(entry, c, cache === undefined ? "off" : "miss");
    } finally {
      if (computed !== undefined) {
        computing.delete(id!);
        computed();
      }
    }
  };
}
