// The transparency log's pure core: RFC 9162 Merkle trees and proofs, C2SP checkpoints and signed notes.
export { emptyTreeRoot, hashChildren, hashLeaf, hashesEqual, HASH_SIZE, type MerkleHash } from "./hash";
export { type HashSource, type LeafRange, memoryHashSource, merkleRoot, rangeHash } from "./hash-source";
export type { ProofCheck, ProofProblem } from "./proof-check";
export { inclusionProof, inclusionProofRanges, verifyInclusion } from "./inclusion-proof";
export { consistencyProof, consistencyProofRanges, verifyConsistency } from "./consistency-proof";
export { appendLeaf, type CompletedSubtree, emptyFrontier, type Frontier, frontierRanges, frontierRoot, loadFrontier } from "./frontier";
export { type Checkpoint, type CheckpointParse, type CheckpointProblem, formatCheckpoint, parseCheckpoint } from "./checkpoint";
export {
  ed25519VerifierKey,
  formatVerifierKey,
  type NoteVerifierKey,
  noteKeyId,
  parseVerifierKey,
  type VerifierKeyParse,
  type VerifierKeyProblem,
} from "./note-verifier-key";
export { createEd25519NoteSigner, type NoteSigner } from "./note-signer";
export {
  formatSignedNote,
  MAX_NOTE_SIGNATURES,
  type NoteParse,
  type NoteProblem,
  type NoteSignature,
  type NoteVerification,
  parseSignedNote,
  type SignedNote,
  signNote,
  verifyNote,
} from "./signed-note";
export { type CheckpointVerification, signCheckpoint, verifyCheckpoint } from "./signed-checkpoint";
