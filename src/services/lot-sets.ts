import { type SQL, sql } from "drizzle-orm";

/**
 * A set of lot ids as one SQL parameter. Drizzle spreads a JS array into one parameter per element, and a hub
 * lot's 30,000 descendants would pass the protocol's 65,535-parameter limit; one comma-joined text parameter
 * unnested on the server works on PGlite and PostgreSQL alike (ids never contain commas).
 */
export function lotIdSet(ids: readonly string[]): SQL {
  return sql`(SELECT unnest(string_to_array(${ids.join(",")}::text, ',')))`;
}
