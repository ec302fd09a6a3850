import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from "node:http";
import type { AppDeps } from "../deps";
import { NO_PLACE, type ScanPlace } from "../domain/scans";
import { type CachedAnswer, type CachedResponse, cacheKeyFor, cachedAnswer, isCacheablePath } from "./cache";
import { acceptsGzip } from "./content-coding";
import { INTERNAL_ERROR, problemAnswer } from "./problem";
import { isRateLimitedPath, rateLimitedProblem } from "./rate-limit";
import { scanPathCode } from "./scan-path";
import { scanRecorder } from "./scan-recording";

export interface NodeCacheHitOptions {
  /** The client's address; the socket's peer by default, as the app's own `clientAddress` on Node. */
  address?: (req: IncomingMessage) => string | undefined;
  /** Where the scan came from (the trusted proxy header); unknown by default. */
  place?: (req: IncomingMessage) => ScanPlace;
}

/**
 * Answers a request if it is a cache hit, and says whether it did; anything else goes on to the app. A hit is
 * answered within the turn it arrived in unless its scan record must be awaited (a runtime without background work).
 */
export type CacheHitAnswerer = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** Phones of one kind send one Accept-Encoding; parsing it again for every hit is a measurable part of the hit. */
const MAX_REMEMBERED_ENCODINGS = 64;

/**
 * The Node origin answers hits of its in-process cache before a request becomes a Fetch Request and walks the app's
 * middleware and router: a hit is the commonest public read, and that walk costs more than the answer. Everything a
 * hit goes through in the app happens here too, in the same order: the rate limit, the scan record, then the stored
 * answer with its ETag, 304 and gzip rules (cache.ts). Requests this path is unsure about go to the app: anything
 * with credentials, percent-encoded paths (the router decodes them its own way), the JSON API, and every miss.
 */
export function nodeCacheHits(deps: AppDeps, options: NodeCacheHitOptions = {}): CacheHitAnswerer {
  const address = options.address ?? ((req) => req.socket.remoteAddress);
  const place = options.place ?? (() => NO_PLACE);
  const record = scanRecorder(deps);
  // A stored entry's answer without If-None-Match is the same for every request: its headers are built once per coding.
  const answers = new WeakMap<CachedResponse, [CachedAnswer?, CachedAnswer?]>();
  const gzipAccepted = new Map<string, boolean>();

  function answerFor(entry: CachedResponse, req: IncomingMessage): CachedAnswer {
    const acceptEncoding = header(req, "accept-encoding");
    const ifNoneMatch = header(req, "if-none-match");
    if (ifNoneMatch !== undefined) return withLength(cachedAnswer(entry, { acceptEncoding, ifNoneMatch }, "hit"));
    let gzip = acceptEncoding === undefined ? false : gzipAccepted.get(acceptEncoding);
    if (gzip === undefined) {
      gzip = acceptsGzip(acceptEncoding);
      if (gzipAccepted.size >= MAX_REMEMBERED_ENCODINGS) gzipAccepted.clear();
      gzipAccepted.set(acceptEncoding!, gzip);
    }
    let ready = answers.get(entry);
    if (ready === undefined) answers.set(entry, (ready = []));
    const coding = gzip && entry.gzip !== undefined ? 1 : 0;
    return (ready[coding] ??= withLength(cachedAnswer(entry, { acceptEncoding: coding === 1 ? "gzip" : undefined, ifNoneMatch: undefined }, "hit")));
  }

  function send(res: ServerResponse, answer: CachedAnswer): true {
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
    return true;
  }

  return (req, res) => {
    const cache = deps.responseCache;
    if (cache?.peek === undefined || req.method !== "GET" || req.headers.authorization !== undefined) return false;
    const target = req.url ?? "/";
    const query = target.indexOf("?");
    const path = query === -1 ? target : target.slice(0, query);
    if (path.includes("%") || path.startsWith("/v1/") || !isCacheablePath(path)) return false;
    const certificate = scanPathCode(deps, path);
    if (certificate === undefined) return false;
    const key = cacheKeyFor({ pathAndQuery: target, accept: header(req, "accept"), acceptLanguage: header(req, "accept-language") }, certificate);
    const entry = key === undefined ? undefined : cache.peek(key);
    if (entry === undefined) return false;

    const limiter = deps.rateLimiter;
    if (limiter !== undefined && isRateLimitedPath(path)) {
      const decision = limiter.take(address(req) ?? "unknown");
      if (!decision.ok) {
        const refused = rateLimitedProblem(limiter.settings, decision.retryAfterSeconds);
        writeProblem(res, problemAnswer(refused.problem, refused.headers));
        return true;
      }
    }
    const recorded = certificate === null ? undefined : record(certificate, { userAgent: header(req, "user-agent"), address: address(req), place: place(req) });
    if (recorded === undefined) return send(res, answerFor(entry, req));
    return recorded.then(() => send(res, answerFor(entry, req)));
  };
}

/** Node writes the length it is given instead of sending the body chunked. */
function withLength(answer: CachedAnswer): CachedAnswer {
  return answer.body === null ? answer : { ...answer, headers: { ...answer.headers, "content-length": String(answer.body.byteLength) } };
}

function writeProblem(res: ServerResponse, answer: ReturnType<typeof problemAnswer>): void {
  res.writeHead(answer.status, { ...answer.headers, "content-length": Buffer.byteLength(answer.body) });
  res.end(answer.body);
}

function answerFailure(req: IncomingMessage, res: ServerResponse, err: unknown): void {
  console.error(`${req.method} ${req.url}`, err);
  if (res.headersSent) res.end();
  else writeProblem(res, problemAnswer(INTERNAL_ERROR));
}

/**
 * An HTTP server that lets `hits` answer first and hands the rest to the app's listener. Closures are made only on
 * the asynchronous path: a hit answered in its turn allocates none.
 */
export function serverWithCacheHits(hits: CacheHitAnswerer, app: RequestListener): Server {
  return createServer((req, res) => {
    let answered: boolean | Promise<boolean>;
    try {
      answered = hits(req, res);
    } catch (err) {
      answerFailure(req, res, err);
      return;
    }
    if (answered === false) void app(req, res);
    else if (answered !== true)
      answered.then(
        (done) => done || app(req, res),
        (err: unknown) => answerFailure(req, res, err),
      );
  });
}
