import { hashChildren, hashesEqual, isMerkleHash, type MerkleHash } from "./hash";
import { type HashSource, type LeafRange, rangeHash } from "./hash-source";
import { PROOF_OK, type ProofCheck, proofFailure } from "./proof-check";
import { assertCount, half, isOdd, largestPowerOfTwoBelow } from "./tree-shape";

/**
 * The subtrees whose hashes make up PATH(index, D[size]) of RFC 9162 §2.1.3.1, leaf side first.
 * Pure, so a store can fetch all of them in one query before hashing.
 */
export function inclusionProofRanges(index: number, size: number): LeafRange[] {
  assertCount(index, "leaf index");
  assertCount(size, "tree size");
  if (index >= size) throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
  const fromRoot: LeafRange[] = [];
  let start = 0;
  let width = size;
  let offset = index;
  while (width > 1) {
    const k = largestPowerOfTwoBelow(width);
    if (offset < k) {
      fromRoot.push({ start: start + k, size: width - k });
      width = k;
    } else {
      fromRoot.push({ start, size: k });
      start += k;
      offset -= k;
      width -= k;
    }
  }
  return fromRoot.reverse();
}

/** The audit path proving that entry `index` is in the tree of the first `size` entries. */
export async function inclusionProof(index: number, size: number, source: HashSource): Promise<MerkleHash[]> {
  return Promise.all(inclusionProofRanges(index, size).map((range) => rangeHash(source, range)));
}

/** Checks an audit path against a root, following RFC 9162 §2.1.3.2. */
export function verifyInclusion(
  leafHash: MerkleHash,
  index: number,
  size: number,
  proof: readonly MerkleHash[],
  root: MerkleHash,
): ProofCheck {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) {
    return proofFailure("bad_size", `leaf ${index} is not in a tree of ${size}`);
  }
  if (!isMerkleHash(leafHash) || !isMerkleHash(root) || !proof.every(isMerkleHash)) {
    return proofFailure("bad_hash_length", "leaf hash, root and every proof element must be 32 bytes");
  }
  const expected = inclusionProofRanges(index, size).length;
  if (proof.length !== expected) {
    return proofFailure("proof_length", `a proof for leaf ${index} of ${size} has ${expected} hashes, got ${proof.length}`);
  }
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (isOdd(fn) || fn === sn) {
      r = hashChildren(p, r);
      // Climb past the levels where this node is the last, unpaired one: they add no hash to the path.
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  // The RFC's "sn must reach 0" check is implied by the exact proof length checked above.
  if (!hashesEqual(r, root)) {
    return proofFailure("root_mismatch", `the proof does not lead from leaf ${index} to the given root of ${size}`);
  }
  return PROOF_OK;
}
