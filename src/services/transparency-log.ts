import { and, asc, desc, eq, gte, lt, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { logCheckpoints, logHead, logLeaves } from "../db/schema";
import type { AppDeps } from "../deps";
import {
  consistencyProofRanges,
  emptyTreeRoot,
  inclusionProofRanges,
  type LeafRange,
  type MerkleHash,
  rangeHash,
  signCheckpoint,
} from "../domain/merkle";
import { fetchedHashSource, subtreesNeeded } from "../domain/merkle/subtree-cover";
import { rowsOf } from "../db/rows";

/** A leaf as stored: its index, the exact bytes that were hashed (UTF-8 JSON text) and its hash. */
export interface StoredLeaf {
  index: number;
  type: string;
  data: string;
  leafHash: Uint8Array;
  at: Date;
}

export interface StoredCheckpoint {
  size: number;
  rootHash: Uint8Array;
  note: string;
}

function bytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  // Raw SQL results of bytea columns come back as text on some drivers ('\x…').
  if (typeof value === "string" && value.startsWith("\\x")) return new Uint8Array(Buffer.from(value.slice(2), "hex"));
  throw new TypeError("expected bytea");
}

export async function logSize(db: Database): Promise<number> {
  const [head] = await db.select({ size: logHead.size }).from(logHead).where(eq(logHead.id, 1));
  return head?.size ?? 0;
}

/**
 * The hashes of `ranges` (each a node of some tree), read in one statement: each range splits into at most
 * log2(n) complete subtrees, kept as leaf hashes (size 1) or log_nodes rows (larger), fetched together and hashed
 * here. A proof for a log of millions of leaves is then one round trip and a few dozen SHA-256s.
 */
export async function rangeHashes(db: Database, ranges: readonly LeafRange[]): Promise<MerkleHash[]> {
  if (ranges.length === 0) return [];
  const needed = subtreesNeeded(ranges);
  const leafIndexes = needed.filter((r) => r.size === 1).map((r) => r.start);
  const nodes = needed.filter((r) => r.size > 1);
  const levels = nodes.map((r) => Math.log2(r.size));
  const positions = nodes.map((r) => r.start / r.size);
  const result = await db.execute(sql`
    SELECT level::int AS level, position::text AS position, hash FROM log_nodes
    WHERE (level, position) IN (SELECT * FROM unnest(${`{${levels.join(",")}}`}::smallint[], ${`{${positions.join(",")}}`}::bigint[]))
    UNION ALL
    SELECT 0, idx::text, leaf_hash FROM log_leaves WHERE idx = ANY(${`{${leafIndexes.join(",")}}`}::bigint[])`);
  const fetched = new Map<string, MerkleHash>();
  for (const row of rowsOf<{ level: number; position: string; hash: unknown }>(result)) {
    const size = 2 ** Number(row.level);
    fetched.set(`${Number(row.position) * size}/${size}`, bytes(row.hash));
  }
  const source = fetchedHashSource(fetched);
  return Promise.all(ranges.map((range) => rangeHash(source, range)));
}

/** The root of the first `size` leaves: one hash per complete subtree of the tree's right edge. */
export async function rootAt(db: Database, size: number): Promise<MerkleHash> {
  if (size === 0) return emptyTreeRoot();
  const [root] = await rangeHashes(db, [{ start: 0, size }]);
  return root!;
}

export async function inclusionProofAt(db: Database, index: number, size: number): Promise<MerkleHash[]> {
  return rangeHashes(db, inclusionProofRanges(index, size));
}

export async function consistencyProofBetween(db: Database, from: number, to: number): Promise<MerkleHash[]> {
  return rangeHashes(db, consistencyProofRanges(from, to));
}

function storedLeaf(row: typeof logLeaves.$inferSelect): StoredLeaf {
  return { index: row.idx, type: row.type, data: row.data, leafHash: bytes(row.leafHash), at: row.at };
}

export async function leafAt(db: Database, index: number): Promise<StoredLeaf | null> {
  const [row] = await db.select().from(logLeaves).where(eq(logLeaves.idx, index));
  return row === undefined ? null : storedLeaf(row);
}

