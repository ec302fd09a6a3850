import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { writePgliteTemplate } from "../../src/db/pglite-template";

/**
 * Creating a PGlite database runs initdb in WebAssembly (seconds); loading a dumped data directory takes a fraction
 * of that. So the suite migrates one embedded database up front and every test file starts from its dump.
 */
export default async function setup() {
  if (process.env["TEST_DATABASE_URL"] !== undefined) return;
  const dir = await mkdtemp(path.join(tmpdir(), "lotproof-pglite-"));
  const file = path.join(dir, "migrated.tar");
  await writePgliteTemplate(file);
  process.env["LOTPROOF_PGLITE_TEMPLATE"] = file;
  return () => rm(dir, { recursive: true, force: true });
}
