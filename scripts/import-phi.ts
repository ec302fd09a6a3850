/**
 * Imports a district's pre-harvest-interval spreadsheet (CSV) as a new reference version, as POST /v1/reference/phi-csv
 * does, for operators without an API key at hand.
 * Usage: npm run import-phi -- intervals.csv [--version NAME] [--effective-from YYYY-MM-DD] [--note TEXT]
 * Uses DATABASE_URL, or the embedded database in DATA_DIR, like the server.
 */
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import type { Principal } from "../src/auth/principal";
import { ConfigError, loadConfig } from "../src/config";
import { openDatabase } from "../src/db/client";
import { migrate } from "../src/db/migrate";
import type { AppDeps } from "../src/deps";
import { gb31CodeScheme } from "../src/domain/certificate-code";
import { ApiError } from "../src/http/problem";
import { ensureReferenceSeeded } from "../src/services/reference-data";
import { importPhiCsv } from "../src/services/reference-import";

const OPERATOR: Principal = { keyId: "cli:import-phi", role: "admin", partyId: null, regionCode: null };

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { version: { type: "string" }, "effective-from": { type: "string" }, note: { type: "string" } },
});
const file = positionals[0];
if (file === undefined) {
  console.error("usage: npm run import-phi -- intervals.csv [--version NAME] [--effective-from YYYY-MM-DD] [--note TEXT]");
  process.exit(2);
}

try {
  const config = loadConfig(process.env);
  const handle = await openDatabase(
    config.DATABASE_URL !== undefined ? { kind: "postgres", url: config.DATABASE_URL, poolSize: 1 } : { kind: "pglite", dataDir: config.DATA_DIR },
  );
  try {
    await migrate(handle.db);
    const deps: AppDeps = {
      db: handle.db,
      dbKind: handle.kind,
      publicUrl: config.PUBLIC_URL ?? "http://localhost",
      clock: () => new Date(),
      randomBytes: (n) => new Uint8Array(randomBytes(n)),
      codeScheme: gb31CodeScheme,
    };
    await ensureReferenceSeeded(deps);
    const csv = await readFile(file, "utf8");
    const row = await importPhiCsv(deps, OPERATOR, csv, { version: values.version, effectiveFrom: values["effective-from"], note: values.note ?? `imported from ${file}` });
    console.log(`reference version ${row.version} (effective ${row.effectiveFrom}) stored in ${handle.kind}`);
  } finally {
    await handle.close();
  }
} catch (err) {
  if (err instanceof ApiError) {
    const lines = (err.problem["lines"] as { line: number; column: string | null; messageZh: string; messageEn: string }[] | undefined) ?? [];
    console.error(`import refused, nothing stored: ${err.problem.title}`);
    for (const l of lines) console.error(`  line ${l.line}${l.column === null ? "" : ` [${l.column}]`}: ${l.messageZh} / ${l.messageEn}`);
    for (const e of lines.length > 0 ? [] : (err.problem.errors ?? [])) console.error(`  ${e.path}: ${e.message}`);
    if (lines.length === 0 && err.problem.errors === undefined) console.error(`  ${err.problem.detail ?? ""}`);
  } else {
    console.error(err instanceof ConfigError ? err.message : err);
  }
  process.exit(1);
}
