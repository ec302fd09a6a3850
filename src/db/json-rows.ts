import { getTableColumns, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Database } from "./client";

/** What separates the values of a `spaceJoined` column in its parameter. */
const SEPARATOR = " ";

export interface JsonRowsOptions<T extends PgTable> {
  /**
   * Text columns whose values never hold a space (compact JWS, for one), sent beside the JSON as one space-joined
   * parameter. A long string inside the JSON is escaped by the service and parsed character by character into jsonb
   * by the server; split out, it costs a memchr. A value holding a space is refused before anything is sent.
   */
  spaceJoined?: readonly (keyof T["$inferSelect"] & string)[];
}

/**
 * A prepared INSERT of complete rows (every column given) passed as one JSON parameter:
 * `INSERT INTO t (c…) SELECT c… FROM jsonb_to_recordset($1::jsonb) AS r(c type, …)`. A multi-row VALUES list has one
 * placeholder per cell, so every batch size would be a new statement for the server to parse and plan, and drizzle
 * would map every cell on its own; this statement's text is the same for any number of rows, so it is prepared once
 * per connection and each batch costs one round trip.
 */
export function jsonRowsInserter<T extends PgTable>(
  db: Database,
  table: T,
  name: string,
  options: JsonRowsOptions<T> = {},
): (rows: readonly T["$inferSelect"][]) => Promise<unknown> {
  const joined = new Set<string>(options.spaceJoined ?? []);
  // The columns drizzle itself inserts into, in its order: all but those the database always generates.
  const columns = Object.entries(getTableColumns(table)).filter(([, c]) => c.generated === undefined || c.generated.type === "byDefault");
  const inJson = columns.filter(([key]) => !joined.has(key));
  const apart = columns.filter(([key]) => joined.has(key));
  const identifiers = (list: typeof columns) =>
    sql.join(
      list.map(([, c]) => sql.identifier(c.name)),
      sql`, `,
    );
  const types = sql.join(
    inJson.map(([, c]) => sql`${sql.identifier(c.name)} ${sql.raw(c.getSQLType())}`),
    sql`, `,
  );
  // ROWS FROM zips the JSON's records with the split parameters, row by row in order.
  const split = apart.map(([key]) => sql`, unnest(string_to_array(${sql.placeholder(key)}::text, ${sql.raw(`'${SEPARATOR}'`)}))`);
  const statement = db
    .insert(table)
    .select(sql`SELECT ${identifiers(columns)} FROM ROWS FROM (jsonb_to_recordset(${sql.placeholder("rows")}::jsonb) AS (${types})${sql.join(split)})
      AS r(${identifiers([...inJson, ...apart])})`)
    .prepare(name);

  return (rows) => {
    const records = rows.map((row) => {
      const record: Record<string, unknown> = {};
      for (const [key, column] of inJson) {
        const value = (row as Record<string, unknown>)[key];
        // JSON columns travel as JSON; other values as the driver would send them (dates as ISO text, numerics as text).
        const json = column.columnType === "PgJsonb" || column.columnType === "PgJson";
        record[column.name] = value === null || value === undefined ? null : json ? value : column.mapToDriverValue(value);
      }
      return record;
    });
    const params: Record<string, string> = { rows: JSON.stringify(records) };
    for (const [key] of apart) params[key] = rows.map((row) => spaceFree(key, (row as Record<string, unknown>)[key])).join(SEPARATOR);
    return statement.execute(params);
  };
}

function spaceFree(column: string, value: unknown): string {
  if (typeof value !== "string" || value === "" || value.includes(SEPARATOR)) {
    throw new Error(`column ${column} is sent space-joined, so each value must be non-empty text without spaces`);
  }
  return value;
}
