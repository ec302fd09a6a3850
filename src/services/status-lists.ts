import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import type { AppDeps } from "../deps";
import {
  bitstringWith,
  buildStatusListCredential,
  encodeBitstring,
  positionOf,
  STATUS_LIST_SIZE,
  statusListUrl,
  type StatusPosition,
  type StatusPurpose,
} from "../domain/status-list";
import { ApiError } from "../http/problem";
import { MAX_DEPTH } from "./genealogy";
import { rowsOf } from "../db/rows";
import { failedLotIds } from "./lab-tests";
import { lotIdSet } from "./lot-sets";

// ── Allocation ────────────────────────────────────────────────────────────────────────────────────────────────

/** Must match the sequence's INCREMENT (migration 0011): each nextval reserves this many places for one process. */
export const STATUS_BLOCK = 64;

interface Block {
  next: number;
  end: number;
}

/**
 * Hands out status-list places. The database sequence reserves a block of 64 per round trip and never hands the
 * same block out twice (not even to another process, nor after a rollback), so issuing pays one query per 64
 * certificates. Places of a block left unused when a process stops stay zero bits for ever, which is harmless.
 */
export function createStatusAllocator(db: Database): () => Promise<StatusPosition> {
  let block: Block | null = null;
  let reserving: Promise<Block> | null = null;
  const reserve = async (): Promise<Block> => {
    const [row] = rowsOf<{ v: string | number }>(await db.execute(sql`SELECT nextval('status_list_sequence') AS v`));
    const start = Number(row!.v);
    return { next: start, end: start + STATUS_BLOCK };
  };
  return async () => {
    for (;;) {
      if (block !== null && block.next < block.end) return positionOf(block.next++);
      // Requests arriving together share one reservation.
      reserving ??= reserve().finally(() => {
        reserving = null;
      });
      const fresh = await reserving;
      if (block === null || block.next >= block.end) block = fresh;
    }
  };
}

const allocators = new WeakMap<Database, () => Promise<StatusPosition>>();

/** The place for a certificate about to be signed; its token carries it, and the INSERT that stores it claims it. */
export function allocateStatusPosition(db: Database): Promise<StatusPosition> {
  let allocate = allocators.get(db);
  if (allocate === undefined) {
    allocate = createStatusAllocator(db);
    allocators.set(db, allocate);
  }
  return allocate();
}

// ── Which bits are set ────────────────────────────────────────────────────────────────────────────────────────

/** Lists that hold at least one reserved place: 0 … (highest reserved place) / list size. */
async function listExists(db: Database, list: number): Promise<boolean> {
  const [row] = rowsOf<{ last_value: string | number; is_called: boolean }>(await db.execute(sql`SELECT last_value, is_called FROM status_list_sequence`));
  if (row === undefined || !row.is_called) return false;
  return list <= Math.floor(Number(row.last_value) / STATUS_LIST_SIZE);
}

/** Revocation bits: certificates voided (作废). A revocation is final, so the bit never clears. */
async function revokedIndexes(db: Database, list: number): Promise<number[]> {
  const rows = rowsOf<{ idx: number }>(
    await db.execute(sql`
      SELECT status_index AS idx FROM certificates WHERE status_list = ${list} AND status = 'revoked'`),
  );
  return rows.map((r) => Number(r.idx));
}

/**
 * Suspension bits: certificates whose lot, or a lot it was made from, is under an active recall or stands failed
 * (a failing test not cleared by a passing lab re-test). The walk goes down from those lots as far as verify walks
 * up from a certificate's lot (the genealogy depth cap), so the list and verify agree; lifting the recall or clearing the test clears the bit.
 */
async function suspendedIndexes(deps: AppDeps, list: number): Promise<number[]> {
  const candidates = rowsOf<{ lot_id: string }>(await deps.db.execute(sql`SELECT DISTINCT lot_id FROM lot_tests WHERE verdict = 'fail'`)).map((r) => r.lot_id);
  const failed = candidates.length === 0 ? [] : [...(await failedLotIds(deps, candidates)).keys()];
  const recalled = rowsOf<{ lot_id: string }>(await deps.db.execute(sql`SELECT DISTINCT lot_id FROM recalls WHERE status = 'active'`)).map((r) => r.lot_id);
  const roots = [...new Set([...failed, ...recalled])];
  if (roots.length === 0) return [];
  const rows = rowsOf<{ idx: number }>(
    await deps.db.execute(sql`
      WITH RECURSIVE down(lot_id, depth) AS (
        SELECT id, 0 FROM ${lotIdSet(roots)} AS s(id)
        UNION
        SELECT l.child_lot_id, d.depth + 1 FROM down d JOIN lot_links l ON l.parent_lot_id = d.lot_id WHERE d.depth < ${MAX_DEPTH}
      )
      SELECT status_index AS idx FROM certificates WHERE status_list = ${list} AND lot_id IN (SELECT lot_id FROM down)`),
  );
  return rows.map((r) => Number(r.idx));
}

export async function setIndexes(deps: AppDeps, purpose: StatusPurpose, list: number): Promise<number[]> {
  return purpose === "revocation" ? revokedIndexes(deps.db, list) : suspendedIndexes(deps, list);
}

// ── The list credential ───────────────────────────────────────────────────────────────────────────────────────

export interface StatusListDocument {
  credential: Record<string, unknown>;
  jwt: string;
}

/**
 * The BitstringStatusListCredential for one list as of now, signed by the service's key as vc+jwt. Computed from
 * the certificates' current state on each (uncached) request, so it cannot lag a change that was stored.
 */
export async function statusListCredential(deps: AppDeps, purpose: StatusPurpose, list: number): Promise<StatusListDocument | null> {
  if (deps.signer === undefined) throw new ApiError(503, "status-lists-unavailable", "Status lists are served by the origin server", "this node holds no signing key");
  if (!(await listExists(deps.db, list))) return null;
  const indexes = await setIndexes(deps, purpose, list);
  const now = deps.clock();
  const credential = buildStatusListCredential({
    url: statusListUrl(deps.publicUrl, purpose, list),
    issuer: deps.publicUrl,
    purpose,
    encodedList: await encodeBitstring(bitstringWith(indexes)),
    validFrom: now,
  });
  return { credential, jwt: await deps.signer.sign(credential, now) };
}

/** Every list credential in use, for clients that keep them all (the gate page's offline cache). */
export async function allStatusLists(deps: AppDeps): Promise<{ purpose: StatusPurpose; list: number; jwt: string }[]> {
  const [row] = rowsOf<{ last_value: string | number; is_called: boolean }>(await deps.db.execute(sql`SELECT last_value, is_called FROM status_list_sequence`));
  if (row === undefined || !row.is_called) return [];
  const out: { purpose: StatusPurpose; list: number; jwt: string }[] = [];
  for (let list = 0; list <= Math.floor(Number(row.last_value) / STATUS_LIST_SIZE); list++) {
    for (const purpose of ["revocation", "suspension"] as const) {
      const doc = await statusListCredential(deps, purpose, list);
      if (doc !== null) out.push({ purpose, list, jwt: doc.jwt });
    }
  }
  return out;
}
