import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { consistencyProof, consistencyProofRanges, verifyConsistency } from "./consistency-proof";
import { emptyTreeRoot, hashLeaf, type MerkleHash } from "./hash";
import { memoryHashSource, merkleRoot } from "./hash-source";
import { flipBit, fromBase64, fromHex, keepingStore, readVector, toHex } from "./test-support";

interface TransparencyDevConsistency {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[];
  wantErr: boolean;
}

const reference = readVector<{ leaves: string[]; roots: string[]; consistency: { size1: number; size2: number; proof: string[] }[] }>(
  "rfc6962-reference-tree.json",
);
const referenceSource = memoryHashSource(reference.leaves.map((leaf) => hashLeaf(fromHex(leaf))));
const rootOf = (size: number): MerkleHash => fromHex(reference.roots[size - 1] ?? "");
const someHash = fromHex("abacaba000000000000000000000000000000000000000000060061e00123456");
const wrongRoot = new TextEncoder().encode("WrongRoot");

const growthArb = fc
  .integer({ min: 0, max: 70 })
  .chain((newSize) => fc.tuple(fc.nat(newSize), fc.constant(newSize), fc.nat()))
  .map(([oldSize, newSize, bit]) => ({
    oldSize,
    newSize,
    bit,
    leaves: Array.from({ length: newSize }, (_, i) => hashLeaf(new Uint8Array([i]))),
  }));

