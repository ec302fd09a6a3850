import { createHash } from "node:crypto";
import { createLocalJWKSet, decodeJwt, type JSONWebKeySet, jwtVerify } from "jose";
import { parseLeaf } from "../domain/log/leaf";
import { hashLeaf, type NoteVerifierKey, parseVerifierKey, verifyCheckpoint, verifyInclusion } from "../domain/merkle";
import { decodeBase64 } from "../domain/merkle/base64";
import { type Fetch, FetchError, getJson, getText } from "./http";

/** One step of the verdict, printed as a line. */
export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface CertificateVerdict {
  ok: boolean;
  code: string | null;
  checks: Check[];
}

export interface CheckOptions {
  /** A certificate code, its scan URL (https://host/c/CODE) or a compact JWS. */
  target: { code: string } | { url: string } | { jwt: string };
  /** The service, when the target does not name it (a bare code). */
  baseUrl?: string;
  fetch: Fetch;
  /** The log key to trust (`<name>+<id>+<key>`); without it the key the service publishes is used, and said so. */
  logKey?: string;
}

interface VerifyAnswer {
  valid: boolean;
  status: string;
  reasons: { code: string; message: string }[];
  log?: { leafIndex: number; leafData: string; treeSize: number | null; inclusionProof: string[] | null; checkpoint: string | null } | null;
}

function located(target: CheckOptions["target"], baseUrl: string | undefined): { base: string; code: string | null; jwt: string | null } {
  if ("jwt" in target) {
    // The credential's id is its scan URL, which names both the service and the code.
    const id = decodeJwt(target.jwt)["id"];
    const match = typeof id === "string" ? /^(https?:\/\/[^/]+(?:\/.*)?)\/c\/([^/]+)$/.exec(id) : null;
    return { base: baseUrl ?? match?.[1] ?? "", code: match?.[2] ?? null, jwt: target.jwt };
  }
  if ("url" in target) {
    const url = new URL(target.url);
    const match = /^\/c\/([^/]+)\/?$/.exec(url.pathname);
    if (match === null) throw new FetchError(`${target.url} is not a certificate URL (…/c/{code})`);
    return { base: baseUrl ?? url.origin, code: decodeURIComponent(match[1]!), jwt: null };
  }
  return { base: baseUrl ?? "", code: target.code.replaceAll("-", "").replaceAll(" ", "").toUpperCase(), jwt: null };
}

/**
 * Checks a certificate the way anyone outside the service can: its signature against the published JWKS, its status
 * as the service reports it, and its issue's place in the transparency log against a checkpoint signed by the log key.
 */
export async function checkCertificate(options: CheckOptions): Promise<CertificateVerdict> {
  const checks: Check[] = [];
  const add = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });
  let where;
  try {
    where = located(options.target, options.baseUrl);
  } catch (err) {
    add("input", false, (err as Error).message);
    return { ok: false, code: null, checks };
  }
  const { base, code } = where;
  if (base === "") {
    add("input", false, "no service to ask: give the certificate's URL or --url");
    return { ok: false, code, checks };
  }
  try {
    const jwt = where.jwt ?? (await getText(options.fetch, `${base}/c/${encodeURIComponent(code ?? "")}/credential.jwt`)).trim();

    const jwks = await getJson<JSONWebKeySet>(options.fetch, `${base}/.well-known/jwks.json`);
    try {
      const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(jwks), { typ: "vc+jwt" });
      const subject = payload["credentialSubject"] as { code?: string; product?: { name?: string }; quantity?: { amount?: number; unit?: string } } | undefined;
      add("signature", true, `signed by key ${protectedHeader.kid} from ${base}/.well-known/jwks.json (${subject?.product?.name ?? "?"}, ${subject?.quantity?.amount ?? "?"} ${subject?.quantity?.unit ?? ""})`);
    } catch (err) {
      add("signature", false, `the token does not verify against the published keys: ${(err as Error).message}`);
    }

    const answer = await getJson<VerifyAnswer>(options.fetch, `${base}/v1/verify`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jwt }),
    });
    const reasons = answer.reasons.map((r) => `${r.code}: ${r.message}`).join("; ");
    add("status", answer.valid, answer.valid ? "valid: not revoked, recalled or failed" : `${answer.status}${reasons === "" ? "" : ` (${reasons})`}`);

    let key: NoteVerifierKey;
    const keyText = options.logKey ?? (await getText(options.fetch, `${base}/v1/log/key`)).trim();
    const parsedKey = parseVerifierKey(keyText);
    if (!parsedKey.ok) {
      add("log", false, `the log key ${keyText} is unusable: ${parsedKey.message}`);
      return { ok: false, code, checks };
    }
    key = parsedKey.key;
    const log = answer.log;
    if (log === undefined || log === null || log.checkpoint === null || log.inclusionProof === null || log.treeSize === null) {
      add("log", false, log === undefined || log === null ? "the service gave no log entry for this certificate" : "no signed checkpoint covers the certificate's leaf yet");
      return { ok: false, code, checks };
    }
    const checkpoint = await verifyCheckpoint(log.checkpoint, key.keyName, [key]);
    if (!checkpoint.ok) {
      add("log", false, `the checkpoint is not signed by the log key ${options.logKey === undefined ? "(as published)" : "(as given)"}: ${checkpoint.message}`);
      return { ok: false, code, checks };
    }
    const leaf = parseLeaf(log.leafData);
    const jwtHash = createHash("sha256").update(jwt, "utf8").digest("hex");
    if (!leaf.ok || leaf.leaf.type !== "certificate.issued" || leaf.leaf.fields["jwtSha256"] !== jwtHash) {
      add("log", false, `leaf ${log.leafIndex} does not record this token's issue`);
      return { ok: false, code, checks };
    }
    const proof = log.inclusionProof.map((p) => decodeBase64(p) ?? new Uint8Array());
    const included = verifyInclusion(hashLeaf(new TextEncoder().encode(log.leafData)), log.leafIndex, checkpoint.checkpoint.size, proof, checkpoint.checkpoint.rootHash);
    add(
      "log",
      included.ok,
      included.ok
        ? `issued ${leaf.leaf.at}, leaf ${log.leafIndex} of ${checkpoint.checkpoint.size} in ${key.keyName}; the proof leads to the checkpoint signed by ${options.logKey === undefined ? "the key the service publishes (pin it with --log-key)" : "the pinned log key"}`
        : `the inclusion proof does not lead to the signed root: ${included.message}`,
    );
  } catch (err) {
    if (!(err instanceof FetchError)) throw err;
    add("network", false, err.message);
  }
  return { ok: checks.length > 0 && checks.every((c) => c.ok), code, checks };
}
