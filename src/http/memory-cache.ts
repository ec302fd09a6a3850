import { LRUCache } from "lru-cache";
import { type CacheKey, cacheKeyString, type CachedResponse, PUBLIC_TTL_MS, type ResponseCache } from "./cache";

export interface MemoryCacheOptions {
  /** Upper bound on stored bytes (bodies), so a flood of distinct URLs cannot grow the process. */
  maxBytes?: number;
  ttlMs?: number;
  /** Milliseconds; injected so tests can expire entries without waiting. */
  now?: () => number;
}

interface Entry {
  value: CachedResponse;
  certificate: string | null;
}

/**
 * The Node origin's cache: an LRU bounded by bytes, entries living at most as long as the public max-age. Purges are
 * exact on this process, which is what lets the origin show a revocation at once.
 */
export function createMemoryResponseCache(options: MemoryCacheOptions = {}): ResponseCache {
  const now = options.now ?? (() => performance.now());
  const lru = new LRUCache<string, Entry>({
    maxSize: options.maxBytes ?? 32 * 1024 * 1024,
    sizeCalculation: (entry) => Math.max(1, entry.value.body.byteLength),
    ttl: options.ttlMs ?? PUBLIC_TTL_MS,
    perf: { now },
  });
  let generation = 0;
  const peek = (key: CacheKey) => lru.get(cacheKeyString(key))?.value;
  return {
    peek,
    async get(key) {
      return peek(key);
    },
    ticket: () => generation,
    async put(key, value, ticket) {
      if (ticket === generation) lru.set(cacheKeyString(key), { value, certificate: key.certificate });
    },
    async purgeCertificate(code) {
      generation++;
      const doomed = [...lru.entries()].filter(([, entry]) => entry.certificate === code || entry.certificate === null);
      for (const [k] of doomed) lru.delete(k);
    },
  };
}
