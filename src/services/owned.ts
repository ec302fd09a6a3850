import { and, asc, eq, gt, like, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { type Principal, requireRole } from "../auth/principal";
import type { AppDeps } from "../deps";
import { regionPrefix, regionCovers } from "../domain/region";
import { parties } from "../db/schema";
import { problems } from "../http/problem";
import { toPage } from "../http/pagination";

/** A table whose rows belong to one party: sites, products, lots, certificates. */
interface OwnedTable {
  table: PgTable;
  id: PgColumn;
  partyId: PgColumn;
}

const READERS = ["admin", "regulator", "producer", "buyer", "market", "lab"] as const;

/**
 * Loads a party-owned row the viewer may read: the owner, admins, regulators over the owner's region. Anyone else
 * gets the same 404 as for an id that does not exist.
 */
export async function loadOwned<T>(deps: AppDeps, principal: Principal | null, owned: OwnedTable, id: string, what: string): Promise<T> {
  const p = requireRole(principal, READERS);
  const rows = await deps.db
    .select({ row: owned.table, regionCode: parties.regionCode })
    .from(owned.table)
    .innerJoin(parties, eq(parties.id, owned.partyId))
    .where(eq(owned.id, id))
    .limit(1);
  const found = rows[0] as { row: T & { partyId: string }; regionCode: string } | undefined;
  if (found === undefined) throw problems.notFound(`${what} ${id}`);
  const visible =
    p.role === "admin" ||
    p.partyId === found.row.partyId ||
    (p.role === "regulator" && p.regionCode !== null && regionCovers(p.regionCode, found.regionCode));
  if (!visible) throw problems.notFound(`${what} ${id}`);
  return found.row;
}

/** One page of a party's own rows, or for a regulator of every party in its region. */
export async function listOwned<T extends { id: string }>(
  deps: AppDeps,
  principal: Principal | null,
  owned: OwnedTable,
  q: { limit: number; cursor?: string | undefined },
  extra: SQL[] = [],
) {
  const p = requireRole(principal, READERS);
  const where: SQL[] = [...extra];
  if (q.cursor !== undefined) where.push(gt(owned.id, q.cursor));
  if (p.role === "regulator") where.push(like(parties.regionCode, `${regionPrefix(p.regionCode ?? "")}%`));
  else if (p.role !== "admin") where.push(eq(owned.partyId, p.partyId ?? ""));
  const rows = await deps.db
    .select({ row: owned.table })
    .from(owned.table)
    .innerJoin(parties, eq(parties.id, owned.partyId))
    .where(and(...where))
    .orderBy(asc(owned.id))
    .limit(q.limit + 1);
  return toPage(rows.map((r) => r.row as T), q.limit);
}
