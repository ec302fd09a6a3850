import DataLoader from "dataloader";
import type { Database } from "./client";

/**
 * Lookups made by requests handled in the same turn of the event loop go to the database as one query. Under load
 * dozens of requests arrive together, and one round trip for all of them is what keeps a busy origin fast; a lone
 * request waits only for the current turn to end.
 */
export function batchLoader<K, V>(load: (keys: readonly K[]) => Promise<(V | Error)[]>): DataLoader<K, V> {
  return new DataLoader(load, { cache: false, maxBatchSize: 200, batchScheduleFn: (run) => setImmediate(run) });
}

/** One loader per database and purpose, made on first use. */
export function loaderFor<K, V>(
  registry: WeakMap<Database, DataLoader<K, V>>,
  db: Database,
  make: (db: Database) => DataLoader<K, V>,
): DataLoader<K, V> {
  let loader = registry.get(db);
  if (loader === undefined) {
    loader = make(db);
    registry.set(db, loader);
  }
  return loader;
}
