import { createHash } from "node:crypto";
import type DataLoader from "dataloader";
import { LRUCache } from "lru-cache";
import { batchLoader, loaderFor } from "../db/batch";
import type { Database } from "../db/client";
import type { AppDeps } from "../deps";
import { parseLeaf } from "../domain/log/leaf";
import { formatVerifierKey, hashesEqual, hashLeaf, inclusionProofRanges, type NoteVerifierKey, verifyCheckpoint, verifyInclusion } from "../domain/merkle";
import { encodeBase64 } from "../domain/merkle/base64";
import { logIdentity } from "../signing/log-identity";
import { compromiseOf } from "./signing-keys";
import { checkpointCovering, issueLeafOf, rangeHashes, type StoredCheckpoint, type StoredLeaf } from "./transparency-log";
import type { VerifyReason } from "./verify";

/** Where a certificate stands in the transparency log, with what an outside verifier needs to check it. */
export interface LogEvidence {
  leafIndex: number;
  leafData: string;
  treeSize: number | null;
  inclusionProof: string[] | null;
  checkpoint: string | null;
}

const sha256Hex = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** Checkpoint notes whose signature was already checked, by key and text: a note is checked once, not on every scan. */
const verifiedNotes = new Map<string, Uint8Array>();

async function checkpointRoot(note: StoredCheckpoint, origin: string, key: NoteVerifierKey): Promise<Uint8Array | string> {
  const slot = `${formatVerifierKey(key)}\n${note.note}`;
  const known = verifiedNotes.get(slot);
  if (known !== undefined) return known;
  const checked = await verifyCheckpoint(note.note, origin, [key]);
  if (!checked.ok) return checked.message;
  if (checked.checkpoint.size !== note.size) return `the checkpoint says size ${checked.checkpoint.size}, stored as ${note.size}`;
  if (verifiedNotes.size > 64) verifiedNotes.clear();
  verifiedNotes.set(slot, checked.checkpoint.rootHash);
  return checked.checkpoint.rootHash;
}

/**
 * Leaves and proofs never change once written (the log is append-only), so each process keeps the ones it read
 * last: a scan of a popular certificate then costs no log query at all. Per database, bounded.
 */
const caches = new WeakMap<Database, { leaves: LRUCache<string, StoredLeaf>; proofs: LRUCache<string, Uint8Array[]> }>();

function cachesFor(db: Database) {
  let found = caches.get(db);
  if (found === undefined) {
    found = { leaves: new LRUCache({ max: 20_000 }), proofs: new LRUCache({ max: 20_000 }) };
    caches.set(db, found);
  }
  return found;
}

async function cachedIssueLeaf(db: Database, code: string): Promise<StoredLeaf | null> {
  const { leaves } = cachesFor(db);
  const known = leaves.get(code);
  if (known !== undefined) return known;
  const leaf = await issueLeafOf(db, code);
  if (leaf !== null) leaves.set(code, leaf);
  return leaf;
}

const proofLoaders = new WeakMap<Database, DataLoader<string, Uint8Array[]>>();

/** Inclusion proofs asked for in the same event-loop turn are read together: one statement for all their hashes. */
function loadProofs(db: Database, keys: readonly string[]): Promise<Uint8Array[][]> {
  const wanted = keys.map((key) => {
    const [index, size] = key.split("/").map(Number) as [number, number];
    return inclusionProofRanges(index, size);
  });
  return rangeHashes(db, wanted.flat()).then((hashes) => {
    let at = 0;
    return wanted.map((ranges) => hashes.slice(at, (at += ranges.length)));
  });
}

async function cachedProof(db: Database, index: number, size: number): Promise<Uint8Array[]> {
  const { proofs } = cachesFor(db);
  const key = `${index}/${size}`;
  const known = proofs.get(key);
  if (known !== undefined) return known;
  const proof = await loaderFor(proofLoaders, db, () => batchLoader<string, Uint8Array[]>((keys) => loadProofs(db, keys))).load(key);
  proofs.set(key, proof);
  return proof;
}