describe("consistency proofs", () => {
  for (const file of ["consistency-1-happy-path.json", "consistency-1-modified-proof0-bit-4.json"]) {
    it(`checks the transparency-dev vector ${file}`, () => {
      const v = readVector<TransparencyDevConsistency>(file);
      const check = verifyConsistency(v.size1, v.size2, v.proof.map(fromBase64), fromBase64(v.root1), fromBase64(v.root2));
      expect(check.ok).toBe(!v.wantErr);
    });
  }

  it("generates the known reference proofs, and they verify", async () => {
    for (const { size1, size2, proof } of reference.consistency) {
      const generated = await consistencyProof(size1, size2, referenceSource);
      expect(generated.map(toHex)).toEqual(proof);
      expect(verifyConsistency(size1, size2, generated, rootOf(size1), rootOf(size2))).toEqual({ ok: true });
    }
  });

  it("rejects every corruption of the reference proofs", () => {
    for (const { size1, size2, proof: hex } of reference.consistency) {
      const proof = hex.map(fromHex);
      const [root1, root2] = [rootOf(size1), rootOf(size2)];
      const check = (m: number, n: number, p: readonly MerkleHash[], r1: MerkleHash, r2: MerkleHash) => verifyConsistency(m, n, p, r1, r2);
      const probes: [string, ReturnType<typeof verifyConsistency>][] = [
        ["size1 - 1", check(size1 - 1, size2, proof, root1, root2)],
        ["size1 + 1", check(size1 + 1, size2, proof, root1, root2)],
        ["size1 ^ 2", check(size1 ^ 2, size2, proof, root1, root2)],
        ["size2 * 2", check(size1, size2 * 2, proof, root1, root2)],
        ["size2 / 2", check(size1, Math.floor(size2 / 2), proof, root1, root2)],
        ["wrong root1", check(size1, size2, proof, wrongRoot, root2)],
        ["wrong root2", check(size1, size2, proof, root1, wrongRoot)],
        ["swapped roots", check(size1, size2, proof, root2, root1)],
        ["empty proof", check(size1, size2, [], root1, root2)],
        ["trailing garbage", check(size1, size2, [...proof, new Uint8Array()], root1, root2)],
        ["trailing root1", check(size1, size2, [...proof, root1], root1, root2)],
        ["trailing root2", check(size1, size2, [...proof, root2], root1, root2)],
        ["preceding garbage", check(size1, size2, [new Uint8Array(), ...proof], root1, root2)],
        ["preceding root1", check(size1, size2, [root1, ...proof], root1, root2)],
        ["preceding root2", check(size1, size2, [root2, ...proof], root1, root2)],
        ["preceding proof[0]", check(size1, size2, [proof[0] as MerkleHash, ...proof], root1, root2)],
        ["truncated proof", check(size1, size2, proof.slice(0, -1), root1, root2)],
        ...proof.map((_, i): [string, ReturnType<typeof verifyConsistency>] => [
          `proof[${i}] bit 4`,
          check(size1, size2, proof.map((p, j) => (j === i ? flipBit(p, 4) : p)), root1, root2),
        ]),
      ];
      const accepted = probes.filter(([, result]) => result.ok).map(([name]) => `${name} (${size1} → ${size2})`);
      expect(accepted).toEqual([]);
    }
  });

  it("handles the edge cases: empty old tree, equal sizes, shrinking", () => {
    const empty = emptyTreeRoot();
    expect(verifyConsistency(0, 0, [], empty, empty)).toEqual({ ok: true });
    expect(verifyConsistency(0, 5, [], empty, someHash)).toEqual({ ok: true });
    // An old root of size 0 must really be the empty tree's root.
    expect(verifyConsistency(0, 5, [], someHash, someHash)).toMatchObject({ ok: false, problem: "root_mismatch" });
    expect(verifyConsistency(0, 0, [empty], empty, empty)).toMatchObject({ ok: false, problem: "proof_length" });
    expect(verifyConsistency(0, 1, [empty], empty, empty)).toMatchObject({ ok: false, problem: "proof_length" });
    expect(verifyConsistency(3, 3, [], someHash, someHash)).toEqual({ ok: true });
    expect(verifyConsistency(3, 3, [], someHash, empty)).toMatchObject({ ok: false, problem: "root_mismatch" });
    expect(verifyConsistency(1, 1, [empty], empty, empty)).toMatchObject({ ok: false, problem: "proof_length" });
    expect(verifyConsistency(1, 0, [], someHash, someHash)).toMatchObject({ ok: false, problem: "bad_size" });
    expect(verifyConsistency(2, 1, [], someHash, someHash)).toMatchObject({ ok: false, problem: "bad_size" });
    expect(verifyConsistency(1, 2, [], someHash, someHash)).toMatchObject({ ok: false, problem: "proof_length" });
    expect(verifyConsistency(1, 2, [someHash], wrongRoot, someHash)).toMatchObject({ ok: false, problem: "bad_hash_length" });
    expect(consistencyProofRanges(0, 9)).toEqual([]);
    expect(consistencyProofRanges(9, 9)).toEqual([]);
    expect(() => consistencyProofRanges(10, 9)).toThrow(RangeError);
  });

  it("verifies every generated proof and rejects any single flipped bit", async () => {
    await fc.assert(
      fc.asyncProperty(growthArb, async ({ oldSize, newSize, bit, leaves }) => {
        const source = memoryHashSource(leaves);
        const [oldRoot, newRoot] = await Promise.all([merkleRoot(oldSize, source), merkleRoot(newSize, source)]);
        const proof = await consistencyProof(oldSize, newSize, source);
        expect(verifyConsistency(oldSize, newSize, proof, oldRoot, newRoot)).toEqual({ ok: true });
        expect(verifyConsistency(oldSize, newSize, proof, flipBit(oldRoot, bit), newRoot).ok).toBe(false);
        // An empty old tree says nothing about the new root, so only a real prefix pins it down.
        if (oldSize > 0) expect(verifyConsistency(oldSize, newSize, proof, oldRoot, flipBit(newRoot, bit)).ok).toBe(false);
        for (const [i, p] of proof.entries()) {
          const tampered = proof.map((q, j) => (j === i ? flipBit(p, bit) : q));
          expect(verifyConsistency(oldSize, newSize, tampered, oldRoot, newRoot).ok).toBe(false);
        }
      }),
    );
  });

  it("does not accept the roots of two unrelated trees", async () => {
    await fc.assert(
      fc.asyncProperty(growthArb, async ({ oldSize, newSize, leaves }) => {
        fc.pre(oldSize > 0 && oldSize < newSize);
        const source = memoryHashSource(leaves);
        const forked = memoryHashSource(leaves.map((leaf, i) => (i === 0 ? hashLeaf(new TextEncoder().encode("fork")) : leaf)));
        const proof = await consistencyProof(oldSize, newSize, source);
        const check = verifyConsistency(oldSize, newSize, proof, await merkleRoot(oldSize, forked), await merkleRoot(newSize, source));
        expect(check.ok).toBe(false);
      }),
    );
  });

  it("answers from a store that keeps complete subtrees with O(log n) reads", async () => {
    const size = 100_003;
    const oldSizes = [1, 2, 3, 1024, 65_535, 65_536, 77_777, 100_002];
    const { roots, source, counter } = keepingStore(size, [...oldSizes, size]);
    for (const oldSize of oldSizes) {
      counter.reads = 0;
      const proof = await consistencyProof(oldSize, size, source);
      expect(verifyConsistency(oldSize, size, proof, roots.get(oldSize) as MerkleHash, roots.get(size) as MerkleHash)).toEqual({ ok: true });
      expect(counter.reads).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(size)));
    }
  });
});
