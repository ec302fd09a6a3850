import { decodeBase64, encodeBase64 } from "./base64";
import { ed25519Verify } from "./ed25519";
import type { NoteSigner } from "./note-signer";
import { isNoteSafe, isValidKeyName } from "./note-text";
import { formatKeyId, type NoteVerifierKey } from "./note-verifier-key";

/** One signature line: `— <key name> base64(key ID ‖ signature)`. */
export interface NoteSignature {
  readonly keyName: string;
  readonly keyId: number;
  readonly signature: Uint8Array;
}

/** A C2SP signed note split into its text (ending in a newline) and its signatures. */
export interface SignedNote {
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

/** The spec asks verifiers to cap signatures and to accept at least 16; 100 leaves room for many witnesses. */
export const MAX_NOTE_SIGNATURES = 100;

const SIGNATURE_PREFIX = "\u2014 "; // em dash, space
const KEY_ID_SIZE = 4;

export type NoteProblem = "malformed" | "ambiguous_verifiers" | "bad_signature" | "unverified";

export type NoteParse = { ok: true; note: SignedNote } | { ok: false; problem: "malformed"; message: string };

export type NoteVerification =
  | { ok: true; text: string; verifiedBy: readonly NoteVerifierKey[] }
  | { ok: false; problem: NoteProblem; message: string };

function malformed(message: string): { ok: false; problem: "malformed"; message: string } {
  return { ok: false, problem: "malformed", message };
}

function checkText(text: string): string | undefined {
  if (!text.endsWith("\n")) return "note text must end with a newline";
  if (!isNoteSafe(text)) return "note text must be UTF-8 without control characters other than newline";
  return undefined;
}

function parseSignatureLine(line: string): NoteSignature | undefined {
  if (!line.startsWith(SIGNATURE_PREFIX)) return undefined;
  const fields = line.slice(SIGNATURE_PREFIX.length).split(" ");
  const [keyName, encoded] = fields;
  if (fields.length !== 2 || keyName === undefined || encoded === undefined || !isValidKeyName(keyName)) return undefined;
  const bytes = decodeBase64(encoded);
  if (bytes === undefined || bytes.length <= KEY_ID_SIZE) return undefined;
  const keyId = new DataView(bytes.buffer, bytes.byteOffset, KEY_ID_SIZE).getUint32(0);
  return { keyName, keyId, signature: bytes.slice(KEY_ID_SIZE) };
}

/** Strict parse: the text runs to the last blank line; every line after it must be a signature line. */
export function parseSignedNote(note: string): NoteParse {
  const textProblem = checkText(note);
  if (textProblem !== undefined) return malformed(textProblem);
  const blank = note.lastIndexOf("\n\n");
  if (blank < 0) return malformed("no blank line separates the text from the signatures");
  if (note.length === blank + 2) return malformed("a signed note has at least one signature");
  const text = note.slice(0, blank + 1);
  const lines = note.slice(blank + 2, -1).split("\n");
  if (lines.length > MAX_NOTE_SIGNATURES) return malformed(`more than ${MAX_NOTE_SIGNATURES} signatures`);
  const signatures: NoteSignature[] = [];
  for (const line of lines) {
    const signature = parseSignatureLine(line);
    if (signature === undefined) return malformed(`not a signature line: "${line}"`);
    signatures.push(signature);
  }
  return { ok: true, note: { text, signatures } };
}

export function formatSignedNote(note: SignedNote): string {
  const textProblem = checkText(note.text);
  if (textProblem !== undefined) throw new RangeError(textProblem);
  if (note.signatures.length === 0) throw new RangeError("a signed note has at least one signature");
  const lines = note.signatures.map(({ keyName, keyId, signature }) => {
    if (!isValidKeyName(keyName)) throw new RangeError(`"${keyName}" cannot be a note key name`);
    if (!Number.isInteger(keyId) || keyId < 0 || keyId > 0xffffffff) throw new RangeError(`key ID ${keyId} is not a uint32`);
    const bytes = new Uint8Array(KEY_ID_SIZE + signature.length);
    new DataView(bytes.buffer).setUint32(0, keyId);
    bytes.set(signature, KEY_ID_SIZE);
    return `${SIGNATURE_PREFIX}${keyName} ${encodeBase64(bytes)}\n`;
  });
  return `${note.text}\n${lines.join("")}`;
}

/** Signs `text` (which must end with a newline) with every signer, in order. */
export async function signNote(text: string, signers: readonly NoteSigner[]): Promise<string> {
  const textProblem = checkText(text);
  if (textProblem !== undefined) throw new RangeError(textProblem);
  const message = new TextEncoder().encode(text);
  const signatures = await Promise.all(
    signers.map(async (signer) => ({ keyName: signer.keyName, keyId: signer.keyId, signature: await signer.sign(message) })),
  );
  return formatSignedNote({ text, signatures });
}

function verifierIndex(verifiers: readonly NoteVerifierKey[]): Map<string, NoteVerifierKey> | undefined {
  const byNameAndId = new Map<string, NoteVerifierKey>();
  for (const key of verifiers) {
    const slot = `${key.keyName}+${formatKeyId(key.keyId)}`;
    if (byNameAndId.has(slot)) return undefined;
    byNameAndId.set(slot, key);
  }
  return byNameAndId;
}

/**
 * Verifies a signed note against trusted keys, as C2SP signed-note requires: signatures from unknown keys
 * (name and ID not both matching) are ignored, any failing signature from a known key rejects the note,
 * and at least one known key must have signed. Only a verified text should ever be read.
 */
export async function verifyNote(note: string, verifiers: readonly NoteVerifierKey[]): Promise<NoteVerification> {
  const parsed = parseSignedNote(note);
  if (!parsed.ok) return parsed;
  const known = verifierIndex(verifiers);
  if (known === undefined) {
    return { ok: false, problem: "ambiguous_verifiers", message: "two trusted keys share both a name and a key ID" };
  }
  const message = new TextEncoder().encode(parsed.note.text);
  const verifiedBy = new Set<NoteVerifierKey>();
  for (const { keyName, keyId, signature } of parsed.note.signatures) {
    const key = known.get(`${keyName}+${formatKeyId(keyId)}`);
    if (key === undefined) continue;
    if (!(await ed25519Verify(key.publicKey, signature, message))) {
      return { ok: false, problem: "bad_signature", message: `the signature by ${keyName} does not verify` };
    }
    verifiedBy.add(key);
  }
  if (verifiedBy.size === 0) return { ok: false, problem: "unverified", message: "no trusted key signed this note" };
  return { ok: true, text: parsed.note.text, verifiedBy: [...verifiedBy] };
}
