import { readFile } from "node:fs/promises";
import { postgresClient } from "../../src/db/postgres";
import { openDatabase, type DatabaseHandle } from "../../src/db/client";
import { migrate } from "../../src/db/migrate";

/** Set by .ci/run (and by developers) to run the same suite on a real PostgreSQL server. */
export const TEST_DATABASE_URL = process.env["TEST_DATABASE_URL"];

/**
 * A fresh, migrated database per call: an in-memory PGlite by default, or a new database on the PostgreSQL server
 * named by TEST_DATABASE_URL, dropped again on close.
 */
export async function openTestDatabase(): Promise<DatabaseHandle & { url?: string }> {
  if (TEST_DATABASE_URL === undefined) {
    const template = process.env["LOTPROOF_PGLITE_TEMPLATE"];
    const handle = await openDatabase({ kind: "pglite", ...(template === undefined ? {} : { loadDataDir: new Blob([await readFile(template)]) }) });
    await migrate(handle.db);
    return handle;
  }
  const name = `lotproof_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = postgresClient(TEST_DATABASE_URL, { max: 1 });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ kind: "postgres", url: url.toString(), poolSize: 60 });
  await migrate(handle.db);
  return {
    ...handle,
    url: url.toString(),
    close: async () => {
      await handle.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
