import type { CacheKey, CachedResponse, ResponseCache } from "./cache";

/** The part of the Workers Cache API (`caches.default`) used here, so this module type-checks without Workers types. */
export interface EdgeCacheStore {
  match(request: Request): Promise<Response | undefined>;
  put(request: Request, response: Response): Promise<void>;
  delete(request: Request): Promise<boolean>;
}

/** When the stored answer's data was read (ms): the ticket taken before the origin computed it. */
const AS_OF = "x-lotproof-as-of";
/** Outlives any entry (max-age 30 s), so no entry older than a purge can outlive its tombstone. */
const TOMBSTONE_CACHE_CONTROL = "public, max-age=60";
/** Tombstone for entries not tied to one certificate (resolver, keys): any certificate change touches them. */
const ANY = "*";

function entryRequest(base: string, key: CacheKey): Request {
  const url = new URL(key.pathAndQuery, base);
  // The variant travels in the key URL: the Cache API matches on URL alone.
  url.searchParams.append("__accept", key.accept);
  url.searchParams.append("__lang", key.lang);
  return new Request(url.toString(), { method: "GET" });
}

function tombstoneRequest(base: string, certificate: string): Request {
  return new Request(new URL(`/__lotproof/purged/${encodeURIComponent(certificate)}`, base).toString(), { method: "GET" });
}

/**
 * The Worker's cache: Cloudflare's Cache API, local to one data centre, honouring the stored max-age (30 s).
 *
 * A purge cannot name every variant (each browser's Accept and Accept-Language make their own entry), so it writes a
 * tombstone instead: "certificate X changed at time T". A lookup reads the entry and its tombstone together and
 * ignores entries whose data was read at or before T. This reaches only the data centre that handled the change;
 * elsewhere the bounded max-age is what shows a revocation within 60 s. Writes normally go to the Node origin, so the
 * edge mostly relies on that bound. (On workers.dev hosts the Cache API stores nothing; it needs a custom domain.)
 */
export function createEdgeResponseCache(store: EdgeCacheStore, base: string, now: () => number = Date.now): ResponseCache {
  return {
    async get(key) {
      const [res, tombstone] = await Promise.all([
        store.match(entryRequest(base, key)),
        store.match(tombstoneRequest(base, key.certificate ?? ANY)),
      ]);
      if (res === undefined) {
        await tombstone?.body?.cancel();
        return undefined;
      }
      const asOf = Number(res.headers.get(AS_OF));
      const purgedAt = tombstone === undefined ? Number.NEGATIVE_INFINITY : Number(await tombstone.text());
      // A clock that ticks coarsely can give both the same time: then the entry may predate the change, so drop it.
      if (!(asOf > purgedAt)) {
        await res.body?.cancel();
        return undefined;
      }
      const headers = Object.fromEntries([...res.headers].filter(([name]) => name !== AS_OF));
      return { status: res.status, headers, body: new Uint8Array(await res.arrayBuffer()) };
    },
    ticket: now,
    async put(key, value: CachedResponse, ticket) {
      const headers = new Headers(value.headers);
      headers.set(AS_OF, String(ticket));
      await store.put(entryRequest(base, key), new Response(value.body, { status: value.status, headers }));
    },
    async purgeCertificate(code) {
      const at = String(now());
      const tombstone = () => new Response(at, { headers: { "cache-control": TOMBSTONE_CACHE_CONTROL, "content-type": "text/plain" } });
      await Promise.all([store.put(tombstoneRequest(base, code), tombstone()), store.put(tombstoneRequest(base, ANY), tombstone())]);
    },
  };
}
