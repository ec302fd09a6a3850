import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { appendLeaf, emptyFrontier, type Frontier, frontierRanges, frontierRoot, loadFrontier } from "./frontier";
import { emptyTreeRoot, hashLeaf } from "./hash";
import { memoryHashSource, merkleRoot, rangeHash } from "./hash-source";
import { toHex } from "./test-support";

const leafDataArb = fc.array(fc.uint8Array({ maxLength: 6 }), { maxLength: 80 });

describe("frontier", () => {
  it("starts at the empty tree", () => {
    expect(toHex(frontierRoot(emptyFrontier()))).toBe(toHex(emptyTreeRoot()));
    expect(frontierRanges(0)).toEqual([]);
  });

  it("splits a size into complete subtrees, largest first", () => {
    expect(frontierRanges(13)).toEqual([
      { start: 0, size: 8 },
      { start: 8, size: 4 },
      { start: 12, size: 1 },
    ]);
    expect(frontierRanges(2 ** 40)).toEqual([{ start: 0, size: 2 ** 40 }]);
  });

  it("tracks the root and reports exactly the subtrees each append completes", async () => {
    await fc.assert(
      fc.asyncProperty(leafDataArb, async (data) => {
        const leaves = data.map(hashLeaf);
        const source = memoryHashSource(leaves);
        let frontier = emptyFrontier();
        for (const [i, leaf] of leaves.entries()) {
          const { frontier: next, completed } = appendLeaf(frontier, leaf);
          frontier = next;
          expect(frontier.size).toBe(i + 1);
          expect(toHex(frontierRoot(frontier))).toBe(toHex(await merkleRoot(i + 1, source)));
          // Leaf i completes one subtree for each trailing 1 bit of i.
          let trailingOnes = 0;
          for (let rest = i; rest % 2 === 1; rest = Math.floor(rest / 2)) trailingOnes++;
          expect(completed.map((s) => s.size)).toEqual(Array.from({ length: trailingOnes }, (_, k) => 2 ** (k + 1)));
          for (const subtree of completed) {
            expect(subtree.start + subtree.size).toBe(i + 1);
            expect(toHex(subtree.hash)).toBe(toHex(await rangeHash(source, subtree)));
          }
        }
        const loaded = await loadFrontier(leaves.length, source);
        expect(loaded.hashes.map(toHex)).toEqual(frontier.hashes.map(toHex));
      }),
    );
  });

  it("refuses a frontier whose hashes do not match its size, and bad leaf hashes", () => {
    const leaf = hashLeaf(new Uint8Array());
    const broken: Frontier = { size: 3, hashes: [leaf] };
    expect(() => appendLeaf(broken, leaf)).toThrow(RangeError);
    expect(() => appendLeaf(emptyFrontier(), new Uint8Array(20))).toThrow(TypeError);
  });
});
