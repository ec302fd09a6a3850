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
  forgetCatalogue(deps.db);
}

/**
 * Versions are immutable and new ones are rare (a regulator publishes a few a year), so each process keeps, per
 * database, the list of versions with their start dates and the documents it has parsed. Which version governs
 * today is then worked out without a query. A publish through this process drops the list at once; one made by
 * another process is seen within CATALOGUE_TTL_MS.
 */
const CATALOGUE_TTL_MS = 5_000;

interface Catalogue {
  /** performance.now() after which the list is read again. */
  expires: number;
  /** Every stored version, newest sequence first. */
  heads: { seq: number; effectiveFrom: string }[];
}

const catalogues = new WeakMap<Database, Promise<Catalogue>>();
const documents = new WeakMap<Database, Map<number, Promise<ReferenceVersionRow | undefined>>>();

function catalogue(db: Database): Promise<Catalogue> {
  const cached = catalogues.get(db);
  if (cached !== undefined) {
    // A failed read is not kept: the next request tries again.
    return cached.then((c) => (c.expires > performance.now() ? c : refreshCatalogue(db, cached)), () => refreshCatalogue(db, cached));
  }
  return refreshCatalogue(db, undefined);
}

/** Concurrent requests that find the list stale share one read of it. */
function refreshCatalogue(db: Database, stale: Promise<Catalogue> | undefined): Promise<Catalogue> {
  const current = catalogues.get(db);
  if (current !== undefined && current !== stale) return current;
  const read = db
    .select({ seq: referenceVersions.seq, effectiveFrom: referenceVersions.effectiveFrom })
    .from(referenceVersions)
    .orderBy(desc(referenceVersions.seq))
    .then((heads) => ({ expires: performance.now() + CATALOGUE_TTL_MS, heads }));
  catalogues.set(db, read);
  read.catch(() => catalogues.get(db) === read && catalogues.delete(db));
  return read;
}

function forgetCatalogue(db: Database) {
  catalogues.delete(db);
}

function versionRow(db: Database, seq: number): Promise<ReferenceVersionRow | undefined> {
  let bySeq = documents.get(db);
  if (bySeq === undefined) documents.set(db, (bySeq = new Map()));
  let row = bySeq.get(seq);
  if (row === undefined) {
    row = db
      .select()
      .from(referenceVersions)
      .where(sql`${referenceVersions.seq} = ${seq}`)
      .then(([r]) => r);
    bySeq.set(seq, row);
    const pending = row;
    row.catch(() => bySeq.get(seq) === pending && bySeq.delete(seq));
  }
  return row;
}

/**
 * The set governing new certificates today: the newest version already in effect (China date), or, when every
 * version starts later, the newest one. With no stored version the shipped set applies.
 */
export async function currentReference(deps: Pick<AppDeps, "db" | "clock">): Promise<ReferenceSet> {
  return (await currentVersion(deps))?.document ?? SEED_REFERENCE;
}

async function currentVersion(deps: Pick<AppDeps, "db" | "clock">): Promise<ReferenceVersionRow | null> {
  const today = chinaDate(deps.clock());
  const { heads } = await catalogue(deps.db);
  // Dates are "YYYY-MM-DD", so string order is date order.
  const head = heads.find((h) => h.effectiveFrom <= today) ?? heads[0];
  if (head === undefined) return null;
  return (await versionRow(deps.db, head.seq)) ?? null;
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
    forgetCatalogue(deps.db);
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
