import { convertQuantity, roundQuantity } from "../units";

/**
 * A buyer's certificate (样式二) names the certificates its goods were collected under (无证不得收购): certificates
 * issued here, addressed by code; certificates of another platform (its name and the code printed there); and paper
 * certificates (their number, with a photo kept as evidence). Each entry says how much of the buyer's goods came
 * under it.
 */
export const UPSTREAM_KINDS = ["certificate", "other_platform", "paper"] as const;
export type UpstreamKind = (typeof UPSTREAM_KINDS)[number];

export type UpstreamInput =
  | { kind: "certificate"; code: string; quantity: number; unit?: string | undefined }
  | { kind: "other_platform"; platform: string; code: string; quantity: number; unit: string }
  | { kind: "paper"; number: string; photoId: string; quantity: number; unit: string };

/** How an upstream reference is frozen into the signed content of the buyer's certificate. */
export type UpstreamReference =
  | {
      kind: "certificate";
      code: string;
      quantity: { amount: number; unit: string };
      product: string;
      issuer: { name: string; creditCode: string | null };
      issueDate: string;
    }
  | { kind: "other_platform"; platform: string; code: string; quantity: { amount: number; unit: string } }
  | { kind: "paper"; number: string; quantity: { amount: number; unit: string }; photo: { id: string; sha256: string } };

/** Deepest chain of certificates followed when reading a certificate's upstream (a buyer's buyer's buyer …). */
export const MAX_UPSTREAM_DEPTH = 8;

/** At most this many entries on one certificate: more than a truck's worth of farms is a data-entry mistake. */
export const MAX_UPSTREAM_ENTRIES = 200;

export interface FieldError {
  path: string;
  message: string;
}

/**
 * The rules an upstream list must meet on its own, before anything is looked up: every certificate and every
 * external code named once, and — when all quantities can be compared — the entries together covering the
 * certificate's quantity (a buyer cannot promise more goods than it collected certificates for).
 */
export function upstreamListErrors(certificate: { quantity: number; unit: string }, entries: readonly UpstreamInput[]): FieldError[] {
  const errors: FieldError[] = [];
  if (entries.length === 0) errors.push({ path: "upstream", message: "a buyer's certificate names at least one upstream certificate" });
  const seen = new Map<string, number>();
  entries.forEach((e, i) => {
    const key = e.kind === "certificate" ? `c:${e.code}` : e.kind === "other_platform" ? `o:${e.platform}\u0000${e.code}` : `p:${e.number}`;
    const first = seen.get(key);
    if (first !== undefined) {
      const field = e.kind === "paper" ? "number" : "code";
      errors.push({ path: `upstream.${i}.${field}`, message: `names the same certificate as upstream.${first}; give it once with the whole quantity` });
    } else seen.set(key, i);
  });
  let total = 0;
  let comparable = true;
  for (const e of entries) {
    if (e.unit === undefined) {
      comparable = false;
      continue;
    }
    const converted = convertQuantity(e.quantity, e.unit, certificate.unit);
    if (converted === null) comparable = false;
    else total += converted;
  }
  if (comparable && entries.length > 0 && roundQuantity(total) < roundQuantity(certificate.quantity)) {
    errors.push({
      path: "upstream",
      message: `the upstream entries cover ${roundQuantity(total)} ${certificate.unit}, less than the ${certificate.quantity} ${certificate.unit} certified`,
    });
  }
  return errors;
}

/** What an upstream certificate issued here looks like when an entry claims from it. */
export interface UpstreamCandidate {
  code: string;
  quantity: number;
  unit: string;
  /** Already used, in the candidate's unit: claimed by other buyers' certificates or received at market gates. */
  claimed: number;
  /** Its status as verify answers it, upstream inheritance included. */
  status: string;
}

/**
 * The rules for one entry naming a certificate issued here: it exists, it is valid (not revoked, recalled or failed,
 * itself or upstream), the quantity converts to its unit, and what is left unclaimed covers the entry. Returns the
 * claimed quantity in the candidate's unit when the entry is good.
 */
export function claimCheck(
  index: number,
  entry: { code: string; quantity: number; unit: string },
  candidate: UpstreamCandidate | undefined,
  displayCode: (code: string) => string,
): { ok: true; claim: number } | { ok: false; error: FieldError } {
  const at = (field: string) => `upstream.${index}.${field}`;
  if (candidate === undefined) return { ok: false, error: { path: at("code"), message: `no certificate ${displayCode(entry.code)} was issued here` } };
  if (candidate.status !== "valid") {
    return { ok: false, error: { path: at("code"), message: `certificate ${displayCode(entry.code)} is ${candidate.status}; only a valid certificate can be named upstream` } };
  }
  const claim = convertQuantity(entry.quantity, entry.unit, candidate.unit);
  if (claim === null) return { ok: false, error: { path: at("unit"), message: `${entry.unit} cannot be converted to the certificate's unit ${candidate.unit}` } };
  const left = roundQuantity(candidate.quantity - candidate.claimed);
  if (claim > left) {
    return {
      ok: false,
      error: { path: at("quantity"), message: `certificate ${displayCode(entry.code)} has ${left} ${candidate.unit} left to claim; ${claim} ${candidate.unit} were claimed` },
    };
  }
  return { ok: true, claim };
}
