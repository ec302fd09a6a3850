/**
 * AI elements → canonical GS1 Digital Link URI: the first primary key in the data, the
 * qualifier path that carries the most of the given AIs, then data attributes in the
 * query string (pre-defined-length AIs first, each group in the order given).
 */
import { GS1_AI_DICTIONARY, lookupAi } from "./ai-dictionary";
import { aiValueProblem } from "./ai-value";
import type { DigitalLinkOptions } from "./digital-link-options";
import { parseElementString } from "./element-string";
import { type AiElement, type KnownElement, associationProblem } from "./elements";
import { encodeComponent } from "./uri-component";
import { splitOrigin } from "./uri-origin";

export const GS1_CANONICAL_STEM = "https://id.gs1.org";

export type DigitalLinkUriResult = { readonly ok: true; readonly uri: string } | { readonly ok: false; readonly reason: string };

export interface GenerateOptions extends DigitalLinkOptions {
  /** "scheme://host[/path]" to put before the primary key; defaults to https://id.gs1.org. */
  readonly stem?: string;
}

const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

function checkedStem(stem: string): string | { ok: false; reason: string } {
  const split = splitOrigin(stem);
  if (!split.ok) return fail(`stem: ${split.reason}`);
  const path = split.rest.endsWith("/") ? split.rest.slice(0, -1) : split.rest;
  if (!/^(?:\/[^/?#]+)*$/.test(path)) return fail(`stem "${stem}" must be scheme://host optionally followed by /path segments, without query or fragment`);
  return split.origin + path;
}

/** Longest in-order run of a qualifier alternative present in the data; ties go to the lexically first path, as in the GS1 Syntax Engine. */
function choosePath(key: KnownElement, present: ReadonlySet<string>): string[] {
  const candidates = (key.entry.qualifierPaths ?? [[]]).map((alternative) => [key.ai, ...alternative.filter((ai) => present.has(ai))]);
  return candidates.reduce((best, candidate) =>
    candidate.length > best.length || (candidate.length === best.length && candidate.join(" ") < best.join(" ")) ? candidate : best,
  );
}

export function toDigitalLinkUri(elements: readonly AiElement[], options: GenerateOptions = {}): DigitalLinkUriResult {
  const stem = checkedStem(options.stem ?? GS1_CANONICAL_STEM);
  if (typeof stem !== "string") return stem;

  const known: KnownElement[] = [];
  for (const { ai, value } of elements) {
    const entry = lookupAi(GS1_AI_DICTIONARY, ai, options.permitUnknownAiAttributes === true);
    if (!entry) return fail(`(${ai}) is not a GS1 AI`);
    const problem = aiValueProblem(entry, value);
    if (problem) return fail(problem);
    known.push({ ai, value, entry });
  }
  const associations = associationProblem(known);
  if (associations) return fail(associations);
  // associationProblem has ruled out repeats with different values, so first occurrences carry all the data.
  const unique = known.filter((e, i) => known.findIndex((other) => other.ai === e.ai) === i);

  const key = unique.find((e) => e.entry.qualifierPaths !== null);
  if (!key) return fail("no GS1 primary key AI (such as (01) GTIN) among the elements");
  const pathAis = choosePath(key, new Set(unique.map((e) => e.ai)));
  const byAi = new Map(unique.map((e) => [e.ai, e]));
  const path = pathAis.map((ai) => `/${ai}/${encodeComponent(byAi.get(ai)?.value ?? "", false)}`).join("");

  const attributes = unique.filter((e) => !pathAis.includes(e.ai));
  const misplaced = attributes.find((e) => !e.entry.dataAttribute);
  if (misplaced) {
    return fail(`AI (${misplaced.ai}) is neither a qualifier on the path /${pathAis.join("/…/")}/… nor a permitted data attribute`);
  }
  const ordered = [...attributes.filter((e) => e.entry.fixedLength), ...attributes.filter((e) => !e.entry.fixedLength)];
  const query = ordered.map((e) => `${e.ai}=${encodeComponent(e.value, true)}`).join("&");
  return { ok: true, uri: `${stem}${path}${query ? `?${query}` : ""}` };
}

export function elementStringToDigitalLink(elementString: string, stem?: string, options: DigitalLinkOptions = {}): DigitalLinkUriResult {
  const parsed = parseElementString(elementString, options);
  if (!parsed.ok) return parsed;
  return toDigitalLinkUri(parsed.elements, stem === undefined ? options : { ...options, stem });
}