/** The leaf recording a certificate's issue. */
export async function issueLeafOf(db: Database, code: string): Promise<StoredLeaf | null> {
  const [row] = await db
    .select()
    .from(logLeaves)
    .where(and(eq(logLeaves.certificateCode, code), eq(logLeaves.type, "certificate.issued")))
    .orderBy(asc(logLeaves.idx))
    .limit(1);
  return row === undefined ? null : storedLeaf(row);
}

export async function leavesBetween(db: Database, start: number, end: number): Promise<StoredLeaf[]> {
  const found = await db
    .select()
    .from(logLeaves)
    .where(and(gte(logLeaves.idx, start), lt(logLeaves.idx, end)))
    .orderBy(asc(logLeaves.idx));
  return found.map(storedLeaf);
}

export async function latestCheckpoint(db: Database): Promise<StoredCheckpoint | null> {
  const [row] = await db.select().from(logCheckpoints).orderBy(desc(logCheckpoints.size)).limit(1);
  return row === undefined ? null : { size: row.size, rootHash: bytes(row.rootHash), note: row.note };
}

export async function checkpointOfSize(db: Database, size: number): Promise<StoredCheckpoint | null> {
  const [row] = await db.select().from(logCheckpoints).where(eq(logCheckpoints.size, size));
  return row === undefined ? null : { size: row.size, rootHash: bytes(row.rootHash), note: row.note };
}

const publishing = new WeakMap<Database, Promise<StoredCheckpoint | null>>();

/**
 * Signs a checkpoint for the log as it stands, unless the newest one already has its size. Calls that arrive while
 * one is being signed share it. Null where no log key is held (the edge) and nothing was published yet.
 */
export function publishCheckpoint(deps: Pick<AppDeps, "db" | "logSigner" | "clock">): Promise<StoredCheckpoint | null> {
  const running = publishing.get(deps.db);
  if (running !== undefined) return running;
  const work = (async () => {
    const [size, latest] = await Promise.all([logSize(deps.db), latestCheckpoint(deps.db)]);
    if (deps.logSigner === undefined || (latest !== null && latest.size >= size)) return latest;
    const rootHash = await rootAt(deps.db, size);
    const note = await signCheckpoint({ origin: deps.logSigner.origin, size, rootHash, extensions: [] }, [deps.logSigner.noteSigner]);
    // Ed25519 signatures are deterministic: two processes signing the same size write the same note.
    await deps.db.insert(logCheckpoints).values({ size, rootHash, note, signedAt: deps.clock() }).onConflictDoNothing();
    return { size, rootHash, note };
  })().finally(() => publishing.delete(deps.db));
  publishing.set(deps.db, work);
  return work;
}

/**
 * The newest checkpoint read in the last few seconds, per database. Every scan verifies, and any signed checkpoint
 * that covers the leaf proves it: one a few seconds old is as good as the newest and costs no query.
 */
const recentCheckpoints = new WeakMap<Database, { checkpoint: StoredCheckpoint; readAt: number }>();
const RECENT_CHECKPOINT_MS = 5_000;

/** The newest checkpoint covering leaf `index`, signing a fresh one on demand when none does yet and a log key is held. */
export async function checkpointCovering(deps: Pick<AppDeps, "db" | "logSigner" | "clock">, index: number): Promise<StoredCheckpoint | null> {
  const recent = recentCheckpoints.get(deps.db);
  if (recent !== undefined && recent.checkpoint.size > index && performance.now() - recent.readAt < RECENT_CHECKPOINT_MS) return recent.checkpoint;
  const latest = await latestCheckpoint(deps.db);
  const found = latest !== null && latest.size > index ? latest : await publishCheckpoint(deps);
  if (found === null || found.size <= index) return null;
  recentCheckpoints.set(deps.db, { checkpoint: found, readAt: performance.now() });
  return found;
}

/** Calls `run` every `ms` until stopped; the timer does not keep the process alive. */
export type Every = (run: () => Promise<unknown>, ms: number) => () => void;

const everyWithTimer: Every = (run, ms) => {
  const timer = setInterval(() => void run(), ms);
  timer.unref();
  return () => clearInterval(timer);
};

/** Publishes a checkpoint every `intervalMs` when the log has grown; returns a stop function. */
export function scheduleCheckpoints(
  deps: Pick<AppDeps, "db" | "logSigner" | "clock">,
  intervalMs: number,
  onError: (err: unknown) => void,
  every: Every = everyWithTimer,
): () => void {
  return every(() => publishCheckpoint(deps).catch(onError), intervalMs);
}
