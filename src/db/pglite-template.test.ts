import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "./client";
import { migrate } from "./migrate";
import { templateFor, writePgliteTemplate } from "./pglite-template";
import { rowsOf } from "./rows";

let dir: string;
let template: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "lotproof-template-"));
  // The suite's own template when it made one (PGlite runs); otherwise one made here.
  template = process.env["LOTPROOF_PGLITE_TEMPLATE"] ?? path.join(dir, "template.tar");
  if (!existsSync(template)) await writePgliteTemplate(template);
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("the embedded database's install-time template", () => {
  it("is offered for a data directory PostgreSQL has not initialised, and only then", async () => {
    const dataDir = path.join(dir, "fresh");
    expect(await templateFor(dataDir, template)).toBeInstanceOf(Blob);
    expect(await templateFor(dataDir, path.join(dir, "missing.tar"))).toBeUndefined();

    const handle = await openDatabase({ kind: "pglite", dataDir, loadDataDir: (await templateFor(path.join(dataDir, "pglite"), template))! });
    expect((await migrate(handle.db)).applied).toBe(0);
    await handle.db.execute(sql`CREATE TABLE kept (x int)`);
    await handle.db.execute(sql`INSERT INTO kept VALUES (42)`);
    await handle.close();

    expect(await templateFor(path.join(dataDir, "pglite"), template)).toBeUndefined();
    const reopened = await openDatabase({ kind: "pglite", dataDir });
    expect(rowsOf<{ x: number }>(await reopened.db.execute(sql`SELECT x FROM kept`))).toEqual([{ x: 42 }]);
    await reopened.close();
  });
});
