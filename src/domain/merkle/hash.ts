import { createHash } from "node:crypto";

/** A 32-byte SHA-256 digest: a leaf hash, an interior node hash or a tree root. */
export type MerkleHash = Uint8Array;

export const HASH_SIZE = 32;

// RFC 6962 §2.1 domain-separates leaves from interior nodes so that a leaf can never be passed off as a node (second preimage).
const LEAF_PREFIX = new Uint8Array([0x00]);
const NODE_PREFIX = new Uint8Array([0x01]);

function sha256(...parts: readonly Uint8Array[]): MerkleHash {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
}

/** The root of the empty tree: SHA-256 of the empty string (RFC 9162 §2.1.1). A fresh copy each call, since typed arrays cannot be frozen. */
export function emptyTreeRoot(): MerkleHash {
  return sha256();
}

/** MTH of a single entry: SHA-256(0x00 ‖ data). */
export function hashLeaf(data: Uint8Array): MerkleHash {
  return sha256(LEAF_PREFIX, data);
}

/** Interior node: SHA-256(0x01 ‖ left ‖ right). */
export function hashChildren(left: MerkleHash, right: MerkleHash): MerkleHash {
  return sha256(NODE_PREFIX, left, right);
}

export function isMerkleHash(value: Uint8Array): boolean {
  return value.length === HASH_SIZE;
}

export function hashesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
