import { gzipSync } from "node:zlib";

/** Below this a body fits in one packet or two anyway: compressing it would save little and cost a header. */
const MIN_BYTES = 1024;
const COMPRESSIBLE = /^(text\/|image\/svg\+xml|application\/([\w.-]+\+)?(json|xml|javascript))/i;

/**
 * The body gzip-compressed, when compressing is worth it: a scan's JSON or page shrinks to a fifth, which is what a
 * phone on a weak network waits for. gzip because every browser accepts it over plain HTTP and HTTPS alike.
 */
export function gzipped(body: Uint8Array<ArrayBuffer>, contentType: string | undefined): Uint8Array<ArrayBuffer> | undefined {
  if (body.byteLength < MIN_BYTES || contentType === undefined || !COMPRESSIBLE.test(contentType)) return undefined;
  const compressed = gzipSync(body, { level: 9 });
  return compressed.byteLength < body.byteLength ? new Uint8Array(compressed.buffer, compressed.byteOffset, compressed.byteLength) : undefined;
}

/** Whether an Accept-Encoding header (RFC 9110 §12.5.3) admits gzip: named or by `*`, with a weight above zero. */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  let star = false;
  for (const part of header.split(",")) {
    const [coding = "", ...params] = part.split(";");
    const name = coding.trim().toLowerCase();
    const q = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith("q="));
    const accepted = q === undefined || Number(q.slice(2)) > 0;
    if (name === "gzip" || name === "x-gzip") return accepted;
    if (name === "*") star = accepted;
  }
  return star;
}

/** A strong tag names one byte sequence, so the compressed body has a tag of its own (RFC 9110 §8.8.3). */
export function gzipEtag(etag: string): string {
  return etag.endsWith('"') ? `${etag.slice(0, -1)}-gz"` : etag;
}
