import { emptyTreeRoot, hashChildren, isMerkleHash, type MerkleHash } from "./hash";
import { assertCount, isPowerOfTwo, largestPowerOfTwoBelow } from "./tree-shape";

type MaybePromise<T> = T | Promise<T>;

/** The consecutive leaves [start, start + size): how proofs name the subtree hashes they are made of. */
export interface LeafRange {
  readonly start: number;
  readonly size: number;
}

/**
 * Where proof generators read hashes. Storage is a database, so both methods may answer with a promise.
 * A store that keeps the hashes of complete subtrees answers any proof or root with O(log n) reads;
 * one that keeps only leaf hashes still works, but rebuilds each subtree from its leaves.
 */
export interface HashSource {
  /** The RFC 6962 leaf hash of entry `index`. */
  leafHash(index: number): MaybePromise<MerkleHash>;
  /**
   * The hash of the complete subtree of `size` leaves (a power of two, at least 2) starting at `start`
   * (a multiple of `size`), or undefined when the store does not keep that one.
   */
  subtreeHash?(start: number, size: number): MaybePromise<MerkleHash | undefined>;
}

function checked(hash: MerkleHash, start: number, size: number): MerkleHash {
  if (!isMerkleHash(hash)) throw new TypeError(`hash source returned ${hash.length} bytes for leaves [${start}, ${start + size})`);
  return hash;
}

async function completeSubtreeHash(source: HashSource, start: number, size: number): Promise<MerkleHash> {
  if (size === 1) return checked(await source.leafHash(start), start, size);
  const kept = await source.subtreeHash?.(start, size);
  if (kept !== undefined) return checked(kept, start, size);
  // Sequential on purpose: a store without kept subtrees would otherwise get every leaf read at once.
  const left = await completeSubtreeHash(source, start, size / 2);
  const right = await completeSubtreeHash(source, start + size / 2, size / 2);
  return hashChildren(left, right);
}

/**
 * MTH(D[start : start+size]) for a range that is a node of some tree: `start` is a multiple of the smallest
 * power of two ≥ `size`, which holds for every range a proof or root refers to. Such a range splits into
 * at most log2(size) complete subtrees, one read each from a store that keeps them.
 */
export async function rangeHash(source: HashSource, range: LeafRange): Promise<MerkleHash> {
  const { start, size } = range;
  assertCount(start, "range start");
  assertCount(size, "range size");
  if (size === 0) throw new RangeError("a range must hold at least one leaf");
  let span = 1;
  while (span < size) span *= 2;
  if (start % span !== 0) throw new RangeError(`leaves [${start}, ${start + size}) are not a node of any tree`);
  if (isPowerOfTwo(size)) return completeSubtreeHash(source, start, size);
  const k = largestPowerOfTwoBelow(size);
  const left = await completeSubtreeHash(source, start, k);
  const right = await rangeHash(source, { start: start + k, size: size - k });
  return hashChildren(left, right);
}

/** The RFC 9162 root of the first `size` entries. */
export async function merkleRoot(size: number, source: HashSource): Promise<MerkleHash> {
  assertCount(size, "tree size");
  return size === 0 ? emptyTreeRoot() : rangeHash(source, { start: 0, size });
}

/** A source over leaf hashes held in memory: for small batches, and as the reference that stores are tested against. */
export function memoryHashSource(leafHashes: readonly MerkleHash[]): HashSource {
  return {
    leafHash(index) {
      const hash = leafHashes[index];
      if (hash === undefined) throw new RangeError(`no leaf ${index} among ${leafHashes.length}`);
      return hash;
    },
  };
}
