/**
 * GS1 element strings: bracketed "(01)09520123456788(10)ABC" for people, and
 * "^010952012345678810ABC" style with "^" for FNC1 as the GS1 Syntax Engine writes them.
 */
import { GS1_AI_DICTIONARY, lookupAi } from "./ai-dictionary";
import { aiValueProblem } from "./ai-value";
import type { DigitalLinkOptions } from "./digital-link-options";
import type { KnownElement } from "./elements";

type ElementsResult = { ok: true; elements: KnownElement[] } | { ok: false; reason: string };

/** FNC1 starts the string and follows every value whose AI has no pre-defined length, except the last. */
export function formatElementString(elements: readonly KnownElement[]): string {
  return elements
    .map((e, i) => `${e.ai}${e.value}${!e.entry.fixedLength && i < elements.length - 1 ? "^" : ""}`)
    .reduce((out, part) => out + part, "^");
}

function element(ai: string, value: string, options: DigitalLinkOptions): KnownElement | string {
  const entry = lookupAi(GS1_AI_DICTIONARY, ai, options.permitUnknownAiAttributes === true);
  if (!entry) return `(${ai}) is not a GS1 AI`;
  return aiValueProblem(entry, value) ?? { ai, value, entry };
}

/** "(AI)value" pairs; a literal "(" inside a value is written "\(". */
function parseBracketed(input: string, options: DigitalLinkOptions): ElementsResult {
  const elements: KnownElement[] = [];
  const pair = /\((\d+)\)((?:\\\(|[^(])*)/y;
  while (pair.lastIndex < input.length) {
    const m = pair.exec(input);
    if (!m) return { ok: false, reason: `element string is not "(AI)value..." at offset ${pair.lastIndex}` };
    const result = element(m[1] ?? "", (m[2] ?? "").replaceAll("\\(", "("), options);
    if (typeof result === "string") return { ok: false, reason: result };
    elements.push(result);
  }
  return { ok: true, elements };
}

/** AIs are prefix-free, so the first 2-4 digits that name a known AI are the AI. */
function parseFnc1Separated(input: string): ElementsResult {
  const elements: KnownElement[] = [];
  let at = 1;
  while (at < input.length) {
    if (input[at] === "^") {
      at++;
      continue;
    }
    const ai = [2, 3, 4].map((n) => input.slice(at, at + n)).find((candidate) => GS1_AI_DICTIONARY.entries.has(candidate));
    const entry = ai === undefined ? undefined : GS1_AI_DICTIONARY.entries.get(ai);
    if (ai === undefined || !entry) return { ok: false, reason: `no GS1 AI at offset ${at} of the element string` };
    const start = at + ai.length;
    const fnc1 = input.indexOf("^", start);
    const end = entry.fixedLength
      ? start + entry.components.reduce((sum, c) => sum + c.maxLength, 0)
      : fnc1 < 0 ? input.length : fnc1;
    const value = input.slice(start, end);
    const problem = aiValueProblem(entry, value);
    if (problem) return { ok: false, reason: problem };
    elements.push({ ai, value, entry });
    at = end;
  }
  return { ok: true, elements };
}

/** Accepts either notation; unknown AIs (when permitted) only in the bracketed one, since their length is unknown. */
export function parseElementString(input: string, options: DigitalLinkOptions = {}): ElementsResult {
  if (input.startsWith("(")) return parseBracketed(input, options);
  if (input.startsWith("^")) return parseFnc1Separated(input);
  return { ok: false, reason: 'element string must start with "(" (bracketed AIs) or "^" (FNC1)' };
}
