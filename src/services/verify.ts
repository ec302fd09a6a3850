import { isDeepStrictEqual } from "node:util";
import { decodeProtectedHeader, errors as joseErrors, jwtVerify } from "jose";
import type { AppDeps } from "../deps";
import type { CertificateContent } from "../domain/certificate";
import { certificateUrl, contentFromCredential } from "../domain/credential";
import { CREDENTIAL_TYP } from "../signing/signer";
import { chinaDate } from "../domain/ids";
import type { CertificateRow } from "./certificates";
import type { LotFailure } from "./lab-tests";
import type { ActiveRecall } from "./recall";
import { publicKeyFor, rememberVerified, verifiedBefore } from "../signing/public-keys";
import { type CertificateStanding, standingByCode, type UpstreamNode, upstreamReasons } from "./certificate-standing";
import { type LogEvidence, logEvidenceFor } from "./log-evidence";

export type VerifyStatus = "valid" | "revoked" | "recalled" | "expired" | "failed_test" | "unknown";

export interface VerifyReason {
  code: string;
  message: string;
  [detail: string]: unknown;
}

export interface VerifyResult {
  valid: boolean;
  status: VerifyStatus;
  reasons: VerifyReason[];
  certificate: (CertificateContent & { url: string; status: VerifyStatus; revokedAt: string | null; revokeReason: string | null }) | null;
  /** The certificates a buyer's certificate (样式二) names, and theirs in turn; empty for a producer's. */
  upstream: UpstreamNode[];
  /** The certificate's issue leaf in the transparency log and its inclusion proof; absent when no certificate was found. */
  log?: LogEvidence | null;
}

export type VerifyInput = { code: string } | { url: string } | { jwt: string };

function unknown(reason: VerifyReason): VerifyResult {
  return { valid: false, status: "unknown", reasons: [reason], certificate: null, upstream: [] };
}

/** Checks a token against the published keys only: what any outside verifier with the JWKS would conclude. */
async function checkSignature(
  deps: AppDeps,
  jwt: string,
  known?: { alg: string; publicJwk: object } | null,
): Promise<{ ok: true; content: CertificateContent } | { ok: false; reason: VerifyReason }> {
  const remembered = verifiedBefore<CertificateContent>(deps.db, jwt);
  if (remembered !== undefined) return { ok: true, content: remembered };
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(jwt).kid;
  } catch {
    return { ok: false, reason: { code: "malformed_token", message: "the token is not a compact JWS" } };
  }
  if (kid === undefined) return { ok: false, reason: { code: "unknown_key", message: "the token names no key (kid)" } };
  const key = await publicKeyFor(deps.db, kid, known);
  if (key === null) return { ok: false, reason: { code: "unknown_key", message: `key ${kid} is not one of this service's signing keys`, kid } };
  try {
    const { payload } = await jwtVerify(jwt, key.key, { typ: CREDENTIAL_TYP, algorithms: [key.alg] });
    const content = contentFromCredential(payload);
    if (content === null) return { ok: false, reason: { code: "not_a_certificate", message: "the credential is not a 承诺达标合格证" } };
    rememberVerified(deps.db, jwt, content);
    return { ok: true, content };
  } catch (err) {
    if (err instanceof joseErrors.JWSSignatureVerificationFailed) {
      return { ok: false, reason: { code: "bad_signature", message: "the signature does not match: the token was altered or forged" } };
    }
    return { ok: false, reason: { code: "bad_token", message: `the token does not verify: ${(err as Error).message}` } };
  }
}

const TEST_KIND_EN: Record<string, string> = {
  self_test: "own test",
  entrusted_test: "lab test",
  market_rapid: "market rapid test",
  official_sampling: "official sampling",
};
const TEST_KIND_ZH: Record<string, string> = { self_test: "自行检测", entrusted_test: "委托检测", market_rapid: "市场快检", official_sampling: "监督抽检" };

/**
 * A recall outranks a failed test, which outranks a revocation: whoever scans a crate must first learn that the
 * goods are being taken back, then that they failed. All that apply are listed. Recalls and failures on any lot the
 * certificate's lot was made from count as its own (a mix of a failed lot is failed too).
 */
