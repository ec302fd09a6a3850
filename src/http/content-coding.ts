/**
 * Content-coding negotiation for public reads, pure so that it runs on Workers too; the compressing itself is the
 * runtime's (deps.gzip).
 */

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
