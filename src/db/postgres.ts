import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { DatabaseHandle } from "./client";
import * as schema from "./schema";

export interface PostgresOptions {
  /** Connections in the pool; a Worker wants few (Hyperdrive pools on its side), the Node origin many. */
  max?: number;
  /**
   * postgres.js asks the server for array type oids on its first connection. Hyperdrive's guidance is to skip that
   * round trip on Workers, where every request starts a fresh client.
   */
  fetchTypes?: boolean;
}

/**
 * A PostgreSQL database through postgres.js. Kept apart from client.ts so the Worker bundle never pulls in PGlite or
 * node:fs: the Worker imports only this module.
 */
export function openPostgres(url: string, options: PostgresOptions = {}): DatabaseHandle {
  const client = postgres(url, { max: options.max ?? 20, fetch_types: options.fetchTypes ?? true, onnotice: () => {} });
  return { db: drizzle(client, { schema }), kind: "postgres", close: () => client.end({ timeout: 5 }) };
}