function statusOf(
  row: CertificateRow,
  failures: readonly LotFailure[],
  recalled: readonly ActiveRecall[],
  inherited: CertificateStanding["inherited"] = [],
  display: (code: string) => string = (c) => c,
): { status: VerifyStatus; reasons: VerifyReason[] } {
  const reasons: VerifyReason[] = [];
  for (const r of recalled) {
    const date = chinaDate(new Date(r.recalledAt));
    const own = r.recalledLotId === row.lotId;
    reasons.push({
      code: "recalled",
      message: `${own ? "the lot was" : "a lot this one was made from was"} recalled on ${date}: ${r.reason}`,
      messageZh: `${own ? "本批产品" : "本批产品的来源批次"}已于 ${date} 召回：${r.reason}`,
      recallId: r.recallId,
      lotId: r.recalledLotId,
      recalledAt: r.recalledAt,
      reason: r.reason,
    });
  }
  for (const f of failures.flatMap((l) => l.failures.map((t) => ({ ...t, lotId: l.lotId })))) {
    const date = chinaDate(new Date(f.testedAt));
    const own = f.lotId === row.lotId;
    reasons.push({
      code: "failed_test",
      message: `${own ? "the lot" : "a lot this one was made from"} failed a ${TEST_KIND_EN[f.kind] ?? f.kind} on ${date}: ${f.found.map((a) => a.messageEn).join(" ")}`,
      messageZh: `${own ? "本批产品" : "本批产品的来源批次"} ${date} ${TEST_KIND_ZH[f.kind] ?? f.kind}不合格：${f.found.map((a) => a.messageZh).join("")}`,
      lotId: f.lotId,
      testId: f.testId,
      kind: f.kind,
      testedAt: f.testedAt,
      analytes: f.found.map((a) => (a.analyte.kind === "ingredient" ? a.analyte.name : a.analyte.classes.join("+"))),
    });
  }
  if (row.status === "revoked") {
    const date = row.revokedAt?.toISOString() ?? "";
    reasons.push({ code: "revoked", message: `revoked on ${date.slice(0, 10)}: ${row.revokeReason ?? ""}`, revokedAt: date, reason: row.revokeReason });
  }
  // A buyer's certificate (样式二) inherits the troubles of every certificate upstream of it.
  reasons.push(...upstreamReasons(inherited, display));
  const has = (s: string) => inherited.some((t) => t.status === s);
  const status: VerifyStatus =
    recalled.length > 0 || has("recalled")
      ? "recalled"
      : failures.length > 0 || has("failed_test")
        ? "failed_test"
        : row.status === "revoked" || has("revoked")
          ? "revoked"
          : "valid";
  return { status, reasons };
}

/**
 * Verifies a certificate given by code, scan URL or token. The answer rests on the signed token (checked against the
 * JWKS) plus the stored status; a stored row whose content no longer matches its signature is reported, never trusted.
 */
export async function verifyCertificate(deps: AppDeps, input: VerifyInput, loaded?: CertificateStanding | null): Promise<VerifyResult> {
  let code: string;
  let presented: { jwt: string; content: CertificateContent } | null = null;
  if ("jwt" in input) {
    const checked = await checkSignature(deps, input.jwt.trim());
    if (!checked.ok) return unknown(checked.reason);
    presented = { jwt: input.jwt.trim(), content: checked.content };
    code = checked.content.code;
  } else {
    let raw: string;
    if ("url" in input) {
      const parsed = codeFromUrl(deps.publicUrl, input.url);
      if (!parsed.ok) return unknown(parsed.reason);
      raw = parsed.code;
    } else {
      raw = input.code;
    }
    const normalized = deps.codeScheme.normalize(raw);
    if (!normalized.ok) return unknown({ code: "malformed_code", message: normalized.message });
    code = normalized.code;
  }

  // One statement (shared by the lookups of this event-loop turn) reads the row, its key, its lineage's recalls and
  // failing tests, and its upstream certificates' (see certificate-standing.ts).
  const standing = loaded !== undefined ? loaded : await standingByCode(deps, code);
  const row = standing?.row;
  if (standing === null || row === undefined) {
    return unknown({ code: "not_found", message: `no certificate with code ${deps.codeScheme.display(code)} was issued here` });
  }
  const stored = await checkSignature(deps, row.jwt, standing.key);
  if (!stored.ok) return unknown({ ...stored.reason, message: `the stored certificate fails verification: ${stored.reason.message}` });
  const reasons: VerifyReason[] = [];
  if (!isDeepStrictEqual(stored.content, row.content)) {
    reasons.push({ code: "record_altered", message: "the stored record differs from what was signed; showing the signed content" });
  }
  if (presented !== null && presented.jwt !== row.jwt) {
    reasons.push({ code: "token_mismatch", message: "this token is not the one registered for the certificate" });
  }
  const logged = await logEvidenceFor(deps, row, standing.issueLeaf);
  reasons.push(...logged.reasons);
  const display = (c: string) => deps.codeScheme.display(c);
  const { status, reasons: statusReasons } = statusOf(row, standing.failures, standing.recalls, standing.inherited, display);
  reasons.push(...statusReasons);
  const valid = status === "valid" && reasons.length === 0;
  return {
    valid,
    status,
    reasons,
    certificate: {
      ...stored.content,
      url: certificateUrl(deps.publicUrl, row.code),
      status,
      revokedAt: row.revokedAt?.toISOString() ?? null,
      revokeReason: row.revokeReason,
    },
    upstream: standing.upstream,
    log: logged.log,
  };
}

function codeFromUrl(publicUrl: string, url: string): { ok: true; code: string } | { ok: false; reason: VerifyReason } {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return { ok: false, reason: { code: "malformed_url", message: "not a URL" } };
  }
  if (parsed.host !== new URL(publicUrl).host) {
    return { ok: false, reason: { code: "foreign_url", message: `the URL points to ${parsed.host}, not to this service (${new URL(publicUrl).host})` } };
  }
  const match = /^\/c\/([^/]+)\/?$/.exec(parsed.pathname);
  if (match === null) return { ok: false, reason: { code: "malformed_url", message: "a certificate URL has the form /c/{code}" } };
  return { ok: true, code: decodeURIComponent(match[1]!) };
}
