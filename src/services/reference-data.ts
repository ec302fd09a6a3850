import { asc, desc, sql } from "drizzle-orm";
import { type Principal, requireRole } from "../auth/principal";
import type { Database } from "../db/client";
import { referenceVersions } from "../db/schema";
import type { AppDeps } from "../deps";
import { chinaDate } from "../domain/ids";
import type { ReferenceSet } from "../domain/production/reference";
import { SEED_REFERENCE } from "../domain/production/seed-reference";
import { validateReference } from "../domain/production/validate-reference";
import { problems } from "../http/problem";
import { UNIQUE_VIOLATION, pgError } from "../db/errors";

export type ReferenceVersionRow = typeof referenceVersions.$inferSelect;
export type ReferenceSource = ReferenceVersionRow["source"];

export const EDITORS = ["admin", "regulator"] as const;
const READERS = ["admin", "regulator", "producer", "buyer", "market", "lab"] as const;

/** Stores the shipped reference set as the first version when there is none; safe when several processes start. */
export async function ensureReferenceSeeded(deps: Pick<AppDeps, "db" | "clock">): Promise<void> {
  const [any] = await deps.db.select({ seq: referenceVersions.seq }).from(referenceVersions).limit(1);
  if (any !== undefined) return;
  await deps.db
    .insert(referenceVersions)
    .values({ version: SEED_REFERENCE.version, effectiveFrom: SEED_REFERENCE.effectiveFrom, document: SEED_REFERENCE, source: "seed", createdAt: deps.clock() })
    .onConflictDoNothing();
}

/**
 * Versions are immutable, so the document is parsed once per process and database and then found by its sequence
 * number: issuing pays for one indexed lookup, not for reading the whole set.
 */
const cache = new WeakMap<Database, { seq: number; version: ReferenceVersionRow }>();

/**
 * The set governing new certificates today: the newest version already in effect (China date), or, when every
 * version starts later, the newest one. With no stored version the shipped set applies.
 */
export async function currentReference(deps: Pick<AppDeps, "db" | "clock">): Promise<ReferenceSet> {
  return (await currentVersion(deps))?.document ?? SEED_REFERENCE;
}

async function currentVersion(deps: Pick<AppDeps, "db" | "clock">): Promise<ReferenceVersionRow | null> {
  const today = chinaDate(deps.clock());
  const [head] = await deps.db
    .select({ seq: referenceVersions.seq })
    .from(referenceVersions)
    .orderBy(desc(sql`${referenceVersions.effectiveFrom} <= ${today}`), desc(referenceVersions.seq))
    .limit(1);
  if (head === undefined) return null;
  const cached = cache.get(deps.db);
  if (cached?.seq === head.seq) return cached.version;
  const [row] = await deps.db.select().from(referenceVersions).where(sql`${referenceVersions.seq} = ${head.seq}`);
  if (row === undefined) return null;
  cache.set(deps.db, { seq: row.seq, version: row });
  return row;
}

export async function getCurrentReference(deps: AppDeps, principal: Principal | null): Promise<ReferenceVersionRow> {
  requireRole(principal, READERS);
  const row = await currentVersion(deps);
  if (row === null) throw problems.notFound("reference data");
  return row;
}

export async function listReferenceVersions(deps: AppDeps, principal: Principal | null) {
  requireRole(principal, READERS);
  return deps.db
    .select({
      seq: referenceVersions.seq,
      version: referenceVersions.version,
      effectiveFrom: referenceVersions.effectiveFrom,
      source: referenceVersions.source,
      note: referenceVersions.note,
      createdBy: referenceVersions.createdBy,
      createdAt: referenceVersions.createdAt,
    })
    .from(referenceVersions)
    .orderBy(asc(referenceVersions.seq));
}

/** Stores a new version after the consistency checks; a typo in a crop or ingredient would silently disable a rule. */
export async function publishReference(
  deps: AppDeps,
  principal: Principal | null,
  document: ReferenceSet,
  source: ReferenceSource,
  note: string | null,
): Promise<ReferenceVersionRow> {
  const p = requireRole(principal, EDITORS);
  const found = validateReference(document);
  if (found.length > 0) throw problems.validation(found.map((f) => ({ path: `document.${f.path}`, message: f.message })));
  try {
    const [row] = await deps.db
      .insert(referenceVersions)
      .values({ version: document.version, effectiveFrom: document.effectiveFrom, document, source, note, createdBy: p.keyId, createdAt: deps.clock() })
      .returning();
    return row!;
  } catch (err) {
    if (pgError(err)?.code === UNIQUE_VIOLATION) throw problems.conflict("reference-version-exists", `version ${document.version} already exists; name the new one differently`);
    throw err;
  }
}

export function referenceView(row: ReferenceVersionRow) {
  return {
    seq: row.seq,
    version: row.version,
    effectiveFrom: row.effectiveFrom,
    source: row.source,
    note: row.note,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    document: row.document,
  };
}
