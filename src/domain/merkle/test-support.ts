// Helpers shared by this folder's tests only.
import { readFileSync } from "node:fs";
import { appendLeaf, emptyFrontier, frontierRoot } from "./frontier";
import { hashLeaf, type MerkleHash } from "./hash";
import type { HashSource } from "./hash-source";

export function readVector<T>(file: string): T {
  return JSON.parse(readFileSync(new URL(`../../../test/vectors/merkle/${file}`, import.meta.url), "utf8")) as T;
}

export function fromHex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, "hex"));
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

export function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "base64"));
}

/** Flips one bit, leaving the input untouched. */
export function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  const index = Math.floor(bit / 8) % copy.length;
  copy[index] = (copy[index] ?? 0) ^ (1 << (bit % 8));
  return copy;
}

// RFC 8410 PKCS#8 wrapping of a raw 32-byte Ed25519 seed, so tests use fixed keys instead of random ones.
const PKCS8_ED25519_PREFIX = fromHex("302e020100300506032b657004220420");

export async function ed25519KeyPairFromSeed(seed: Uint8Array): Promise<{ privateKey: CryptoKey; publicKey: Uint8Array }> {
  const pkcs8 = new Uint8Array([...PKCS8_ED25519_PREFIX, ...seed]);
  const privateKey = await crypto.subtle.importKey("pkcs8", pkcs8, { name: "Ed25519" }, true, ["sign"]);
  const jwk = await crypto.subtle.exportKey("jwk", privateKey);
  if (jwk.x === undefined) throw new Error("exported Ed25519 JWK has no public part");
  return { privateKey, publicKey: new Uint8Array(Buffer.from(jwk.x, "base64url")) };
}

/**
 * A log of `size` leaves built by appending, keeping every completed subtree the way a store would,
 * with a read counter and the roots at the requested sizes.
 */
export function keepingStore(size: number, rootSizes: readonly number[]) {
  const leaves: MerkleHash[] = [];
  const kept = new Map<string, MerkleHash>();
  const roots = new Map<number, MerkleHash>();
  const wanted = new Set(rootSizes);
  let frontier = emptyFrontier();
  for (let i = 0; i < size; i++) {
    const leaf = hashLeaf(new TextEncoder().encode(String(i)));
    leaves.push(leaf);
    const appended = appendLeaf(frontier, leaf);
    frontier = appended.frontier;
    for (const subtree of appended.completed) kept.set(`${subtree.start}/${subtree.size}`, subtree.hash);
    if (wanted.has(frontier.size)) roots.set(frontier.size, frontierRoot(frontier));
  }
  const counter = { reads: 0 };
  const source: HashSource = {
    leafHash: (i) => {
      counter.reads++;
      return leaves[i] as MerkleHash;
    },
    subtreeHash: (start, width) => {
      counter.reads++;
      return kept.get(`${start}/${width}`);
    },
  };
  return { leaves, roots, source, counter };
}
