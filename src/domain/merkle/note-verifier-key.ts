import { createHash } from "node:crypto";
import { decodeBase64, encodeBase64 } from "./base64";
import { isValidKeyName } from "./note-text";

/** C2SP signed-note signature type byte for Ed25519 (the only type this service signs or accepts). */
export const ED25519_SIGNATURE_TYPE = 0x01;
const ED25519_PUBLIC_KEY_SIZE = 32;

/** An Ed25519 key that may sign notes, as outside monitors configure it. */
export interface NoteVerifierKey {
  readonly keyName: string;
  /** uint32 from the first four bytes, big-endian, of SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ public key). */
  readonly keyId: number;
  /** The 32-byte RFC 8032 public key. */
  readonly publicKey: Uint8Array;
}

export type VerifierKeyProblem = "format" | "key_name" | "key_type" | "public_key" | "key_id";

export type VerifierKeyParse = { ok: true; key: NoteVerifierKey } | { ok: false; problem: VerifierKeyProblem; message: string };

/** The key ID C2SP recommends for an Ed25519 key, which this service always uses. */
export function noteKeyId(keyName: string, publicKey: Uint8Array): number {
  const digest = createHash("sha256")
    .update(keyName, "utf8")
    .update(new Uint8Array([0x0a, ED25519_SIGNATURE_TYPE]))
    .update(publicKey)
    .digest();
  return digest.readUInt32BE(0);
}

/** Throws on an invalid name or key length: both come from configuration, so a bad one is a set-up error. */
export function ed25519VerifierKey(keyName: string, publicKey: Uint8Array): NoteVerifierKey {
  if (!isValidKeyName(keyName)) throw new RangeError(`"${keyName}" cannot be a note key name (empty, spaces or plus)`);
  if (publicKey.length !== ED25519_PUBLIC_KEY_SIZE) throw new RangeError(`an Ed25519 public key is 32 bytes, got ${publicKey.length}`);
  return { keyName, keyId: noteKeyId(keyName, publicKey), publicKey: Uint8Array.from(publicKey) };
}

export function formatKeyId(keyId: number): string {
  return keyId.toString(16).padStart(8, "0");
}

/** `<name>+<8 hex digits key ID>+<base64(0x01 ‖ public key)>`, the form monitors paste into their configuration. */
export function formatVerifierKey(key: NoteVerifierKey): string {
  const typed = new Uint8Array([ED25519_SIGNATURE_TYPE, ...key.publicKey]);
  return `${key.keyName}+${formatKeyId(key.keyId)}+${encodeBase64(typed)}`;
}

function failure(problem: VerifierKeyProblem, message: string): VerifierKeyParse {
  return { ok: false, problem, message };
}

/** Strict parse of a verifier key string; the stated key ID must be the one the name and key give. */
export function parseVerifierKey(text: string): VerifierKeyParse {
  // Names hold no plus, so the first two separate the fields; the base64 key may contain more.
  const firstPlus = text.indexOf("+");
  const secondPlus = text.indexOf("+", firstPlus + 1);
  if (firstPlus < 0 || secondPlus < 0) return failure("format", "expected <name>+<key id>+<key>");
  const keyName = text.slice(0, firstPlus);
  const idText = text.slice(firstPlus + 1, secondPlus);
  const keyText = text.slice(secondPlus + 1);
  if (!isValidKeyName(keyName)) return failure("key_name", `"${keyName}" is not a valid key name`);
  if (!/^[0-9a-f]{8}$/.test(idText)) return failure("format", "key ID must be 8 lowercase hex digits");
  const typed = decodeBase64(keyText);
  if (typed === undefined) return failure("public_key", "key must be standard base64");
  if (typed[0] !== ED25519_SIGNATURE_TYPE) return failure("key_type", "only Ed25519 keys (type 0x01) are supported");
  const publicKey = typed.subarray(1);
  if (publicKey.length !== ED25519_PUBLIC_KEY_SIZE) return failure("public_key", `an Ed25519 public key is 32 bytes, got ${publicKey.length}`);
  const key = ed25519VerifierKey(keyName, publicKey);
  if (formatKeyId(key.keyId) !== idText) return failure("key_id", `key ID ${idText} does not match the name and key (${formatKeyId(key.keyId)})`);
  return { ok: true, key };
}
