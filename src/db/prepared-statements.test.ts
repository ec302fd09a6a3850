import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { TEST_DATABASE_URL } from "../../test/support/database";
import { openPostgres } from "./postgres";
import { preparePolicy } from "./prepared-statements";
import { rowsOf } from "./rows";

describe("which statements are prepared", () => {
  it("prepares a text from its second run, and no more texts than the bound", () => {
    const shouldPrepare = preparePolicy(2, 100);
    expect(shouldPrepare("select 1")).toBe(false);
    expect(shouldPrepare("select 1")).toBe(true);
    expect(shouldPrepare("select 1")).toBe(true);
    expect([shouldPrepare("select 2"), shouldPrepare("select 2")]).toEqual([false, true]);
    // The bound is reached: a third text stays unprepared however often it runs.
    expect([shouldPrepare("select 3"), shouldPrepare("select 3"), shouldPrepare("select 3")]).toEqual([false, false, false]);
    expect(shouldPrepare("select 1")).toBe(true);
  });

  it("forgets one-off texts once it has counted too many, so they cannot grow without end", () => {
    const shouldPrepare = preparePolicy(10, 2);
    shouldPrepare("a");
    shouldPrepare("b");
    // Counting "c" starts the count afresh: "a" is one-off again.
    shouldPrepare("c");
    expect(shouldPrepare("a")).toBe(false);
    expect(shouldPrepare("c")).toBe(true);
  });
});

describe.skipIf(TEST_DATABASE_URL === undefined)("prepared statements on PostgreSQL", () => {
  it("are made for repeated queries, inside transactions too", async () => {
    const handle = openPostgres(TEST_DATABASE_URL!);
    try {
      const statements = await handle.db.transaction(async (tx) => {
        for (let i = 0; i < 3; i++) await tx.execute(sql`SELECT ${i}::int AS n, 'prepared-statements test' AS tag`);
        return rowsOf<{ statement: string }>(await tx.execute(sql`SELECT statement FROM pg_prepared_statements`));
      });
      expect(statements.filter((s) => s.statement.includes("prepared-statements test"))).toHaveLength(1);
    } finally {
      await handle.close();
    }
  });
});
