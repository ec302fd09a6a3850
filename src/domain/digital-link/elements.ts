/** AI/value pairs and the rules that apply to a set of them as a whole. */
import type { AiEntry } from "./ai-dictionary";

export interface AiElement {
  readonly ai: string;
  readonly value: string;
}

/** An element whose AI has been looked up in the dictionary. */
export interface KnownElement extends AiElement {
  readonly entry: AiEntry;
}

/** Dictionary AI patterns use "n" for any digit, e.g. "31nn". */
function matchesPattern(ai: string, pattern: string): boolean {
  return ai.length === pattern.length && [...pattern].every((p, i) => p === ai[i] || (p === "n" && /\d/.test(ai[i] ?? "")));
}

const describeAlternative = (alternative: readonly string[]): string => alternative.map((p) => `(${p})`).join(" with ");

/**
 * Checks the dictionary's mandatory ("req=") and invalid ("ex=") AI pairings, and that a
 * repeated AI always carries the same value. Returns a problem naming the AIs, or null.
 */
export function associationProblem(elements: readonly KnownElement[]): string | null {
  const values = new Map<string, string>();
  for (const { ai, value } of elements) {
    const earlier = values.get(ai);
    if (earlier !== undefined && earlier !== value) return `AI (${ai}) appears twice with different values`;
    values.set(ai, value);
  }
  const present = [...values.keys()];
  for (const { ai, entry } of elements) {
    for (const pattern of entry.excludes) {
      const clash = present.find((other) => other !== ai && matchesPattern(other, pattern));
      if (clash) return `AI (${ai}) must not be used together with AI (${clash})`;
    }
    for (const group of entry.requires) {
      const satisfied = group.some((alternative) =>
        alternative.every((pattern) => present.some((other) => matchesPattern(other, pattern))),
      );
      if (!satisfied) return `AI (${ai}) requires ${group.map(describeAlternative).join(" or ")}`;
    }
  }
  return null;
}
