/**
 * Content negotiation for the scan and resolver URLs (RFC 9110 §12.5.1): the representation the client weights
 * highest among those offered, the more specific range winning ties; the first offer when the client says nothing.
 */
interface Range {
  type: string;
  subtype: string;
  q: number;
  order: number;
}

function parseAccept(header: string): Range[] {
  const ranges: Range[] = [];
  header.split(",").forEach((part, order) => {
    const [media, ...params] = part.split(";").map((s) => s.trim());
    const [type, subtype] = (media ?? "").toLowerCase().split("/");
    if (type === undefined || subtype === undefined || type === "" || subtype === "") return;
    let q = 1;
    for (const p of params) {
      const m = /^q\s*=\s*([0-9.]+)$/i.exec(p);
      if (m !== null) q = Math.min(1, Math.max(0, Number(m[1])));
    }
    ranges.push({ type, subtype, q: Number.isFinite(q) ? q : 0, order });
  });
  return ranges;
}

function specificity(r: Range): number {
  return r.type === "*" ? 0 : r.subtype === "*" ? 1 : 2;
}

/** The q the client gives `offer`: from the most specific range matching it, 0 when none does. */
function qualityOf(ranges: readonly Range[], offer: string): number {
  const [type, subtype] = offer.split("/");
  let best: Range | undefined;
  for (const r of ranges) {
    const matches = (r.type === "*" || r.type === type) && (r.subtype === "*" || r.subtype === subtype);
    if (matches && (best === undefined || specificity(r) > specificity(best))) best = r;
  }
  return best?.q ?? 0;
}

/**
 * Picks one of `offers` (media types, in the server's order of preference). Returns null when the client accepts
 * none of them, which the caller may answer with its default or a 406.
 */
export function negotiate<T extends string>(accept: string | undefined, offers: readonly T[]): T | null {
  if (accept === undefined || accept.trim() === "") return offers[0] ?? null;
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return offers[0] ?? null;
  let chosen: T | null = null;
  let chosenQ = 0;
  let chosenExact = false;
  for (const offer of offers) {
    const q = qualityOf(ranges, offer);
    const exact = ranges.some((r) => `${r.type}/${r.subtype}` === offer && r.q > 0);
    // A client naming a type exactly prefers it to what a wildcard would pick at the same weight.
    if (q > chosenQ || (q === chosenQ && q > 0 && exact && !chosenExact)) {
      chosen = offer;
      chosenQ = q;
      chosenExact = exact;
    }
  }
  return chosen;
}
