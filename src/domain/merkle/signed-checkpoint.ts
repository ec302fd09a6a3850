import { type Checkpoint, type CheckpointProblem, formatCheckpoint, parseCheckpoint } from "./checkpoint";
import type { NoteSigner } from "./note-signer";
import type { NoteVerifierKey } from "./note-verifier-key";
import { type NoteProblem, signNote, verifyNote } from "./signed-note";

export type CheckpointVerification =
  | { ok: true; checkpoint: Checkpoint; verifiedBy: readonly NoteVerifierKey[] }
  | { ok: false; problem: NoteProblem | CheckpointProblem | "wrong_origin"; message: string };

/** The checkpoint as a signed note, ready to publish. */
export function signCheckpoint(checkpoint: Checkpoint, signers: readonly NoteSigner[]): Promise<string> {
  return signNote(formatCheckpoint(checkpoint), signers);
}

/** Verifies the signatures first, then parses, and insists on the expected log so one log's head cannot pass for another's. */
export async function verifyCheckpoint(
  note: string,
  origin: string,
  verifiers: readonly NoteVerifierKey[],
): Promise<CheckpointVerification> {
  const verified = await verifyNote(note, verifiers);
  if (!verified.ok) return verified;
  const parsed = parseCheckpoint(verified.text);
  if (!parsed.ok) return parsed;
  if (parsed.checkpoint.origin !== origin) {
    return { ok: false, problem: "wrong_origin", message: `checkpoint is for "${parsed.checkpoint.origin}", expected "${origin}"` };
  }
  return { ok: true, checkpoint: parsed.checkpoint, verifiedBy: verified.verifiedBy };
}
