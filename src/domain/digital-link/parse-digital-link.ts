/**
 * GS1 Digital Link URI → AI elements (GS1 Digital Link URI Syntax 1.4 / ISO/IEC 18975),
 * with the verdicts of the GS1 Syntax Engine's reference parser.
 */
import { GS1_AI_DICTIONARY, isValidPathSequence, lookupAi, type AiEntry } from "./ai-dictionary";
import { aiValueProblem } from "./ai-value";
import { type DigitalLinkOptions, expandZeroSuppressedGtin } from "./digital-link-options";
import { formatElementString } from "./element-string";
import { type AiElement, type KnownElement, associationProblem } from "./elements";
import { decodeComponent } from "./uri-component";
import { splitOrigin } from "./uri-origin";

export type ParsedDigitalLink = {
  readonly ok: true;
  readonly primaryKey: AiElement;
  readonly qualifiers: readonly AiElement[];
  /** Data attributes from the query string; non-AI parameters (linkType, context, ...) are not included. */
  readonly attributes: readonly AiElement[];
  /** "^" marks FNC1, as in the GS1 Syntax Engine. */
  readonly elementString: string;
  /** Everything before the primary key: "scheme://host[:port][/custom/path]". */
  readonly stem: string;
};

export type DigitalLinkParseResult = ParsedDigitalLink | { readonly ok: false; readonly reason: string };

type Step<T> = { ok: true; value: T } | { ok: false; reason: string };
const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

function describeQualifierPaths(entry: AiEntry): string {
  const paths = entry.qualifierPaths ?? [];
  if (paths.every((alternative) => alternative.length === 0)) return `(${entry.ai}) takes no qualifiers`;
  const orders = paths.map((alternative) => alternative.map((ai) => `/${ai}`).join(""));
  return `(${entry.ai}) takes qualifiers in the order ${orders.join(" or ")} (any may be left out, none reordered)`;
}

function checkedElement(entry: AiEntry, raw: string, where: string, isQuery: boolean, options: DigitalLinkOptions): Step<KnownElement> {
  if (raw === "") return fail(`AI (${entry.ai}) in the ${where} has an empty value`);
  const decoded = decodeComponent(raw, isQuery);
  if (decoded === null) return fail(`AI (${entry.ai}) in the ${where} has malformed percent-encoding: "${raw}"`);
  const value = expandZeroSuppressedGtin(entry.ai, decoded, options);
  const problem = aiValueProblem(entry, value);
  return problem ? fail(`${problem} (in the ${where})`) : { ok: true, value: { ai: entry.ai, value, entry } };
}

/**
 * Pairs are taken from the end of the path: the rightmost /AI/value pair whose AI is a
 * primary key starts the Digital Link part, and anything before it is a custom stem,
 * even if it looks like AIs.
 */
function findPrimaryKey(segments: readonly string[]): { keyIndex: number; keyEntry: AiEntry } | null {
  for (let i = segments.length - 2; i >= 0; i -= 2) {
    const entry = GS1_AI_DICTIONARY.entries.get(segments[i] ?? "");
    if (entry?.qualifierPaths) return { keyIndex: i, keyEntry: entry };
  }
  return null;
}

interface PathPart {
  stem: string;
  primaryKey: KnownElement;
  qualifiers: KnownElement[];
}

