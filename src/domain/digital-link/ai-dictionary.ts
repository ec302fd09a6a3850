/**
 * The GS1 Application Identifier table, parsed once from the GS1 Barcode Syntax
 * Dictionary text (see README.md for its origin and licence).
 */
import { GS1_SYNTAX_DICTIONARY_TEXT } from "./gs1-syntax-dictionary.generated";

/** N digits, X GS1 CSET 82, Y GS1 CSET 39, Z base64url (CSET 64). */
export type CharacterSet = "N" | "X" | "Y" | "Z";

export interface ValueComponent {
  readonly charset: CharacterSet;
  readonly minLength: number;
  readonly maxLength: number;
  readonly optional: boolean;
  readonly linters: readonly string[];
}

export interface AiEntry {
  readonly ai: string;
  readonly title: string;
  /** Spec without linters, e.g. "N13 [X..17]", for error messages. */
  readonly format: string;
  readonly components: readonly ValueComponent[];
  /** Pre-defined length: no FNC1 separator needed after the value in an element string. */
  readonly fixedLength: boolean;
  /** May appear in the query string of a Digital Link URI. */
  readonly dataAttribute: boolean;
  /** null when not a primary key; otherwise the alternative ordered qualifier lists. */
  readonly qualifierPaths: readonly (readonly string[])[] | null;
  /** Each group must be satisfied by one alternative; an alternative is AI patterns joined by "+". */
  readonly requires: readonly (readonly (readonly string[])[])[];
  readonly excludes: readonly string[];
}

export interface AiDictionary {
  readonly entries: ReadonlyMap<string, AiEntry>;
  /** Every allowed path AI sequence, space-joined: the key then any in-order subset of one alternative. */
  readonly pathSequences: ReadonlySet<string>;
}

const FLAG_TOKEN = /^[*!?"$%&'()+,\-./:;<=>@[\\\]^_`{|}~]+$/;
const COMPONENT_TOKEN = /^(\[?)([NXYZ])(\.\.)?(\d+)(\]?)((?:,\w+)*)$/;

function parseComponent(token: string, line: string): ValueComponent {
  const m = COMPONENT_TOKEN.exec(token);
  if (!m) throw new Error(`Syntax dictionary: bad component "${token}" in: ${line}`);
  const [, open, charset, range, length, close, linters] = m;
  if ((open === "[") !== (close === "]")) throw new Error(`Syntax dictionary: unbalanced [] in: ${line}`);
  const max = Number(length);
  return {
    charset: charset as CharacterSet,
    minLength: range ? 1 : max,
    maxLength: max,
    optional: open === "[",
    linters: linters ? linters.slice(1).split(",") : [],
  };
}

function expandAiRange(token: string): string[] {
  const [first, last] = token.split("-");
  if (!first || !/^\d{2,4}$/.test(first)) throw new Error(`Syntax dictionary: bad AI "${token}"`);
  if (last === undefined) return [first];
  const ais: string[] = [];
  for (let n = Number(first); n <= Number(last); n++) ais.push(String(n).padStart(first.length, "0"));
  return ais;
}

function parseLine(line: string): AiEntry[] {
  const hash = line.indexOf("#");
  const title = hash < 0 ? "" : line.slice(hash + 1).trim();
  const tokens = (hash < 0 ? line : line.slice(0, hash)).trim().split(/\s+/);
  const [aiToken, ...rest] = tokens;
  if (!aiToken) return [];
  const flags = rest[0] !== undefined && FLAG_TOKEN.test(rest[0]) ? (rest.shift() ?? "") : "";

  const components: ValueComponent[] = [];
  let qualifierPaths: string[][] | null = null;
  const requires: string[][][] = [];
  const excludes: string[] = [];
  for (const token of rest) {
    if (token === "dlpkey") qualifierPaths = [[]];
    else if (token.startsWith("dlpkey=")) qualifierPaths = token.slice(7).split("|").map((alt) => alt.split(","));
    else if (token.startsWith("req=")) requires.push(token.slice(4).split(",").map((alt) => alt.split("+")));
    else if (token.startsWith("ex=")) excludes.push(...token.slice(3).split(","));
    else components.push(parseComponent(token, line));
  }
  if (components.length === 0) throw new Error(`Syntax dictionary: no format in: ${line}`);

  const format = components
    .map((c) => {
      const spec = `${c.charset}${c.minLength === c.maxLength ? "" : ".."}${c.maxLength}`;
      return c.optional ? `[${spec}]` : spec;
    })
    .join(" ");
  return expandAiRange(aiToken).map((ai) => ({
    ai,
    title,
    format,
    components,
    fixedLength: flags.includes("*"),
    dataAttribute: flags.includes("?"),
    qualifierPaths,
    requires,
    excludes,
  }));
}

function inOrderSubsets(items: readonly string[]): string[][] {
  return items.reduce<string[][]>((subsets, item) => [...subsets, ...subsets.map((s) => [...s, item])], [[]]);
}

export function parseSyntaxDictionary(text: string): AiDictionary {
  const entries = new Map<string, AiEntry>();
  for (const line of text.split("\n")) {
    if (line.trim() === "" || line.trimStart().startsWith("#")) continue;
    for (const entry of parseLine(line)) entries.set(entry.ai, entry);
  }
  const pathSequences = new Set<string>();
  for (const entry of entries.values()) {
    for (const alternative of entry.qualifierPaths ?? []) {
      for (const subset of inOrderSubsets(alternative)) pathSequences.add([entry.ai, ...subset].join(" "));
    }
  }
  return { entries, pathSequences };
}

export const GS1_AI_DICTIONARY: AiDictionary = parseSyntaxDictionary(GS1_SYNTAX_DICTIONARY_TEXT);

export function isValidPathSequence(dictionary: AiDictionary, ais: readonly string[]): boolean {
  return dictionary.pathSequences.has(ais.join(" "));
}

const UNKNOWN_AI_COMPONENTS: readonly ValueComponent[] = [
  { charset: "X", minLength: 1, maxLength: 90, optional: false, linters: [] },
];

/**
 * The entry for an AI, or, when unknown AIs are permitted, a stand-in that treats the
 * AI as a variable-length CSET 82 data attribute. An unknown AI must not overlap a known
 * one by prefix, since GS1 AIs are prefix-free.
 */
export function lookupAi(dictionary: AiDictionary, ai: string, permitUnknown: boolean): AiEntry | undefined {
  const entry = dictionary.entries.get(ai);
  if (entry || !permitUnknown || !/^\d{2,4}$/.test(ai)) return entry;
  for (const known of dictionary.entries.keys()) {
    if (known.startsWith(ai) || ai.startsWith(known)) return undefined;
  }
  return {
    ai,
    title: "UNKNOWN",
    format: "X..90",
    components: UNKNOWN_AI_COMPONENTS,
    fixedLength: false,
    dataAttribute: true,
    qualifierPaths: null,
    requires: [],
    excludes: [],
  };
}
