import { gzipSync } from "node:zlib";

/** Below this a body fits in one packet or two anyway: compressing it would save little and cost a header. */
const MIN_BYTES = 1024;
const COMPRESSIBLE = /^(text\/|image\/svg\+xml|application\/([\w.-]+\+)?(json|xml|javascript))/i;

/**
 * The body gzip-compressed, when compressing is worth it: a scan's JSON shrinks to under a quarter, the bytes a phone
 * on a weak network waits for. gzip because every browser accepts it over plain HTTP and HTTPS alike.
 */
export function gzipped(body: Uint8Array<ArrayBuffer>, contentType: string | undefined): Uint8Array<ArrayBuffer> | undefined {
  if (body.byteLength < MIN_BYTES || contentType === undefined || !COMPRESSIBLE.test(contentType)) return undefined;
  const compressed = gzipSync(body, { level: 9 });
  return compressed.byteLength < body.byteLength ? new Uint8Array(compressed.buffer, compressed.byteOffset, compressed.byteLength) : undefined;
}
