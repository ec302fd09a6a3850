import { mkdir } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { templateFor } from "./pglite-template";
import { openPostgres } from "./postgres";
import * as schema from "./schema";

export type Schema = typeof schema;
/** Either driver: code above this layer never knows which database it talks to. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type DatabaseKind = "pglite" | "postgres";

export interface DatabaseHandle {
  db: Database;
  kind: DatabaseKind;
  close(): Promise<void>;
}

export type DatabaseTarget =
  | { kind: "postgres"; url: string; poolSize?: number }
  /** `dataDir` undefined keeps the embedded database in memory; `loadDataDir` starts it from a dump (tests). */
  | { kind: "pglite"; dataDir?: string; loadDataDir?: Blob };

export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  if (target.kind === "postgres") {
    return openPostgres(target.url, { max: target.poolSize ?? 20 });
  }
  let dir: string | undefined;
  let loadDataDir = target.loadDataDir;
  if (target.dataDir !== undefined) {
    dir = path.resolve(target.dataDir, "pglite");
    await mkdir(dir, { recursive: true, mode: 0o700 });
    loadDataDir ??= await templateFor(dir);
  }
  const client = await PGlite.create(dir, loadDataDir === undefined ? {} : { loadDataDir });
  return { db: drizzlePglite(client, { schema }), kind: "pglite", close: () => client.close() };
}
