import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { consistencyProofRanges } from "./consistency-proof";
import type { MerkleHash } from "./hash";
import { type HashSource, rangeHash } from "./hash-source";
import { inclusionProofRanges } from "./inclusion-proof";
import { completeSubtreesOf, fetchedHashSource, subtreesNeeded } from "./subtree-cover";
import { keepingStore, toHex } from "./test-support";

describe("covering proof ranges with complete subtrees", () => {
  it("splits a range the way rangeHash does", () => {
    expect(completeSubtreesOf({ start: 16, size: 13 })).toEqual([
      { start: 16, size: 8 },
      { start: 24, size: 4 },
      { start: 28, size: 1 },
    ]);
  });

  it("fetches exactly what the proofs read: no more, no fewer", async () => {
    const { source, leaves } = keepingStore(300, []);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 300 }).chain((size) => fc.tuple(fc.constant(size), fc.nat(size - 1), fc.nat(size))), async ([size, index, oldSize]) => {
        const ranges = [...inclusionProofRanges(index, size), ...consistencyProofRanges(oldSize, size), { start: 0, size }];
        const needed = subtreesNeeded(ranges);
        const fetched = new Map<string, MerkleHash>();
        for (const r of needed) {
          fetched.set(`${r.start}/${r.size}`, r.size === 1 ? (leaves[r.start] as MerkleHash) : ((await source.subtreeHash!(r.start, r.size)) as MerkleHash));
        }
        const read = new Set<string>();
        const counting: HashSource = {
          leafHash: (i) => (read.add(`${i}/1`), fetchedHashSource(fetched).leafHash(i)),
          subtreeHash: (s, n) => (read.add(`${s}/${n}`), fetchedHashSource(fetched).subtreeHash!(s, n)),
        };
        for (const range of ranges) expect(toHex(await rangeHash(counting, range))).toBe(toHex(await rangeHash(source, range)));
        expect(read).toEqual(new Set(fetched.keys()));
      }),
      { numRuns: 200 },
    );
  });

  it("says so when a hash it needs was not fetched", () => {
    expect(() => fetchedHashSource(new Map()).leafHash(0)).toThrow(RangeError);
  });
});