/** What is wrong with a leaf as the record of this certificate's issue, or null when it is that record. */
function leafProblem(leaf: StoredLeaf, row: { code: string; jwt: string; kid: string }): string | null {
  if (!hashesEqual(hashLeaf(new TextEncoder().encode(leaf.data)), leaf.leafHash)) return "the stored leaf does not match its hash";
  const parsed = parseLeaf(leaf.data);
  if (!parsed.ok) return `the leaf is unreadable: ${parsed.message}`;
  const { type, fields } = parsed.leaf;
  if (type !== "certificate.issued" || fields["certificate"] !== row.code) return "the leaf records something else";
  if (fields["kid"] !== row.kid) return "the certificate's key differs from the one logged at issue";
  if (fields["jwtSha256"] !== sha256Hex(row.jwt)) return "the certificate's token differs from the one logged at issue";
  return null;
}

/**
 * The certificate's issue leaf, an inclusion proof to the newest checkpoint covering it (signed on demand when none
 * does yet and this node holds the log key), and the reasons the log gives to distrust the certificate: no leaf, a
 * leaf that records another token, a proof that does not lead to the signed root, or a key compromised before the
 * leaf was written.
 */
export async function logEvidenceFor(
  deps: AppDeps,
  row: { code: string; jwt: string; kid: string },
  /** The issue leaf when the caller already read it (null: the log has none); read here when undefined. */
  issueLeaf?: StoredLeaf | null,
): Promise<{ log: LogEvidence | null; reasons: VerifyReason[] }> {
  const [leaf, compromise] = await Promise.all([issueLeaf !== undefined ? issueLeaf : cachedIssueLeaf(deps.db, row.code), compromiseOf(deps.db, row.kid)]);
  const reasons: VerifyReason[] = [];
  if (compromise !== null && (leaf === null || leaf.at.getTime() >= compromise.compromisedAt.getTime())) {
    reasons.push({
      code: "key_compromised",
      message: `the key that signed this certificate (${row.kid}) was compromised from ${compromise.compromisedAt.toISOString()}, and the certificate was logged ${leaf === null ? "never" : `at ${leaf.at.toISOString()}`}: ${compromise.reason}`,
      messageZh: "签发此合格证的密钥已被标记为泄露，此合格证在泄露之后签发",
      kid: row.kid,
      compromisedAt: compromise.compromisedAt.toISOString(),
    });
  }
  if (leaf === null) {
    reasons.push({ code: "log_missing", message: "the certificate's issue is not in the transparency log", messageZh: "透明日志中没有此合格证的签发记录" });
    return { log: null, reasons };
  }
  const problem = leafProblem(leaf, row);
  if (problem !== null) {
    reasons.push({ code: "log_mismatch", message: `the transparency log disagrees with the stored certificate: ${problem}`, messageZh: "透明日志记录与合格证不符", leafIndex: leaf.index });
  }
  const evidence: LogEvidence = { leafIndex: leaf.index, leafData: leaf.data, treeSize: null, inclusionProof: null, checkpoint: null };
  const [checkpoint, identity] = await Promise.all([checkpointCovering(deps, leaf.index), logIdentity(deps.db, deps.logSigner)]);
  if (checkpoint === null || identity === null) return { log: evidence, reasons };
  const proof = await cachedProof(deps.db, leaf.index, checkpoint.size);
  Object.assign(evidence, { treeSize: checkpoint.size, inclusionProof: proof.map(encodeBase64), checkpoint: checkpoint.note });
  const root = await checkpointRoot(checkpoint, identity.origin, identity.verifierKey);
  const check = typeof root === "string" ? { ok: false as const, message: root } : verifyInclusion(hashLeaf(new TextEncoder().encode(leaf.data)), leaf.index, checkpoint.size, proof, root);
  if (!check.ok) {
    reasons.push({ code: "log_proof_failed", message: `the log's proof for this certificate does not check out: ${check.message}`, messageZh: "透明日志证明校验失败", leafIndex: leaf.index });
  }
  return { log: evidence, reasons };
}
