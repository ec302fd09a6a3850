// The bytes of a transparency log leaf. The database writes them (migration 0016, lotproof_log_append_pending); this
// is the same format in TypeScript, so verifiers can read a leaf and the tests can hold the SQL to the specification.
//
// A leaf is one line of JSON, UTF-8, no trailing newline, members in this order:
//   "v": 1, "type": <LogLeafType>, "at": <ISO 8601 UTC with milliseconds>, then the type's own members in the order
//   LEAF_FIELDS lists them. Strings are escaped as JSON.stringify escapes them; no spaces outside strings.
// The leaf hash is SHA-256(0x00 ‖ bytes) (RFC 9162 §2.1.1).

export const LEAF_FIELDS = {
  "certificate.issued": ["certificate", "lot", "kid", "jwtSha256"],
  "certificate.revoked": ["certificate", "lot", "reason"],
  "certificate.status_changed": ["certificate", "lot", "status"],
  "lot.recalled": ["recall", "lot", "scope", "reason"],
  "lot.recall_lifted": ["recall", "lot", "reason"],
  "lot.test_failed": ["test", "lot", "kind"],
  "lot.test_cleared": ["test", "lot", "kind", "retestOf"],
  "key.added": ["kid", "alg"],
  "key.retired": ["kid"],
  "key.compromised": ["kid", "compromisedAt", "reason"],
} as const satisfies Record<string, readonly string[]>;

export type LogLeafType = keyof typeof LEAF_FIELDS;

export interface LogLeaf {
  type: LogLeafType;
  at: string;
  fields: Record<string, string | null>;
}

export function isLeafType(value: unknown): value is LogLeafType {
  return typeof value === "string" && Object.hasOwn(LEAF_FIELDS, value);
}

/** The canonical text of a leaf. Throws on a member the type does not have: that is a caller bug. */
export function formatLeaf(leaf: LogLeaf): string {
  const names = LEAF_FIELDS[leaf.type];
  for (const name of Object.keys(leaf.fields)) {
    if (!(names as readonly string[]).includes(name)) throw new RangeError(`a ${leaf.type} leaf has no member ${name}`);
  }
  const members = [`"v":1`, `"type":${JSON.stringify(leaf.type)}`, `"at":${JSON.stringify(leaf.at)}`];
  for (const name of names) members.push(`${JSON.stringify(name)}:${JSON.stringify(leaf.fields[name] ?? null)}`);
  return `{${members.join(",")}}`;
}

export type LeafParse = { ok: true; leaf: LogLeaf } | { ok: false; message: string };

/** Reads a leaf and insists that it is canonical: a text that would format differently is not a leaf of this log. */
export function parseLeaf(text: string): LeafParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: "the leaf is not JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, message: "the leaf is not a JSON object" };
  const record = value as Record<string, unknown>;
  if (record["v"] !== 1) return { ok: false, message: "unknown leaf version" };
  const type = record["type"];
  if (!isLeafType(type)) return { ok: false, message: `unknown leaf type ${String(type)}` };
  const at = record["at"];
  if (typeof at !== "string") return { ok: false, message: "the leaf has no time" };
  const fields: Record<string, string | null> = {};
  for (const name of LEAF_FIELDS[type]) {
    const v = record[name];
    if (v !== null && typeof v !== "string") return { ok: false, message: `member ${name} must be a string or null` };
    fields[name] = v ?? null;
  }
  const leaf: LogLeaf = { type, at, fields };
  if (formatLeaf(leaf) !== text) return { ok: false, message: "the leaf is not in canonical form" };
  return { ok: true, leaf };
}
