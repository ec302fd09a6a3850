import { emptyTreeRoot, hashChildren, isMerkleHash, type MerkleHash } from "./hash";
import { type HashSource, type LeafRange, rangeHash } from "./hash-source";
import { assertCount, half, isOdd } from "./tree-shape";

/**
 * The right edge of a tree of `size` leaves: the roots of the complete subtrees it splits into, largest
 * first (one per set bit of `size`). Enough to append leaves and compute roots without reading the log.
 */
export interface Frontier {
  readonly size: number;
  readonly hashes: readonly MerkleHash[];
}

/** A complete subtree that an append finished, for a store to keep so later proofs need few reads. */
export interface CompletedSubtree extends LeafRange {
  readonly hash: MerkleHash;
}

export function emptyFrontier(): Frontier {
  return { size: 0, hashes: [] };
}

/** The complete subtrees that the first `size` leaves split into, largest first. */
export function frontierRanges(size: number): LeafRange[] {
  assertCount(size, "tree size");
  const smallestFirst: LeafRange[] = [];
  let end = size;
  let width = 1;
  for (let rest = size; rest > 0; rest = half(rest), width *= 2) {
    if (isOdd(rest)) {
      smallestFirst.push({ start: end - width, size: width });
      end -= width;
    }
  }
  return smallestFirst.reverse();
}

/** Rebuilds the frontier from a store, e.g. when a log writer starts: one read per complete subtree the store keeps. */
export async function loadFrontier(size: number, source: HashSource): Promise<Frontier> {
  const hashes = await Promise.all(frontierRanges(size).map((range) => rangeHash(source, range)));
  return { size, hashes };
}

/** Appends one leaf hash. Merging equal-sized subtrees mirrors the carries of adding 1 to the size in binary. */
export function appendLeaf(frontier: Frontier, leafHash: MerkleHash): { frontier: Frontier; completed: CompletedSubtree[] } {
  if (!isMerkleHash(leafHash)) throw new TypeError("a leaf hash must be 32 bytes");
  if (frontier.hashes.length !== frontierRanges(frontier.size).length) {
    throw new RangeError(`a frontier of size ${frontier.size} cannot hold ${frontier.hashes.length} hashes`);
  }
  const hashes = [...frontier.hashes];
  const completed: CompletedSubtree[] = [];
  let hash = leafHash;
  let start = frontier.size;
  let width = 1;
  for (let carry = frontier.size; isOdd(carry); carry = half(carry)) {
    const left = hashes.pop();
    if (left === undefined) throw new RangeError("frontier is shorter than its size says");
    hash = hashChildren(left, hash);
    start -= width;
    width *= 2;
    completed.push({ start, size: width, hash });
  }
  hashes.push(hash);
  return { frontier: { size: frontier.size + 1, hashes }, completed };
}

/** The RFC 9162 root of the tree the frontier ends. */
export function frontierRoot(frontier: Frontier): MerkleHash {
  const hashes = [...frontier.hashes];
  let root = hashes.pop();
  if (root === undefined) return emptyTreeRoot();
  for (let left = hashes.pop(); left !== undefined; left = hashes.pop()) root = hashChildren(left, root);
  return root;
}
