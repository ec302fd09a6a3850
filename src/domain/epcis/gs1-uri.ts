import { gs1CheckDigit } from "../gs1.js";

/**
 * Canonical GS1 Digital Link form (`https://id.gs1.org/...`) of a GS1 key written as an EPC URI
 * (pure identity, class or id-pattern) or as any Digital Link URI, as the CBV 2.0 event hash
 * requires. Returns undefined for anything that is not a GS1 key, so callers keep it as is.
 */
export function canonicalGs1Uri(uri: string): string | undefined {
  if (uri.startsWith("urn:epc:")) return epcUriToDigitalLink(uri);
  if (/^https?:\/\//i.test(uri)) return canonicalDigitalLink(uri);
  return undefined;
}

const DL_ROOT = "https://id.gs1.org/";

// One character of an EPC URI component: the URN-safe set or a %-escape.
const URN_CHAR = String.raw`(?:%[0-9A-Fa-f]{2}|[A-Za-z0-9!'()*+,\-.:;=_])`;
const URN_TEXT = new RegExp(`^${URN_CHAR}+$`);
const DIGITS = /^\d*$/;

/**
 * EPC URIs leave these characters raw but a Digital Link path must escape them; existing %-escapes
 * carry over unchanged (the reference implementation and its test vectors do the same).
 */
function escapeForDigitalLink(component: string): string {
  return component.replace(/[!()*+,:]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function withCheckDigit(body: string): string {
  return body + String(gs1CheckDigit(body));
}

/** Company prefix and reference must both be digits and together exactly `length` long. */
function isPartitioned(companyPrefix: string, reference: string, length: number): boolean {
  return (
    companyPrefix.length >= 6 &&
    companyPrefix.length <= 12 &&
    /^\d+$/.test(companyPrefix) &&
    DIGITS.test(reference) &&
    companyPrefix.length + reference.length === length
  );
}

/** The EPC item reference starts with the GTIN's indicator digit, which moves to the front. */
function gtin14(companyPrefix: string, itemReference: string): string | undefined {
  if (!isPartitioned(companyPrefix, itemReference, 13)) return undefined;
  return withCheckDigit(itemReference.slice(0, 1) + companyPrefix + itemReference.slice(1));
}

function checked(companyPrefix: string, reference: string, length: number): string | undefined {
  return isPartitioned(companyPrefix, reference, length) ? withCheckDigit(companyPrefix + reference) : undefined;
}

/** `fixed` dot-separated fields, then everything after them (serials may themselves contain dots). */
function splitFields(body: string, fixed: number): string[] | undefined {
  const parts: string[] = [];
  let rest = body;
  for (let i = 0; i < fixed; i++) {
    const dot = rest.indexOf(".");
    if (dot < 0) return undefined;
    parts.push(rest.slice(0, dot));
    rest = rest.slice(dot + 1);
  }
  parts.push(rest);
  return parts;
}

function freeText(value: string | undefined): string | undefined {
  return value !== undefined && URN_TEXT.test(value) ? escapeForDigitalLink(value) : undefined;
}

function join(...parts: (string | undefined)[]): string | undefined {
  return parts.every((p): p is string => p !== undefined) ? DL_ROOT + parts.join("") : undefined;
}

type Converter = (body: string) => string | undefined;

const PURE_IDENTITIES: Readonly<Record<string, Converter>> = {
  sgtin: (body) => {
    const [cp = "", item = "", serial] = splitFields(body, 2) ?? [];
    return join("01/", gtin14(cp, item), "/21/", freeText(serial));
  },
  sscc: (body) => {
    const [cp = "", ref = ""] = splitFields(body, 1) ?? [];
    if (!isPartitioned(cp, ref, 17)) return undefined;
    return join("00/", withCheckDigit(ref.slice(0, 1) + cp + ref.slice(1)));
  },
  sgln: (body) => {
    const [cp = "", location = "", extension] = splitFields(body, 2) ?? [];
    const gln = checked(cp, location, 12);
    // Extension "0" means "no extension" in the EPC scheme.
    if (extension === "0") return join("414/", gln);
    return join("414/", gln, "/254/", freeText(extension));
  },
  grai: (body) => {
    const [cp = "", assetType = "", serial] = splitFields(body, 2) ?? [];
    const grai = checked(cp, assetType, 12);
    return join("8003/0", grai, freeText(serial));
  },
  giai: (body) => {
    const [cp = "", reference] = splitFields(body, 1) ?? [];
    return isPartitioned(cp, "", cp.length) ? join("8004/", cp, freeText(reference)) : undefined;
  },
  gsrn: (body) => {
    const [cp = "", ref = ""] = splitFields(body, 1) ?? [];
    return join("8018/", checked(cp, ref, 17));
  },
  gsrnp: (body) => {
    const [cp = "", ref = ""] = splitFields(body, 1) ?? [];
    return join("8017/", checked(cp, ref, 17));
  },
  gdti: (body) => {
    const [cp = "", docType = "", serial = ""] = splitFields(body, 2) ?? [];
    return join("253/", checked(cp, docType, 12), serial === "" ? "" : freeText(serial));
  },
  cpi: (body) => {
    const [cp = "", rest = ""] = splitFields(body, 1) ?? [];
    const lastDot = rest.lastIndexOf(".");
    const serial = rest.slice(lastDot + 1);
    if (lastDot < 1 || !/^\d{1,12}$/.test(serial) || !isPartitioned(cp, "", cp.length)) return undefined;
    return join("8010/", cp, freeText(rest.slice(0, lastDot)), "/8011/", serial);
  },
  sgcn: (body) => {
    const [cp = "", coupon = "", serial = ""] = splitFields(body, 2) ?? [];
    if (!/^\d{1,12}$/.test(serial)) return undefined;
    return join("255/", checked(cp, coupon, 12), serial);
  },
  ginc: (body) => {
    const [cp = "", reference] = splitFields(body, 1) ?? [];
    return isPartitioned(cp, "", cp.length) ? join("401/", cp, freeText(reference)) : undefined;
  },
  gsin: (body) => {
    const [cp = "", ref = ""] = splitFields(body, 1) ?? [];
    return join("402/", checked(cp, ref, 16));
  },
  itip: (body) => {
    const [cp = "", item = "", piece = "", total = "", serial] = splitFields(body, 4) ?? [];
    if (!/^\d{2}$/.test(piece) || !/^\d{2}$/.test(total)) return undefined;
    return join("8006/", gtin14(cp, item), piece, total, "/21/", freeText(serial));
  },
  upui: (body) => {
    const [cp = "", item = "", tpx] = splitFields(body, 2) ?? [];
    return join("01/", gtin14(cp, item), "/235/", freeText(tpx));
  },
  pgln: (body) => {
    const [cp = "", party = ""] = splitFields(body, 1) ?? [];
    return join("417/", checked(cp, party, 12));
  },
};

const CLASSES: Readonly<Record<string, Converter>> = {
  lgtin: (body) => {
    const [cp = "", item = "", lot] = splitFields(body, 2) ?? [];
    return join("01/", gtin14(cp, item), "/10/", freeText(lot));
  },
};

/** Only the patterns that name a whole class (everything but the serial wildcarded) have a DL form. */
const PATTERNS: Readonly<Record<string, Converter>> = {
  sgtin: (body) => {
    const [cp = "", item = "", star] = splitFields(body, 2) ?? [];
    return star === "*" ? join("01/", gtin14(cp, item)) : undefined;
  },
  upui: (body) => PATTERNS.sgtin?.(body),
  grai: (body) => {
    const [cp = "", assetType = "", star] = splitFields(body, 2) ?? [];
    return star === "*" ? join("8003/0", checked(cp, assetType, 12)) : undefined;
  },
  gdti: (body) => {
    const [cp = "", docType = "", star] = splitFields(body, 2) ?? [];
    return star === "*" ? join("253/", checked(cp, docType, 12)) : undefined;
  },
  sgcn: (body) => {
    const [cp = "", coupon = "", star] = splitFields(body, 2) ?? [];
    return star === "*" ? join("255/", checked(cp, coupon, 12)) : undefined;
  },
  cpi: (body) => {
    const [cp = "", reference = "", star] = splitFields(body, 2) ?? [];
    if (star !== "*" || !isPartitioned(cp, "", cp.length)) return undefined;
    return join("8010/", cp, freeText(reference));
  },
  itip: (body) => {
    const [cp = "", item = "", piece = "", total = "", star] = splitFields(body, 4) ?? [];
    if (star !== "*" || !/^\d{2}$/.test(piece) || !/^\d{2}$/.test(total)) return undefined;
    return join("8006/", gtin14(cp, item), piece, total);
  },
};

const EPC_FAMILIES: Readonly<Record<string, Readonly<Record<string, Converter>>>> = {
  id: PURE_IDENTITIES,
  class: CLASSES,
  idpat: PATTERNS,
};

function epcUriToDigitalLink(uri: string): string | undefined {
  const match = /^urn:epc:(id|class|idpat):([a-z]+):(.+)$/.exec(uri);
  if (!match) return undefined;
  const [, family = "", scheme = "", body = ""] = match;
  const convert = EPC_FAMILIES[family]?.[scheme];
  return convert ? convert(body) : undefined;
}

// Digital Link primary keys by AI and by their short-name aliases.
const PRIMARY_KEYS: Readonly<Record<string, string>> = {
  "00": "00", sscc: "00",
  "01": "01", gtin: "01",
  "253": "253", gdti: "253",
  "255": "255", gcn: "255",
  "401": "401", ginc: "401",
  "402": "402", gsin: "402",
  "414": "414", gln: "414",
  "417": "417", party: "417",
  "8003": "8003", grai: "8003",
  "8004": "8004", giai: "8004",
  "8006": "8006", itip: "8006",
  "8010": "8010", cpid: "8010",
  "8017": "8017", gsrnp: "8017",
  "8018": "8018", gsrn: "8018",
};

const QUALIFIER_ALIASES: Readonly<Record<string, string>> = { cpv: "22", lot: "10", ser: "21" };

const QUALIFIERS_OF: Readonly<Record<string, readonly string[]>> = {
  "01": ["22", "10", "21", "235"],
  "8006": ["22", "10", "21"],
  "414": ["254"],
  "8010": ["8011"],
};

const KEY_FORMATS: Readonly<Record<string, RegExp>> = {
  "00": /^\d{18}$/,
  "01": /^\d{14}$/,
  "402": /^\d{17}$/,
  "414": /^\d{13}$/,
  "417": /^\d{13}$/,
  "8003": /^\d{14}/,
  "8006": /^\d{18}$/,
  "8017": /^\d{18}$/,
  "8018": /^\d{18}$/,
};

/** Short GTINs are zero-padded to the 14 digits of the canonical form. */
function padGtin(value: string): string {
  return /^(\d{8}|\d{12}|\d{13})$/.test(value) ? value.padStart(14, "0") : value;
}

/**
 * Any host, alias AIs, query string, CPV (22) and a lot shadowed by a serial are dropped: the hash
 * needs the finest identification level only, on GS1's canonical host.
 */
function canonicalDigitalLink(uri: string): string | undefined {
  const match = /^https?:\/\/[^/?#]+(\/[^?#]*)/i.exec(uri);
  if (!match) return undefined;
  const segments = (match[1] ?? "").split("/").filter((s) => s !== "");
  const start = segments.findIndex((s, i) => s in PRIMARY_KEYS && /^\d{4}/.test(segments[i + 1] ?? ""));
  if (start < 0) return undefined;

  const ai = PRIMARY_KEYS[segments[start] ?? ""] ?? "";
  const value = ai === "01" ? padGtin(segments[start + 1] ?? "") : (segments[start + 1] ?? "");
  if (!(KEY_FORMATS[ai]?.test(value) ?? true)) return undefined;

  const rest = segments.slice(start + 2);
  if (rest.length % 2 !== 0) return undefined;
  const allowed = QUALIFIERS_OF[ai] ?? [];
  const qualifiers = new Map<string, string>();
  for (let i = 0; i < rest.length; i += 2) {
    const raw = rest[i] ?? "";
    const qualifier = QUALIFIER_ALIASES[raw] ?? raw;
    if (!allowed.includes(qualifier)) return undefined;
    qualifiers.set(qualifier, rest[i + 1] ?? "");
  }
  qualifiers.delete("22");
  if (qualifiers.has("21")) qualifiers.delete("10");

  const path = [ai, value];
  for (const qualifier of allowed) {
    const qualifierValue = qualifiers.get(qualifier);
    if (qualifierValue !== undefined) path.push(qualifier, qualifierValue);
  }
  return DL_ROOT + path.join("/");
}
