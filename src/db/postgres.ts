import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { DatabaseHandle } from "./client";
import { preparePolicy, preparingClient } from "./prepared-statements";
import * as schema from "./schema";

export interface PostgresOptions {
  /** Connections in the pool; a Worker wants few (Hyperdrive pools on its side), the Node origin many. */
  max?: number;
  /**
   * postgres.js asks the server for array type oids on its first connection. Hyperdrive's guidance is to skip that
   * round trip on Workers, where every request starts a fresh client.
   */
  fetchTypes?: boolean;
  /**
   * Plan each prepared statement once per connection (`plan_cache_mode = force_generic_plan`). By default the server
   * re-plans a statement with parameters on every run for as long as its custom plans look cheaper than the generic
   * one, which for this service's statements (keys in a jsonb or array parameter) is every run: a sixth of its CPU
   * under issuing went to planning. Applies to statements inside trigger functions too. Off where statements are not
   * kept across requests (the Worker).
   */
  genericPlans?: boolean;
}

/**
 * A PostgreSQL database through postgres.js. Kept apart from client.ts so the Worker bundle never pulls in PGlite or
 * node:fs: the Worker imports only this module.
 */
export function openPostgres(url: string, options: PostgresOptions = {}): DatabaseHandle {
  const client = postgresClient(url, {
    max: options.max ?? 20,
    fetch_types: options.fetchTypes ?? true,
    ...(options.genericPlans === false ? {} : { connection: { plan_cache_mode: "force_generic_plan" } }),
  });
  return { db: drizzle(preparingClient(client, preparePolicy()), { schema }), kind: "postgres", close: () => client.end({ timeout: 5 }) };
}

/** A postgres.js client for a connection URL, which may name a Unix socket (see connectionTarget). */
export function postgresClient(url: string, options: postgres.Options<Record<string, postgres.PostgresType>> = {}): postgres.Sql {
  const target = connectionTarget(url);
  return postgres(target.url, { onnotice: () => {}, ...(target.socketDir === undefined ? {} : { host: target.socketDir }), ...options });
}

/**
 * A URL may name a Unix socket directory as libpq's do: `postgres://user@localhost/db?host=/var/run/postgresql`.
 * The parameter is taken out of the URL and given to postgres.js as the socket's directory (the URL's port still
 * names the socket file); left in, postgres.js would send it to the server as a setting, which the server refuses.
 */
export function connectionTarget(url: string): { url: string; socketDir?: string } {
  const query = url.indexOf("?");
  if (query === -1) return { url };
  const params = new URLSearchParams(url.slice(query + 1));
  const socketDir = params.get("host");
  if (socketDir === null || !socketDir.startsWith("/")) return { url };
  params.delete("host");
  const rest = params.toString();
  return { url: url.slice(0, query) + (rest === "" ? "" : `?${rest}`), socketDir };
}
