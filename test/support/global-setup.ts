import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "../../src/db/migrate";

/**
 * Creating a PGlite database runs initdb in WebAssembly (seconds); loading a dumped data directory takes a fraction
 * of that. So the suite migrates one embedded database up front and every test file starts from its dump.
 */
export default async function setup() {
  if (process.env["TEST_DATABASE_URL"] !== undefined) return;
  const dir = await mkdtemp(path.join(tmpdir(), "lotproof-pglite-"));
  const client = await PGlite.create();
  await migrate(drizzle(client));
  const dump = await client.dumpDataDir("none");
  await client.close();
  const file = path.join(dir, "migrated.tar");
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  process.env["LOTPROOF_PGLITE_TEMPLATE"] = file;
  return () => rm(dir, { recursive: true, force: true });
}
