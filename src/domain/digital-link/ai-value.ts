/** Checks one AI value against its dictionary format: lengths, character set, then linters. */
import type { AiEntry, CharacterSet } from "./ai-dictionary";
import { LINTERS } from "./linters";

const CHARSETS: Readonly<Record<CharacterSet, { pattern: RegExp; name: string }>> = {
  N: { pattern: /^[0-9]*$/, name: "digits" },
  X: { pattern: /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$/, name: "GS1 CSET 82" },
  Y: { pattern: /^[#\-/0-9A-Z]*$/, name: "GS1 CSET 39" },
  Z: { pattern: /^[A-Za-z0-9\-_]*={0,2}$/, name: "base64url" },
};

function describeChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return code > 0x20 && code < 0x7f ? `'${char}'` : `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** Returns a human-readable problem naming the AI and the rule broken, or null if the value is valid. */
export function aiValueProblem(entry: AiEntry, value: string): string | null {
  const label = `AI (${entry.ai}) value ${JSON.stringify(value)}`;
  let position = 0;
  for (const component of entry.components) {
    const remaining = value.length - position;
    if (remaining === 0 && component.optional) break;
    if (remaining < component.minLength) return `${label} is too short for format ${entry.format}`;
    const part = value.slice(position, position + Math.min(remaining, component.maxLength));
    const charset = CHARSETS[component.charset];
    if (!charset.pattern.test(part)) {
      const bad = [...part].find((char) => !charset.pattern.test(char)) ?? part;
      return `${label} contains ${describeChar(bad)}, which is not allowed in ${charset.name} (format ${entry.format})`;
    }
    for (const name of component.linters) {
      const problem = LINTERS[name]?.(part);
      if (problem) return `${label}: ${problem}`;
    }
    position += part.length;
  }
  if (position < value.length) return `${label} is too long for format ${entry.format}`;
  return null;
}
