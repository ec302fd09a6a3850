/**
 * W3C Bitstring Status List v1.0: the bitstring, its GZIP + base64url encoding, where a certificate's bit lives,
 * and the credentialStatus entries that point at it. Pure: runs on Node, on Workers and in the gate page's browser
 * (CompressionStream and DecompressionStream are web standards there all).
 */

/** Entries per list. The spec's minimum (16 KB of bits) is what gives each certificate a crowd to hide in. */
export const STATUS_LIST_SIZE = 131_072;

export const STATUS_PURPOSES = ["revocation", "suspension"] as const;
export type StatusPurpose = (typeof STATUS_PURPOSES)[number];

export interface StatusPosition {
  /** Which list (0, 1, …): a new list starts when the previous one is full. */
  list: number;
  /** The bit within the list, 0 ≤ index < STATUS_LIST_SIZE. */
  index: number;
}

// An odd multiplier modulo 2^17 is a bijection, so scattering never makes two positions collide; it keeps a list's
// bits from reading as issue order (neighbouring certificates do not sit on neighbouring bits). Not a secret.
const SCATTER_MULTIPLIER = 0x1b873;
const SCATTER_OFFSET = 0x0c2d5;

/** The bit a sequence number (from the database's allocator, never reused) lands on. */
export function positionOf(sequence: number): StatusPosition {
  if (!Number.isSafeInteger(sequence) || sequence < 0) throw new RangeError(`not a status sequence number: ${sequence}`);
  const list = Math.floor(sequence / STATUS_LIST_SIZE);
  const slot = sequence % STATUS_LIST_SIZE;
  const index = Number((BigInt(slot) * BigInt(SCATTER_MULTIPLIER) + BigInt(SCATTER_OFFSET)) % BigInt(STATUS_LIST_SIZE));
  return { list, index };
}

export function statusListUrl(publicUrl: string, purpose: StatusPurpose, list: number): string {
  return `${publicUrl}/v1/status-lists/${purpose}/${list}`;
}

export interface BitstringStatusListEntry {
  id: string;
  type: "BitstringStatusListEntry";
  statusPurpose: StatusPurpose;
  statusListIndex: string;
  statusListCredential: string;
}

/**
 * A certificate's credentialStatus: revocation (作废, final) and suspension (a recall or a failed test, which can be
 * lifted), at the same index of the two lists of the same number.
 */
export function statusEntries(publicUrl: string, position: StatusPosition): BitstringStatusListEntry[] {
  return STATUS_PURPOSES.map((purpose) => {
    const url = statusListUrl(publicUrl, purpose, position.list);
    return { id: `${url}#${position.index}`, type: "BitstringStatusListEntry", statusPurpose: purpose, statusListIndex: String(position.index), statusListCredential: url };
  });
}

// ── The bitstring ─────────────────────────────────────────────────────────────────────────────────────────────

/** Bit 0 is the most significant bit of the first byte, as the spec numbers them. */
export function bitstringWith(setIndexes: Iterable<number>, size = STATUS_LIST_SIZE): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(Math.ceil(size / 8));
  for (const i of setIndexes) {
    if (!Number.isInteger(i) || i < 0 || i >= size) throw new RangeError(`bit ${i} is outside a list of ${size}`);
    bytes[i >> 3]! |= 0x80 >> (i & 7);
  }
  return bytes;
}

export function bitAt(bits: Uint8Array, index: number): boolean {
  if (!Number.isInteger(index) || index < 0 || index >= bits.length * 8) throw new RangeError(`bit ${index} is outside a list of ${bits.length * 8}`);
  return (bits[index >> 3]! & (0x80 >> (index & 7))) !== 0;
}

async function throughStream(bytes: Uint8Array<ArrayBuffer>, stream: CompressionStream | DecompressionStream): Promise<Uint8Array<ArrayBuffer>> {
  const out = await new Response(new Blob([bytes]).stream().pipeThrough(stream)).arrayBuffer();
  return new Uint8Array(out);
}

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("encodedList is not base64url");
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** `encodedList`: multibase base64url (prefix `u`, no padding) of the GZIP-compressed bitstring. */
export async function encodeBitstring(bits: Uint8Array<ArrayBuffer>): Promise<string> {
  return `u${base64url(await throughStream(bits, new CompressionStream("gzip")))}`;
}

/** Reads an `encodedList`, with or without the multibase `u` (the W3C test suite's lists have none). */
export async function decodeBitstring(encodedList: string): Promise<Uint8Array<ArrayBuffer>> {
  const text = encodedList.startsWith("u") ? encodedList.slice(1) : encodedList;
  const gz = fromBase64url(text);
  if (gz[0] !== 0x1f || gz[1] !== 0x8b) throw new Error("encodedList is not GZIP data");
  return throughStream(gz, new DecompressionStream("gzip"));
}

// ── The status list credential ────────────────────────────────────────────────────────────────────────────────

export const STATUS_LIST_CREDENTIAL_TYPE = "BitstringStatusListCredential";

/** How long (ms) a verifier may keep a list before fetching it again: the spec's `ttl`, the same as the cache's. */
export const STATUS_LIST_TTL_MS = 60_000;

export function buildStatusListCredential(input: {
  url: string;
  issuer: string;
  purpose: StatusPurpose;
  encodedList: string;
  validFrom: Date;
}): Record<string, unknown> {
  return {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    id: input.url,
    type: ["VerifiableCredential", STATUS_LIST_CREDENTIAL_TYPE],
    issuer: input.issuer,
    validFrom: input.validFrom.toISOString(),
    credentialSubject: {
      id: `${input.url}#list`,
      type: "BitstringStatusList",
      statusPurpose: input.purpose,
      encodedList: input.encodedList,
      ttl: STATUS_LIST_TTL_MS,
    },
  };
}

/**
 * What a generic verifier does with an entry and the list credential it names: check they agree on the purpose,
 * decode the list and read the bit. Returns whether the status is set, or why the list cannot answer.
 */
export async function readStatus(
  entry: { statusPurpose: string; statusListIndex: string },
  listCredential: Record<string, unknown>,
): Promise<{ ok: true; set: boolean } | { ok: false; message: string }> {
  const types = listCredential["type"];
  if (!Array.isArray(types) || !types.includes(STATUS_LIST_CREDENTIAL_TYPE)) return { ok: false, message: "not a BitstringStatusListCredential" };
  const subject = listCredential["credentialSubject"] as Record<string, unknown> | undefined;
  if (subject === undefined || typeof subject["encodedList"] !== "string") return { ok: false, message: "the list has no encodedList" };
  const purposes = Array.isArray(subject["statusPurpose"]) ? subject["statusPurpose"] : [subject["statusPurpose"]];
  if (!purposes.includes(entry.statusPurpose)) return { ok: false, message: `the list is for ${purposes.join(", ")}, not ${entry.statusPurpose}` };
  const index = Number(entry.statusListIndex);
  if (!/^\d+$/.test(entry.statusListIndex)) return { ok: false, message: "statusListIndex is not a non-negative integer" };
  let bits: Uint8Array;
  try {
    bits = await decodeBitstring(subject["encodedList"]);
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
  if (bits.length * 8 < STATUS_LIST_SIZE) return { ok: false, message: `the list has ${bits.length * 8} entries, fewer than the ${STATUS_LIST_SIZE} required` };
  if (index >= bits.length * 8) return { ok: false, message: `index ${index} is beyond the list's ${bits.length * 8} entries` };
  return { ok: true, set: bitAt(bits, index) };
}
