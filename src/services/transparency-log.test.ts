import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../test/support/database";
import type { DatabaseHandle } from "../db/client";
import { appendLeaf, emptyFrontier, hashLeaf, type MerkleHash } from "../domain/merkle";
import { fromHex, readVector, toHex } from "../domain/merkle/test-support";
import { consistencyProofBetween, inclusionProofAt, rootAt } from "./transparency-log";

const reference = readVector<{
  leaves: string[];
  roots: string[];
  inclusion: { index: number; size: number; proof: string[] }[];
  consistency: { size1: number; size2: number; proof: string[] }[];
}>("rfc6962-reference-tree.json");

let handle: DatabaseHandle;

/**
 * The RFC 6962 reference tree put in the store the way appends leave it (leaf hashes and every completed subtree),
 * bypassing the leaf format: its leaves are raw bytes (one is a NUL) that no JSON leaf could hold.
 */
beforeAll(async () => {
  handle = await openTestDatabase();
  let frontier = emptyFrontier();
  for (const [i, hex] of reference.leaves.entries()) {
    const leaf = hashLeaf(fromHex(hex));
    await handle.db.execute(sql`INSERT INTO log_leaves (idx, type, data, leaf_hash, at) VALUES (${i}, 'vector', ${hex}, decode(${toHex(leaf)}, 'hex'), now())`);
    const appended = appendLeaf(frontier, leaf);
    frontier = appended.frontier;
    for (const node of appended.completed) {
      await handle.db.execute(
        sql`INSERT INTO log_nodes (level, position, hash) VALUES (${Math.log2(node.size)}, ${node.start / node.size}, decode(${toHex(node.hash)}, 'hex'))`,
      );
    }
    await handle.db.execute(sql`UPDATE log_head SET size = size + 1`);
  }
});
afterAll(() => handle.close());

const hex = (hashes: readonly MerkleHash[]) => hashes.map(toHex);

describe("the log store against the RFC 6962 reference tree", () => {
  it("gives the reference root at every size", async () => {
    for (const [i, root] of reference.roots.entries()) expect(toHex(await rootAt(handle.db, i + 1))).toBe(root);
  });

  it("gives the reference inclusion proofs", async () => {
    for (const { index, size, proof } of reference.inclusion) expect(hex(await inclusionProofAt(handle.db, index, size))).toEqual(proof);
  });

  it("gives the reference consistency proofs", async () => {
    for (const { size1, size2, proof } of reference.consistency) expect(hex(await consistencyProofBetween(handle.db, size1, size2))).toEqual(proof);
  });

  it("refuses to let the head shrink or count leaves that are not stored", async () => {
    await expect(handle.db.execute(sql`UPDATE log_head SET size = size + 2`)).rejects.toThrow();
    await expect(handle.db.execute(sql`UPDATE log_head SET size = size - 1`)).rejects.toThrow();
  });
});
