import { emptyTreeRoot, hashChildren, hashesEqual, isMerkleHash, type MerkleHash } from "./hash";
import { type HashSource, type LeafRange, rangeHash } from "./hash-source";
import { PROOF_OK, type ProofCheck, proofFailure } from "./proof-check";
import { assertCount, half, isOdd, isPowerOfTwo, largestPowerOfTwoBelow } from "./tree-shape";

/**
 * The subtrees whose hashes make up PROOF(oldSize, D[newSize]) of RFC 9162 §2.1.4.1, deepest first.
 * Empty when oldSize is 0 or equals newSize: every tree extends the empty tree and itself.
 */
export function consistencyProofRanges(oldSize: number, newSize: number): LeafRange[] {
  assertCount(oldSize, "old tree size");
  assertCount(newSize, "new tree size");
  if (oldSize > newSize) throw new RangeError(`a tree of ${oldSize} cannot be a prefix of one of ${newSize}`);
  if (oldSize === 0 || oldSize === newSize) return [];
  const fromRoot: LeafRange[] = [];
  let start = 0;
  let width = newSize;
  let old = oldSize;
  // SUBPROOF's flag b: while the old tree is still a whole left subtree, its root is known to the verifier and is left out.
  let oldIsWholeSubtree = true;
  while (old !== width) {
    const k = largestPowerOfTwoBelow(width);
    if (old <= k) {
      fromRoot.push({ start: start + k, size: width - k });
      width = k;
    } else {
      fromRoot.push({ start, size: k });
      start += k;
      old -= k;
      width -= k;
      oldIsWholeSubtree = false;
    }
  }
  if (!oldIsWholeSubtree) fromRoot.push({ start, size: width });
  return fromRoot.reverse();
}

/** The proof that the tree of the first `oldSize` entries is a prefix of the tree of the first `newSize`. */
export async function consistencyProof(oldSize: number, newSize: number, source: HashSource): Promise<MerkleHash[]> {
  return Promise.all(consistencyProofRanges(oldSize, newSize).map((range) => rangeHash(source, range)));
}

/**
 * Checks a consistency proof, following RFC 9162 §2.1.4.2. Beyond the RFC's algorithm (which assumes
 * 0 < oldSize < newSize): equal sizes need an empty proof and equal roots, and an old size of 0 needs an
 * empty proof and an old root that really is the empty tree's.
 */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  proof: readonly MerkleHash[],
  oldRoot: MerkleHash,
  newRoot: MerkleHash,
): ProofCheck {
  if (!Number.isSafeInteger(oldSize) || !Number.isSafeInteger(newSize) || oldSize < 0 || oldSize > newSize) {
    return proofFailure("bad_size", `a tree of ${oldSize} cannot be a prefix of one of ${newSize}`);
  }
  if (!isMerkleHash(oldRoot) || !isMerkleHash(newRoot) || !proof.every(isMerkleHash)) {
    return proofFailure("bad_hash_length", "roots and every proof element must be 32 bytes");
  }
  const expected = consistencyProofRanges(oldSize, newSize).length;
  if (proof.length !== expected) {
    return proofFailure("proof_length", `a proof from ${oldSize} to ${newSize} has ${expected} hashes, got ${proof.length}`);
  }
  if (oldSize === 0) {
    return hashesEqual(oldRoot, emptyTreeRoot())
      ? PROOF_OK
      : proofFailure("root_mismatch", "the old root is not the root of the empty tree");
  }
  if (oldSize === newSize) {
    return hashesEqual(oldRoot, newRoot) ? PROOF_OK : proofFailure("root_mismatch", `two roots for the same size ${oldSize} differ`);
  }
  // When the old tree is a complete subtree its root is the proof's implicit first element.
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : [...proof];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  const [first, ...rest] = path;
  // Never empty once the length matched (0 < oldSize < newSize); the check only narrows the type.
  if (first === undefined) return proofFailure("proof_length", "the proof is empty");
  let fr = first;
  let sr = first;
  for (const c of rest) {
    if (isOdd(fn) || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (!hashesEqual(fr, oldRoot)) return proofFailure("root_mismatch", `the proof does not lead to the given root of ${oldSize}`);
  if (!hashesEqual(sr, newRoot)) return proofFailure("root_mismatch", `the proof does not lead to the given root of ${newSize}`);
  return PROOF_OK;
}
