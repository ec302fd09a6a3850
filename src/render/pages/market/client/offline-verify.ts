/**
 * Verifying a certificate on the gate device with no network: the signed token held for its code, checked with
 * WebCrypto Ed25519 against the stored JWKS, and its credentialStatus read from the stored (and also signed) status
 * lists. Only signed data decides; the device's copies are as fresh as the last time it was online.
 */
import { CREDENTIAL_TYPE } from "../../../../domain/credential";
import { gateVerdict } from "../../../../domain/market/verdict";
import { readStatus } from "../../../../domain/status-list";
import { credentialByCode, listById, type Meta } from "./offline-store";

export interface OfflineReason {
  code: string;
  message: string;
  messageZh: string;
  [detail: string]: unknown;
}

interface Content {
  code: string;
  product: { name: string; category: string };
  quantity: { amount: number; unit: string };
  issuer: { name: string; creditCode: string | null; phone: string };
  origin: { regionCode: string; regionName: string | null };
  lot: { id: string; code: string; harvestedAt: string };
  issueDate: string;
}

function bytesOf(b64url: string): Uint8Array<ArrayBuffer> {
  const binary = atob(b64url.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (b64url.length % 4)) % 4));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

const jsonOf = (b64url: string): Record<string, unknown> => JSON.parse(new TextDecoder().decode(bytesOf(b64url))) as Record<string, unknown>;

/** A compact JWS signed with EdDSA by a key of the JWKS, with the given typ; the payload, or why not. */
export async function verifyJws(
  jwt: string,
  jwks: { keys: JsonWebKey[] },
): Promise<{ ok: true; payload: Record<string, unknown> } | { ok: false; reason: OfflineReason }> {
  const parts = jwt.split(".");
  if (parts.length !== 3) return { ok: false, reason: { code: "malformed_token", message: "not a compact JWS", messageZh: "签名数据格式不对" } };
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  try {
    header = jsonOf(parts[0]!);
    payload = jsonOf(parts[1]!);
  } catch {
    return { ok: false, reason: { code: "malformed_token", message: "not a compact JWS", messageZh: "签名数据格式不对" } };
  }
  const jwk = jwks.keys.find((k) => (k as { kid?: string }).kid === header["kid"]);
  if (header["alg"] !== "EdDSA" || header["typ"] !== "vc+jwt" || jwk === undefined || jwk.crv !== "Ed25519") {
    return { ok: false, reason: { code: "unknown_key", message: `key ${String(header["kid"])} is not in the stored JWKS`, messageZh: "签名密钥不在平台公钥中，疑似伪造" } };
  }
  const key = await crypto.subtle.importKey("jwk", { kty: "OKP", crv: "Ed25519", x: jwk.x! }, { name: "Ed25519" }, false, ["verify"]);
  const signed = new TextEncoder().encode(`${parts[0]}.${parts[1]}`);
  const good = await crypto.subtle.verify({ name: "Ed25519" }, key, bytesOf(parts[2]!), signed);
  if (!good) return { ok: false, reason: { code: "bad_signature", message: "the signature does not match", messageZh: "签名不符：合格证被篡改或伪造" } };
  return { ok: true, payload };
}

export interface OfflineCheck {
  code: string;
  displayCode: string | null;
  genuine: boolean;
  valid: boolean;
  status: string;
  reasons: OfflineReason[];
  verdict: { decision: "accept" | "hold" | "reject"; reasons: { code: string; zh: string; en: string }[] };
  certificateId: string | null;
  product: { name: string; category: string } | null;
  quantity: { amount: number; unit: string } | null;
  received: number | null;
  remaining: number | null;
  issuer: { name: string; creditCode: string | null; phone: string; regionCode: string; regionName: string | null } | null;
  lot: { id: string; code: string; harvestedAt: string } | null;
  issueDate: string | null;
  upstream: null;
  coldChain: { handover: null; openExcursions: number };
  offline: { asOf: string | null };
}

const hold = (code: string, zh: string, en: string) => ({ decision: "hold" as const, reasons: [{ code, zh, en }] });

