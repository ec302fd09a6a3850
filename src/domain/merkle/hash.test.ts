import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emptyTreeRoot, hashChildren, hashLeaf, type MerkleHash } from "./hash";
import { type HashSource, memoryHashSource, merkleRoot, rangeHash } from "./hash-source";
import { fromHex, readVector, toHex } from "./test-support";

const reference = readVector<{ leaves: string[]; roots: string[] }>("rfc6962-reference-tree.json");

/** MTH straight from the recursive definition in RFC 9162 §2.1.1, to check the real code against. */
function naiveRoot(leaves: readonly MerkleHash[]): MerkleHash {
  if (leaves.length === 0) return emptyTreeRoot();
  if (leaves.length === 1) return leaves[0] as MerkleHash;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return hashChildren(naiveRoot(leaves.slice(0, k)), naiveRoot(leaves.slice(k)));
}

const leafHashesArb = fc.array(fc.uint8Array({ maxLength: 8 }), { maxLength: 70 }).map((data) => data.map(hashLeaf));

describe("RFC 6962 hashing", () => {
  it("roots the empty tree at SHA-256 of the empty string", async () => {
    expect(toHex(emptyTreeRoot())).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(toHex(await merkleRoot(0, memoryHashSource([])))).toBe(toHex(emptyTreeRoot()));
  });

  it("separates leaves from nodes with 0x00 and 0x01 prefixes", () => {
    expect(toHex(hashLeaf(new Uint8Array()))).toBe("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
    const a = hashLeaf(fromHex("00"));
    expect(toHex(hashChildren(a, a))).not.toBe(toHex(hashLeaf(new Uint8Array([...a, ...a]))));
  });

  it("reproduces the reference roots for every size from 1 to 8", async () => {
    const source = memoryHashSource(reference.leaves.map((leaf) => hashLeaf(fromHex(leaf))));
    for (const [i, root] of reference.roots.entries()) {
      expect(toHex(await merkleRoot(i + 1, source))).toBe(root);
    }
  });

  it("agrees with the recursive definition on random trees", async () => {
    await fc.assert(
      fc.asyncProperty(leafHashesArb, async (leaves) => {
        expect(toHex(await merkleRoot(leaves.length, memoryHashSource(leaves)))).toBe(toHex(naiveRoot(leaves)));
      }),
    );
  });

  it("uses kept subtree hashes instead of rebuilding them", async () => {
    const leaves = Array.from({ length: 1000 }, (_, i) => hashLeaf(new Uint8Array([i % 256, Math.floor(i / 256)])));
    let reads = 0;
    const keeping: HashSource = {
      leafHash: (i) => {
        reads++;
        return leaves[i] as MerkleHash;
      },
      subtreeHash: (start, size) => {
        reads++;
        return naiveRoot(leaves.slice(start, start + size));
      },
    };
    expect(toHex(await merkleRoot(1000, keeping))).toBe(toHex(naiveRoot(leaves)));
    expect(reads).toBe(6); // 1000 = 512 + 256 + 128 + 64 + 32 + 8
  });

  it("falls back to the leaves when a store does not keep a subtree", async () => {
    const leaves = Array.from({ length: 8 }, (_, i) => hashLeaf(new Uint8Array([i])));
    const source: HashSource = { leafHash: (i) => leaves[i] as MerkleHash, subtreeHash: async () => undefined };
    expect(toHex(await merkleRoot(8, source))).toBe(toHex(naiveRoot(leaves)));
  });

  it("refuses ranges that are no node of any tree, and hashes of the wrong length", async () => {
    const source = memoryHashSource(Array.from({ length: 8 }, (_, i) => hashLeaf(new Uint8Array([i]))));
    await expect(rangeHash(source, { start: 1, size: 2 })).rejects.toThrow(RangeError);
    await expect(rangeHash(source, { start: 0, size: 0 })).rejects.toThrow(RangeError);
    await expect(merkleRoot(-1, source)).rejects.toThrow(RangeError);
    await expect(merkleRoot(9, source)).rejects.toThrow(RangeError);
    await expect(merkleRoot(1, { leafHash: () => new Uint8Array(31) })).rejects.toThrow(TypeError);
  });
});
