import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The Worker bundle is what `wrangler deploy` would upload. It must not carry the Node-only parts: PDF rendering
 * (pdfkit reads fonts from disk), the embedded PGlite, migrations (they read SQL files) or file-system access.
 */
describe("the Worker bundle", () => {
  let dir: string;
  let code: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "lotproof-worker-bundle-"));
    await promisify(execFile)(process.execPath, ["node_modules/wrangler/bin/wrangler.js", "deploy", "--dry-run", "--outdir", dir], {
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
    });
    code = await readFile(path.join(dir, "worker.js"), "utf8");
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("builds without the Node-only modules", async () => {
    // esbuild marks each module with a `// path` comment; the Workers build of postgres.js proves the marker format.
    expect(code).toContain("// node_modules/postgres/cf/");
    for (const forbidden of ["node_modules/pdfkit", "node_modules/fontkit", "node_modules/@electric-sql/pglite", "src/db/migrate.ts", "src/signing/key-store.ts", "src/render/pdf"]) {
      expect(code, forbidden).not.toContain(`// ${forbidden}`);
    }
    const nodeImports = new Set([...code.matchAll(/from "(node:[a-z_/]+)"/g)].map((m) => m[1]));
    for (const module of nodeImports) expect(["node:buffer", "node:crypto", "node:events", "node:stream", "node:util"], module).toContain(module);
    const { size } = await stat(path.join(dir, "worker.js"));
    console.log(`test/worker: bundle ${Math.round(size / 1024)} KiB before compression`);
  });
});
