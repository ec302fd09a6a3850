import { parseLeaf } from "../domain/log/leaf";
import {
  appendLeaf,
  emptyFrontier,
  type Frontier,
  frontierRoot,
  hashesEqual,
  hashLeaf,
  parseVerifierKey,
  verifyCheckpoint,
  verifyConsistency,
} from "../domain/merkle";
import { decodeBase64, encodeBase64 } from "../domain/merkle/base64";
import { type Fetch, FetchError, getJson, getText } from "./http";

/** What a monitor remembers between runs: the log it follows, the last checkpoint it accepted, and the tree's edge. */
export interface MonitorState {
  origin: string;
  verifierKey: string;
  size: number;
  rootHash: string;
  checkpoint: string;
  /** The right edge of the tree re-derived from the leaves (base64 hashes), when leaves are followed. */
  frontier?: { size: number; hashes: string[] };
}

export interface MonitorRun {
  ok: boolean;
  /** One line per thing checked or found wrong, for people. */
  report: string[];
  /** The state to keep: advanced when the run was clean, the old one otherwise (a fork is never accepted). */
  state: MonitorState | null;
}

export interface MonitorOptions {
  baseUrl: string;
  fetch: Fetch;
  state: MonitorState | null;
  /** The log key to trust on a first run; later runs trust the key kept in the state. */
  logKey?: string;
  /** Fetch the new leaves, check each one's hash and format, and re-derive the root from them. */
  leaves?: boolean;
}

const LEAVES_PAGE = 1000;

function bytesOf(text: string): Uint8Array {
  const bytes = decodeBase64(text);
  if (bytes === undefined) throw new FetchError(`not standard base64: ${text.slice(0, 60)}`);
  return bytes;
}

async function followLeaves(
  options: MonitorOptions,
  from: Frontier,
  size: number,
  report: string[],
): Promise<{ frontier: Frontier; problems: string[] }> {
  let frontier = from;
  const problems: string[] = [];
  while (frontier.size < size) {
    const end = Math.min(size, frontier.size + LEAVES_PAGE);
    const page = await getJson<{ leaves: { index: number; data: string; leafHash: string }[] }>(
      options.fetch,
      `${options.baseUrl}/v1/log/leaves?start=${frontier.size}&end=${end}`,
    );
    if (page.leaves.length !== end - frontier.size) {
      problems.push(`the log served ${page.leaves.length} leaves for [${frontier.size}, ${end}), expected ${end - frontier.size}`);
      return { frontier, problems };
    }
    for (const leaf of page.leaves) {
      if (leaf.index !== frontier.size) {
        problems.push(`leaf ${frontier.size} came back as index ${leaf.index}`);
        return { frontier, problems };
      }
      const hash = hashLeaf(new TextEncoder().encode(leaf.data));
      if (!hashesEqual(hash, bytesOf(leaf.leafHash))) problems.push(`leaf ${leaf.index}: its data does not hash to the leaf hash served with it`);
      const parsed = parseLeaf(leaf.data);
      if (!parsed.ok) problems.push(`leaf ${leaf.index}: ${parsed.message}`);
      frontier = appendLeaf(frontier, hash).frontier;
    }
  }
  report.push(`re-derived the tree from ${size - from.size} new leaves`);
  return { frontier, problems };
}

/**
 * One round of watching the log: fetch the newest checkpoint, check its signature with the trusted key, check that
 * it extends the checkpoint accepted last time (consistency proof; same size means same root), and optionally
 * re-derive its root from the leaves. Any failure is a finding and the state is not advanced.
 */
export async function monitorOnce(options: MonitorOptions): Promise<MonitorRun> {
  const report: string[] = [];
  const fail = (finding: string): MonitorRun => ({ ok: false, report: [...report, `FAIL ${finding}`], state: options.state });
  try {
    const keyText = options.state?.verifierKey ?? options.logKey ?? (await getText(options.fetch, `${options.baseUrl}/v1/log/key`)).trim();
    const parsedKey = parseVerifierKey(keyText);
    if (!parsedKey.ok) return fail(`the log key ${keyText} is unusable: ${parsedKey.message}`);
    const key = parsedKey.key;
    if (options.state === null && options.logKey === undefined) report.push(`trusting the log key the service publishes on first use: ${keyText}`);
    const origin = options.state?.origin ?? key.keyName;

    const note = await getText(options.fetch, `${options.baseUrl}/v1/log/checkpoint`);
    const verified = await verifyCheckpoint(note, origin, [key]);
    if (!verified.ok) return fail(`the checkpoint does not verify with the log key (${verified.problem}): ${verified.message}`);
    const { size, rootHash } = verified.checkpoint;
    report.push(`checkpoint ${origin} size ${size} root ${encodeBase64(rootHash)}: signature ok`);

    const previous = options.state;
    if (previous !== null) {
      const oldRoot = bytesOf(previous.rootHash);
      if (size < previous.size) return fail(`fork: the log shrank from ${previous.size} to ${size} leaves`);
      if (size === previous.size) {
        if (!hashesEqual(oldRoot, rootHash)) return fail(`fork: two signed checkpoints of size ${size} with different roots`);
        report.push(`unchanged since the last run (size ${size})`);
      } else {
        const answer = await getJson<{ consistencyProof: string[] }>(options.fetch, `${options.baseUrl}/v1/log/proof/consistency?from=${previous.size}&to=${size}`);
        const check = verifyConsistency(previous.size, size, answer.consistencyProof.map(bytesOf), oldRoot, rootHash);
        if (!check.ok) return fail(`fork: the checkpoint of size ${size} is not an extension of the one of size ${previous.size} seen before (${check.message})`);
        report.push(`consistent with the previous checkpoint (size ${previous.size})`);
      }
    }

    let frontier: MonitorState["frontier"];
    if (options.leaves === true) {
      const start: Frontier =
        previous?.frontier === undefined ? emptyFrontier() : { size: previous.frontier.size, hashes: previous.frontier.hashes.map(bytesOf) };
      if (start.size > size) return fail(`fork: the leaves followed so far (${start.size}) are more than the checkpoint's size ${size}`);
      const followed = await followLeaves(options, start, size, report);
      if (followed.problems.length > 0) return fail(followed.problems.join("; "));
      if (!hashesEqual(frontierRoot(followed.frontier), rootHash)) return fail(`the leaves served do not hash to the signed root of size ${size}`);
      report.push(`the leaves hash to the signed root`);
      frontier = { size: followed.frontier.size, hashes: followed.frontier.hashes.map(encodeBase64) };
    }

    const state: MonitorState = { origin, verifierKey: keyText, size, rootHash: encodeBase64(rootHash), checkpoint: note, ...(frontier === undefined ? {} : { frontier }) };
    return { ok: true, report, state };
  } catch (err) {
    if (err instanceof FetchError) return fail(err.message);
    throw err;
  }
}
