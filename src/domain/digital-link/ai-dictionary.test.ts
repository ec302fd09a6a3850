import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GS1_AI_DICTIONARY, isValidPathSequence, lookupAi, parseSyntaxDictionary } from "./ai-dictionary";
import { renderDictionaryModule } from "./generate-dictionary-module";
import { LINTERS, UNCHECKED_LINTERS } from "./linters";

const here = new URL(".", import.meta.url);

describe("GS1 syntax dictionary", () => {
  it("the generated module matches gs1-syntax-dictionary.txt (rerun generate-dictionary-module.ts if not)", () => {
    const text = readFileSync(new URL("gs1-syntax-dictionary.txt", here), "utf8");
    const generated = readFileSync(new URL("gs1-syntax-dictionary.generated.ts", here), "utf8");
    expect(generated).toBe(renderDictionaryModule(text));
  });

  it("names only linters that are implemented or knowingly left unchecked", () => {
    const named = new Set([...GS1_AI_DICTIONARY.entries.values()].flatMap((e) => e.components.flatMap((c) => c.linters)));
    const unknown = [...named].filter((name) => !(name in LINTERS) && !UNCHECKED_LINTERS.has(name));
    expect(unknown).toEqual([]);
  });

  it("reads formats, flags and Digital Link key paths", () => {
    expect(GS1_AI_DICTIONARY.entries.get("01")).toMatchObject({
      title: "GTIN",
      format: "N14",
      fixedLength: true,
      dataAttribute: true,
      qualifierPaths: [["22", "10", "21"], ["235"]],
      excludes: ["255", "37"],
    });
    expect(GS1_AI_DICTIONARY.entries.get("253")).toMatchObject({ format: "N13 [X..17]", fixedLength: false, qualifierPaths: [[]] });
    expect(GS1_AI_DICTIONARY.entries.get("3925")).toMatchObject({ requires: [[["01"]], [["30"], ["31nn"], ["32nn"], ["35nn"], ["36nn"]]] });
    expect(GS1_AI_DICTIONARY.entries.has("3106")).toBe(false);
  });

  it("allows qualifiers to be skipped but never reordered or mixed across alternatives", () => {
    expect(isValidPathSequence(GS1_AI_DICTIONARY, ["01", "22", "21"])).toBe(true);
    expect(isValidPathSequence(GS1_AI_DICTIONARY, ["01", "21", "10"])).toBe(false);
    expect(isValidPathSequence(GS1_AI_DICTIONARY, ["01", "10", "235"])).toBe(false);
    expect(isValidPathSequence(GS1_AI_DICTIONARY, ["10"])).toBe(false);
  });

  it("stands in for unknown AIs only when permitted and not overlapping a known AI", () => {
    expect(lookupAi(GS1_AI_DICTIONARY, "89", false)).toBeUndefined();
    expect(lookupAi(GS1_AI_DICTIONARY, "89", true)).toMatchObject({ ai: "89", dataAttribute: true });
    expect(lookupAi(GS1_AI_DICTIONARY, "999", true)).toBeUndefined();
  });

  it("rejects a malformed specification", () => {
    expect(() => parseSyntaxDictionary("01  *?  Q14  # BAD")).toThrow(/bad component "Q14"/);
    expect(() => parseSyntaxDictionary("01  *?  [N14  # BAD")).toThrow(/unbalanced/);
  });
});