function parsePath(origin: string, path: string, options: DigitalLinkOptions): Step<PathPart> {
  if (path === "" || path === "/") return fail("URI has no path: expected /{primary key AI}/{value}");
  if (path.endsWith("/")) return fail("path must not end with '/'");
  const segments = path.slice(1).split("/");

  const found = findPrimaryKey(segments);
  if (!found) return fail("no GS1 primary key found in the path: its last /{AI}/{value} pairs must start with a primary key such as /01/{GTIN-14}");

  const { keyIndex, keyEntry } = found;
  const primaryKey = checkedElement(keyEntry, segments[keyIndex + 1] ?? "", "path", false, options);
  if (!primaryKey.ok) return primaryKey;
  const qualifiers: KnownElement[] = [];
  for (let i = keyIndex + 2; i < segments.length; i += 2) {
    const ai = segments[i] ?? "";
    const entry = GS1_AI_DICTIONARY.entries.get(ai);
    if (!entry) return fail(`path segment "/${ai}" after the primary key is not a GS1 AI; ${describeQualifierPaths(keyEntry)}`);
    const element = checkedElement(entry, segments[i + 1] ?? "", "path", false, options);
    if (!element.ok) return element;
    qualifiers.push(element.value);
  }
  const ais = [keyEntry.ai, ...qualifiers.map((e) => e.ai)];
  if (!isValidPathSequence(GS1_AI_DICTIONARY, ais)) {
    const given = ais.map((ai) => `/${ai}`).join("");
    return fail(`path AIs ${given} are not a valid key-qualifier sequence: ${describeQualifierPaths(keyEntry)}`);
  }
  const stemPath = segments.slice(0, keyIndex).join("/");
  return {
    ok: true,
    value: { stem: stemPath === "" ? origin : `${origin}/${stemPath}`, primaryKey: primaryKey.value, qualifiers },
  };
}

/** Query parameters whose names are all digits must be AIs; other parameters are not GS1's business and are skipped. */
function parseQuery(query: string, options: DigitalLinkOptions): Step<KnownElement[]> {
  const elements: KnownElement[] = [];
  for (const parameter of query.split("&")) {
    const equals = parameter.indexOf("=");
    if (equals < 0) continue;
    const name = parameter.slice(0, equals);
    if (!/^\d+$/.test(name)) continue;
    const entry = lookupAi(GS1_AI_DICTIONARY, name, options.permitUnknownAiAttributes === true);
    if (!entry) return fail(`query parameter "${name}" is numeric but is not a GS1 AI`);
    const element = checkedElement(entry, parameter.slice(equals + 1), "query string", true, options);
    if (!element.ok) return element;
    elements.push(element.value);
  }
  return { ok: true, value: elements };
}

function attributeProblem(attribute: KnownElement, earlier: readonly KnownElement[], pathAis: readonly string[]): string | null {
  if (earlier.some((e) => e.ai === attribute.ai)) return `AI (${attribute.ai}) appears more than once in the URI`;
  if (!attribute.entry.dataAttribute) return `AI (${attribute.ai}) is not permitted as a data attribute in the query string`;
  // An AI that would form a valid key-qualifier path belongs in the path, not the query.
  for (let at = 1; at <= pathAis.length; at++) {
    const trial = [...pathAis.slice(0, at), attribute.ai, ...pathAis.slice(at)];
    if (isValidPathSequence(GS1_AI_DICTIONARY, trial)) {
      return `AI (${attribute.ai}) is a key qualifier of (${pathAis[0] ?? ""}) and must be in the path, not the query string`;
    }
  }
  return null;
}

export function parseDigitalLink(uri: string, options: DigitalLinkOptions = {}): DigitalLinkParseResult {
  const origin = splitOrigin(uri);
  if (!origin.ok) return origin;

  const hash = origin.rest.indexOf("#");
  const beforeFragment = hash < 0 ? origin.rest : origin.rest.slice(0, hash);
  const question = beforeFragment.indexOf("?");
  const path = question < 0 ? beforeFragment : beforeFragment.slice(0, question);
  const query = question < 0 ? "" : beforeFragment.slice(question + 1);

  const pathPart = parsePath(origin.origin, path, options);
  if (!pathPart.ok) return pathPart;
  const queryPart = parseQuery(query, options);
  if (!queryPart.ok) return queryPart;

  const { stem, primaryKey, qualifiers } = pathPart.value;
  const pathElements = [primaryKey, ...qualifiers];
  const pathAis = pathElements.map((e) => e.ai);
  const all: KnownElement[] = [...pathElements];
  for (const attribute of queryPart.value) {
    const problem = attributeProblem(attribute, all, pathAis);
    if (problem) return fail(problem);
    all.push(attribute);
  }
  const associations = associationProblem(all);
  if (associations) return fail(associations);

  const plain = ({ ai, value }: KnownElement): AiElement => ({ ai, value });
  return {
    ok: true,
    primaryKey: plain(primaryKey),
    qualifiers: qualifiers.map(plain),
    attributes: queryPart.value.map(plain),
    elementString: formatElementString(all),
    stem,
  };
}
