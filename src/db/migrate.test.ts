import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openTestDatabase } from "../../test/support/database";
import { openDatabase } from "./client";
import { migrate } from "./migrate";

describe("migrate", () => {
  it("applies each migration once", async () => {
    const handle = await openTestDatabase();
    try {
      expect(await migrate(handle.db)).toEqual({ applied: 0 });
    } finally {
      await handle.close();
    }
  });

  it("lets deploy steps started together apply everything exactly once", async () => {
    const fresh = await openTestDatabase();
    try {
      // Start from an empty schema on the same database, then race several migrators at it.
      await fresh.db.execute(sql.raw("DROP SCHEMA public CASCADE"));
      await fresh.db.execute(sql.raw("CREATE SCHEMA public"));
      const handles = fresh.url === undefined ? [fresh] : await Promise.all([1, 2, 3].map(() => openDatabase({ kind: "postgres", url: fresh.url!, poolSize: 2 })));
      try {
        const results = await Promise.all(handles.map((h) => migrate(h.db)));
        const total = results.reduce((n, r) => n + r.applied, 0);
        const rows = await fresh.db.execute(sql`SELECT count(*)::int AS n FROM lotproof_migrations`);
        const count = Array.isArray(rows) ? rows[0].n : (rows as unknown as { rows: { n: number }[] }).rows[0]!.n;
        expect(total).toBe(count);
        expect(count).toBeGreaterThan(0);
      } finally {
        if (fresh.url !== undefined) await Promise.all(handles.map((h) => h.close()));
      }
    } finally {
      await fresh.close();
    }
  });
});