/**
 * The gate's verdict from the device's copies. `localReceivedSince` gives what this device recorded against the code
 * since its copy was read (sent or still queued), so two trucks on one certificate cannot both pass while offline.
 */
export async function checkOffline(
  code: string,
  displayCode: string,
  meta: Meta,
  localReceivedSince: (asOf: string) => Promise<number>,
): Promise<OfflineCheck> {
  const base: OfflineCheck = {
    code,
    displayCode,
    genuine: false,
    valid: false,
    status: "unknown",
    reasons: [],
    verdict: hold("offline_unknown", "离线：本机没有这张合格证的签名数据，无法核验，请联网后查验", "offline: this certificate is not on the device"),
    certificateId: null,
    product: null,
    quantity: null,
    received: null,
    remaining: null,
    issuer: null,
    lot: null,
    issueDate: null,
    upstream: null,
    coldChain: { handover: null, openExcursions: 0 },
    offline: { asOf: meta.updatedAt },
  };
  const stored = await credentialByCode(code);
  if (stored === undefined || meta.jwks === null) return base;
  const checked = await verifyJws(stored.jwt, meta.jwks);
  if (!checked.ok) return { ...base, reasons: [checked.reason], verdict: gateVerdict({ genuine: false, status: "unknown", valid: false, remaining: null, coldChainFlagged: false, openExcursions: 0 }) };
  const types = checked.payload["type"];
  const subject = checked.payload["credentialSubject"] as Content | undefined;
  if (!Array.isArray(types) || !types.includes(CREDENTIAL_TYPE) || subject === undefined || subject.code !== code) {
    return { ...base, reasons: [{ code: "not_a_certificate", message: "the token is not this certificate", messageZh: "签名数据不是这张合格证" }] };
  }

  // Each status entry is read from its list, itself checked against the same keys.
  const entries = (Array.isArray(checked.payload["credentialStatus"]) ? checked.payload["credentialStatus"] : [checked.payload["credentialStatus"]]).filter(
    (e): e is { statusPurpose: string; statusListIndex: string; statusListCredential: string } => typeof e === "object" && e !== null,
  );
  const set = new Set<string>();
  const unknown: string[] = [];
  for (const entry of entries) {
    const list = /\/status-lists\/([a-z]+)\/(\d+)$/.exec(entry.statusListCredential);
    const stored = list === null ? undefined : await listById(`${list[1]}/${list[2]}`);
    const listChecked = stored === undefined ? null : await verifyJws(stored.jwt, meta.jwks);
    const read = listChecked === null || !listChecked.ok ? null : await readStatus(entry, listChecked.payload);
    if (read === null || !read.ok) unknown.push(entry.statusPurpose);
    else if (read.set) set.add(entry.statusPurpose);
  }

  const received = stored.received + (await localReceivedSince(stored.asOf));
  const remaining = Math.round((subject.quantity.amount - received) * 1000) / 1000;
  const status = set.has("revocation") ? "revoked" : set.has("suspension") ? "suspended" : entries.length === 0 || unknown.length > 0 ? "unknown" : "valid";
  const reasons: OfflineReason[] = [];
  let verdict = gateVerdict({ genuine: true, status: status === "revoked" ? "revoked" : "valid", valid: true, remaining, coldChainFlagged: false, openExcursions: 0 });
  if (status === "suspended") {
    verdict = {
      decision: "reject",
      reasons: [{ code: "suspended", zh: "产品已被召回或检测不合格", en: "the goods are recalled or failed a test" }, ...verdict.reasons],
    };
  } else if (status === "unknown" && verdict.decision === "accept") {
    verdict = hold("status_unknown", "离线：本机没有这张合格证的状态名单，请联网后查验", "offline: no status list for this certificate on the device");
  }
  return {
    ...base,
    genuine: true,
    valid: status === "valid",
    status,
    reasons,
    verdict,
    product: { name: subject.product.name, category: subject.product.category },
    quantity: subject.quantity,
    received,
    remaining,
    issuer: { name: subject.issuer.name, creditCode: subject.issuer.creditCode, phone: subject.issuer.phone, regionCode: subject.origin.regionCode, regionName: subject.origin.regionName },
    lot: subject.lot,
    issueDate: subject.issueDate,
  };
}
