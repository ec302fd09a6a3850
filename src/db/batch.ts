import DataLoader from "dataloader";
import { sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Database } from "./client";

/**
 * Lookups made by requests handled in the same turn of the event loop go to the database as one query. Under load
 * dozens of requests arrive together, and one round trip for all of them is what keeps a busy origin fast; a lone
 * request waits only for the current turn to end.
 */
export function batchLoader<K, V>(load: (keys: readonly K[]) => Promise<(V | Error)[]>): DataLoader<K, V> {
  return new DataLoader(load, { cache: false, maxBatchSize: 200, batchScheduleFn: (run) => setImmediate(run) });
}

/** One loader (or batcher) per database and purpose, made on first use. */
export function loaderFor<T>(registry: WeakMap<Database, T>, db: Database, make: (db: Database) => T): T {
  let loader = registry.get(db);
  if (loader === undefined) {
    loader = make(db);
    registry.set(db, loader);
  }
  return loader;
}

/**
 * `column = ANY($placeholder::text[])`, to be executed with `textArray(keys)` for a batch's keys. `inArray` writes
 * one placeholder per key, so every batch size would be a different statement for the server to parse and plan;
 * this one has the same text for any number of keys, so a prepared query serves every batch.
 */
export function anyOfPlaceholder(column: AnyPgColumn, placeholder: string): SQL {
  return sql`${column} = ANY(${sql.placeholder(placeholder)}::text[])`;
}

/** PostgreSQL's array literal for text values: every element double-quoted, with backslash and double quote escaped. */
export function textArray(values: Iterable<string>): string {
  return `{${[...values].map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(",")}}`;
}
