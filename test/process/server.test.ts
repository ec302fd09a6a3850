import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnServer } from "../support/spawn-server";

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "lotproof-start-"));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe("npm start", () => {
  it("starts on an empty data directory, seeds the demo district, and comes back with its data after a restart", async () => {
    const first = await spawnServer({ DATA_DIR: dataDir, DEMO_DATA: "1" });
    let links: string[];
    try {
      expect(await (await fetch(`${first.url}/healthz`)).json()).toEqual({ status: "ok", db: "pglite" });
      expect(first.output()).toContain("lp_demo_farm_kiwi");
      links = [...first.output().matchAll(/\/c\/([0-9A-Z]{11})/g)].map((m) => m[1]!);
      // A first start names a certificate of each verdict the demo seeded.
      expect(links).toHaveLength(6);
      expect(first.output()).toMatch(/\/c\/[0-9A-Z]{11} +.*\(revoked\)/);
      expect(first.output()).toMatch(/\/c\/[0-9A-Z]{11} +.*possibly a copied code\)/);
      expect(first.output()).toMatch(/\/c\/[0-9A-Z]{11} +.*\(failed market rapid test\)/);
      const verified = await fetch(`${first.url}/v1/verify`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: links[0] }) });
      expect((await verified.json()).valid).toBe(true);
      const lots = await fetch(`${first.url}/v1/lots`, { headers: { authorization: "Bearer lp_demo_farm_kiwi" } });
      expect((await lots.json()).items.length).toBeGreaterThan(0);
      const copied = await (await fetch(`${first.url}/c/${links[5]}?lang=zh`, { headers: { accept: "text/html" } })).text();
      expect(copied).toContain('data-flag="many_regions"');
    } finally {
      await first.stop();
    }
    // Private signing keys rest beside the database, readable by the owner only.
    const keysDir = path.join(dataDir, "keys");
    expect((await stat(keysDir)).mode & 0o077).toBe(0);

    const second = await spawnServer({ DATA_DIR: dataDir, DEMO_DATA: "1" });
    try {
      const res = await fetch(`${second.url}/v1/verify`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: links[0] }) });
      expect((await res.json()).valid).toBe(true);
      const parties = await fetch(`${second.url}/v1/parties?limit=200`, { headers: { authorization: "Bearer lp_demo_admin_linan" } });
      const names = (await parties.json()).items.map((p: { name: string }) => p.name);
      expect(new Set(names).size).toBe(names.length); // not seeded twice
    } finally {
      await second.stop();
    }
  }, 120_000);

  it("fails fast with a readable message on bad configuration", async () => {
    await expect(spawnServer({ DATA_DIR: dataDir, PORT: "http", PUBLIC_URL: "ftp://x" }, 30_000)).rejects.toThrow(
      /Invalid configuration:\n {2}PORT: .*\n {2}PUBLIC_URL: must be an http\(s\) URL/,
    );
  });
});
