import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "./migrate";

/**
 * A new embedded database starts from a migrated data directory made once, when the project is installed: creating
 * one runs PostgreSQL's initdb in WebAssembly, which takes seconds on a slow machine (5 s on one where loading the
 * made one takes about 1 s). The file is named after the PGlite version that wrote it, so an upgrade never loads a
 * directory its PostgreSQL cannot read; migrations added since it was made are applied at start as always.
 */
const NODE_MODULES = new URL("../../node_modules/", import.meta.url);
const PGLITE_VERSION = (JSON.parse(readFileSync(new URL("@electric-sql/pglite/package.json", NODE_MODULES), "utf8")) as { version: string }).version;

export const PGLITE_TEMPLATE = fileURLToPath(new URL(`.cache/lotproof/pglite-${PGLITE_VERSION}.tar`, NODE_MODULES));

/** Writes a migrated, otherwise empty embedded database to `file` as a data-directory dump. */
export async function writePgliteTemplate(file: string): Promise<void> {
  const client = await PGlite.create();
  try {
    await migrate(drizzle(client));
    const dump = await client.dumpDataDir("none");
    await mkdir(path.dirname(file), { recursive: true });
    // Written aside and renamed, so a start racing the install never reads half a file.
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, file);
  } finally {
    await client.close();
  }
}

/** The template for a data directory PostgreSQL has not initialised yet, when one was made; undefined otherwise. */
export async function templateFor(dataDir: string, file = PGLITE_TEMPLATE): Promise<Blob | undefined> {
  if (existsSync(path.join(dataDir, "PG_VERSION")) || !existsSync(file)) return undefined;
  return new Blob([await readFile(file)]);
}
