import type { MerkleHash } from "./hash";
import type { HashSource, LeafRange } from "./hash-source";
import { frontierRanges } from "./frontier";

/**
 * The complete subtrees (power-of-two sizes, aligned) that the node range `range` splits into, largest first: the
 * same split rangeHash makes, so a store that fetches these up front answers every read rangeHash will make.
 */
export function completeSubtreesOf(range: LeafRange): LeafRange[] {
  return frontierRanges(range.size).map((r) => ({ start: range.start + r.start, size: r.size }));
}

/** Every complete subtree that the hashes of `ranges` are made of, without repeats. */
export function subtreesNeeded(ranges: readonly LeafRange[]): LeafRange[] {
  const seen = new Map<string, LeafRange>();
  for (const range of ranges) {
    for (const subtree of completeSubtreesOf(range)) seen.set(`${subtree.start}/${subtree.size}`, subtree);
  }
  return [...seen.values()];
}

/** A source over hashes already fetched by (start, size); a read of anything else is a bug in the caller's plan. */
export function fetchedHashSource(hashes: ReadonlyMap<string, MerkleHash>): HashSource {
  const get = (start: number, size: number) => {
    const hash = hashes.get(`${start}/${size}`);
    if (hash === undefined) throw new RangeError(`the hash of leaves [${start}, ${start + size}) was not fetched`);
    return hash;
  };
  return { leafHash: (index) => get(index, 1), subtreeHash: (start, size) => get(start, size) };
}
