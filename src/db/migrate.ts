import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { bigint, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import type { Database } from "./client";

/** Kept out of schema.ts so drizzle-kit never generates it: the runner creates it itself. */
const appliedMigrations = pgTable("lotproof_migrations", {
  hash: text("hash").primaryKey(),
  folderMillis: bigint("folder_millis", { mode: "number" }).notNull(),
  appliedAt: timestamp("applied_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Arbitrary constant shared by every process that migrates this database. */
const MIGRATION_LOCK_ID = 7_203_114_501;

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../migrations", import.meta.url));

/**
 * Applies the drizzle-kit migrations not yet applied, in one transaction under an advisory lock, so two
 * deploy steps started together apply each migration once and a failed migration leaves nothing behind.
 */
export async function migrate(db: Database, migrationsFolder = MIGRATIONS_FOLDER): Promise<{ applied: number }> {
  const migrations = readMigrationFiles({ migrationsFolder });
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`);
    await tx.execute(sql`CREATE TABLE IF NOT EXISTS lotproof_migrations (
      hash text PRIMARY KEY, folder_millis bigint NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set((await tx.select({ hash: appliedMigrations.hash }).from(appliedMigrations)).map((r) => r.hash));
    let applied = 0;
    for (const migration of migrations) {
      if (done.has(migration.hash)) continue;
      for (const statement of migration.sql) {
        if (statement.trim() !== "") await tx.execute(sql.raw(statement));
      }
      await tx.insert(appliedMigrations).values({ hash: migration.hash, folderMillis: migration.folderMillis });
      applied++;
    }
    return { applied };
  });
}
