// Standard base64 with padding (RFC 4648 §4), as C2SP checkpoints and notes use.
// Decoding is strict: Buffer alone would skip stray characters and accept non-zero padding bits,
// which would let two different texts carry the same bytes.

const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/** The bytes `text` encodes, or undefined unless it is the one canonical encoding of them. */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (!STANDARD_BASE64.test(text)) return undefined;
  const bytes = new Uint8Array(Buffer.from(text, "base64"));
  return encodeBase64(bytes) === text ? bytes : undefined;
}
