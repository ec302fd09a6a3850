/** Why a proof failed: callers report these to people, so each names one specific fault. */
export type ProofProblem =
  /** The sizes or index cannot describe a proof (index past the tree, old tree bigger than the new one). */
  | "bad_size"
  /** A leaf hash, root or proof element is not 32 bytes. */
  | "bad_hash_length"
  /** The proof has more or fewer hashes than the sizes call for. */
  | "proof_length"
  /** The proof recomputes a different root than the one given. */
  | "root_mismatch";

export type ProofCheck = { ok: true } | { ok: false; problem: ProofProblem; message: string };

export const PROOF_OK: ProofCheck = Object.freeze({ ok: true });

export function proofFailure(problem: ProofProblem, message: string): ProofCheck {
  return { ok: false, problem, message };
}
