import { getTableColumns, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Database } from "./client";

/**
 * A prepared INSERT of complete rows (every column given) passed as one JSON parameter:
 * `INSERT INTO t (c…) SELECT c… FROM jsonb_to_recordset($1::jsonb) AS r(c type, …)`. A multi-row VALUES list has one
 * placeholder per cell, so every batch size would be a new statement for the server to parse and plan, and drizzle
 * would map every cell on its own; this statement's text is the same for any number of rows, so it is prepared once
 * per connection and each batch costs one round trip.
 */
export function jsonRowsInserter<T extends PgTable>(db: Database, table: T, name: string): (rows: readonly T["$inferSelect"][]) => Promise<unknown> {
  // The columns drizzle itself inserts into, in its order: all but those the database always generates.
  const columns = Object.entries(getTableColumns(table)).filter(([, c]) => c.generated === undefined || c.generated.type === "byDefault");
  const names = sql.join(
    columns.map(([, c]) => sql.identifier(c.name)),
    sql`, `,
  );
  const types = sql.join(
    columns.map(([, c]) => sql`${sql.identifier(c.name)} ${sql.raw(c.getSQLType())}`),
    sql`, `,
  );
  const statement = db
    .insert(table)
    .select(sql`SELECT ${names} FROM jsonb_to_recordset(${sql.placeholder("rows")}::jsonb) AS r(${types})`)
    .prepare(name);

  return (rows) => {
    const records = rows.map((row) => {
      const record: Record<string, unknown> = {};
      for (const [key, column] of columns) {
        const value = (row as Record<string, unknown>)[key];
        // JSON columns travel as JSON; other values as the driver would send them (dates as ISO text, numerics as text).
        const json = column.columnType === "PgJsonb" || column.columnType === "PgJson";
        record[column.name] = value === null || value === undefined ? null : json ? value : column.mapToDriverValue(value);
      }
      return record;
    });
    return statement.execute({ rows: JSON.stringify(records) });
  };
}
