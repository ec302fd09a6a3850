import { type SQL, sql } from "drizzle-orm";

/** The rows of a `db.execute` result: postgres.js answers with an array of rows, PGlite with `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** An instant as epoch milliseconds (float8): a raw row then carries it as a number on postgres.js and PGlite alike. */
export const epochMs = (at: SQL) => sql`(extract(epoch from ${at}) * 1000)::float8`;
