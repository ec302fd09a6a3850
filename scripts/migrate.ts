import { ConfigError, loadConfig } from "../src/config";
import { openDatabase } from "../src/db/client";
import { migrate } from "../src/db/migrate";

/** The deploy step: applies pending migrations to DATABASE_URL, or to the embedded database in DATA_DIR. */
try {
  const config = loadConfig(process.env);
  const handle = await openDatabase(
    config.DATABASE_URL !== undefined ? { kind: "postgres", url: config.DATABASE_URL, poolSize: 1 } : { kind: "pglite", dataDir: config.DATA_DIR },
  );
  const { applied } = await migrate(handle.db);
  console.log(`${applied} migration(s) applied to ${handle.kind}`);
  await handle.close();
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
