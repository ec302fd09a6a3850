import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emptyTreeRoot, hashLeaf, type MerkleHash } from "./hash";
import { memoryHashSource, merkleRoot } from "./hash-source";
import { inclusionProof, inclusionProofRanges, verifyInclusion } from "./inclusion-proof";
import { flipBit, fromBase64, fromHex, keepingStore, readVector, toHex } from "./test-support";

interface TransparencyDevInclusion {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[];
  wantErr: boolean;
}

const reference = readVector<{ leaves: string[]; roots: string[]; inclusion: { index: number; size: number; proof: string[] }[] }>(
  "rfc6962-reference-tree.json",
);
const referenceLeaves = reference.leaves.map((leaf) => hashLeaf(fromHex(leaf)));
const referenceSource = memoryHashSource(referenceLeaves);
const rootOf = (size: number): MerkleHash => fromHex(reference.roots[size - 1] ?? "");
const someHash = fromHex("abacaba000000000000000000000000000000000000000000060061e00123456");

const treeAndIndexArb = fc
  .integer({ min: 1, max: 70 })
  .chain((size) => fc.tuple(fc.constant(size), fc.nat(size - 1), fc.nat()))
  .map(([size, index, bit]) => ({ size, index, bit, leaves: Array.from({ length: size }, (_, i) => hashLeaf(new Uint8Array([i, size]))) }));

describe("inclusion proofs", () => {
  for (const file of ["inclusion-1-happy-path.json", "inclusion-1-wrong-leaf.json"]) {
    it(`checks the transparency-dev vector ${file}`, () => {
      const v = readVector<TransparencyDevInclusion>(file);
      const check = verifyInclusion(fromBase64(v.leafHash), v.leafIdx, v.treeSize, v.proof.map(fromBase64), fromBase64(v.root));
      expect(check.ok).toBe(!v.wantErr);
    });
  }

  it("generates the known reference proofs, and they verify", async () => {
    for (const { index, size, proof } of reference.inclusion) {
      const generated = await inclusionProof(index, size, referenceSource);
      expect(generated.map(toHex)).toEqual(proof);
      expect(verifyInclusion(referenceLeaves[index] as MerkleHash, index, size, generated, rootOf(size))).toEqual({ ok: true });
    }
  });

  it("rejects every corruption of the reference proofs", () => {
    for (const { index, size, proof: hex } of reference.inclusion) {
      const proof = hex.map(fromHex);
      const leaf = referenceLeaves[index] as MerkleHash;
      const root = rootOf(size);
      const probes: [string, ReturnType<typeof verifyInclusion>][] = [
        ["index - 1", verifyInclusion(leaf, index - 1, size, proof, root)],
        ["index + 1", verifyInclusion(leaf, index + 1, size, proof, root)],
        ["index ^ 2", verifyInclusion(leaf, index ^ 2, size, proof, root)],
        ["size * 2", verifyInclusion(leaf, index, size * 2, proof, root)],
        ["size / 2", verifyInclusion(leaf, index, Math.floor(size / 2), proof, root)],
        ["wrong leaf", verifyInclusion(new TextEncoder().encode("WrongLeaf"), index, size, proof, root)],
        ["empty root", verifyInclusion(leaf, index, size, proof, emptyTreeRoot())],
        ["random root", verifyInclusion(leaf, index, size, proof, someHash)],
        ["trailing garbage", verifyInclusion(leaf, index, size, [...proof, new Uint8Array()], root)],
        ["trailing root", verifyInclusion(leaf, index, size, [...proof, root], root)],
        ["preceding garbage", verifyInclusion(leaf, index, size, [new Uint8Array(), ...proof], root)],
        ["preceding root", verifyInclusion(leaf, index, size, [root, ...proof], root)],
        ["removed component", verifyInclusion(leaf, index, size, proof.slice(0, -1), root)],
        ["inserted component", verifyInclusion(leaf, index, size, [proof[0] as MerkleHash, someHash, ...proof.slice(1)], root)],
        ...proof.map((_, i): [string, ReturnType<typeof verifyInclusion>] => [
          `proof[${i}] bit 3`,
          verifyInclusion(leaf, index, size, proof.map((p, j) => (j === i ? flipBit(p, 3) : p)), root),
        ]),
      ];
      const accepted = probes.filter(([, check]) => check.ok).map(([name]) => `${name} (leaf ${index} of ${size})`);
      expect(accepted).toEqual([]);
    }
  });

  it("proves the only entry of a one-entry tree with an empty path", async () => {
    const leaf = hashLeaf(new TextEncoder().encode("data"));
    expect(await inclusionProof(0, 1, memoryHashSource([leaf]))).toEqual([]);
    expect(verifyInclusion(leaf, 0, 1, [], leaf)).toEqual({ ok: true });
    expect(verifyInclusion(leaf, 0, 1, [], new Uint8Array())).toMatchObject({ ok: false, problem: "bad_hash_length" });
    expect(verifyInclusion(new Uint8Array(), 0, 1, [], leaf)).toMatchObject({ ok: false, problem: "bad_hash_length" });
  });

  it("names the fault: impossible index, wrong length, wrong root", () => {
    for (const [index, size] of [[0, 0], [1, 0], [2, 1], [-1, 4], [0.5, 4]] as const) {
      expect(verifyInclusion(someHash, index, size, [], emptyTreeRoot())).toMatchObject({ ok: false, problem: "bad_size" });
    }
    expect(verifyInclusion(someHash, 0, 2, [], someHash)).toMatchObject({ ok: false, problem: "proof_length" });
    expect(verifyInclusion(someHash, 0, 2, [someHash], someHash)).toMatchObject({ ok: false, problem: "root_mismatch" });
    expect(() => inclusionProofRanges(3, 3)).toThrow(RangeError);
  });

  it("verifies every generated proof and rejects any single flipped bit", async () => {
    await fc.assert(
      fc.asyncProperty(treeAndIndexArb, async ({ size, index, bit, leaves }) => {
        const source = memoryHashSource(leaves);
        const root = await merkleRoot(size, source);
        const proof = await inclusionProof(index, size, source);
        const leaf = leaves[index] as MerkleHash;
        expect(verifyInclusion(leaf, index, size, proof, root)).toEqual({ ok: true });
        expect(verifyInclusion(flipBit(leaf, bit), index, size, proof, root).ok).toBe(false);
        expect(verifyInclusion(leaf, index, size, proof, flipBit(root, bit)).ok).toBe(false);
        for (const [i, p] of proof.entries()) {
          const tampered = proof.map((q, j) => (j === i ? flipBit(p, bit) : q));
          expect(verifyInclusion(leaf, index, size, tampered, root).ok).toBe(false);
        }
        for (let other = 0; other < size; other++) {
          if (other !== index) expect(verifyInclusion(leaf, other, size, proof, root).ok).toBe(false);
        }
      }),
    );
  });

  it("answers from a store that keeps complete subtrees with O(log n) reads", async () => {
    const size = 100_003;
    const { leaves, roots, source, counter } = keepingStore(size, [size]);
    for (const index of [0, 1, 65_535, 65_536, 99_999, 100_000, 100_002]) {
      counter.reads = 0;
      const proof = await inclusionProof(index, size, source);
      expect(verifyInclusion(leaves[index] as MerkleHash, index, size, proof, roots.get(size) as MerkleHash)).toEqual({ ok: true });
      expect(counter.reads).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(size)));
    }
  });
});
