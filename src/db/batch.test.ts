import { describe, expect, it } from "vitest";
import { batchLoader, textArray } from "./batch";

describe("batchLoader", () => {
  it("collects the keys of one turn into one call", async () => {
    const calls: string[][] = [];
    const loader = batchLoader<string, string>(async (keys) => {
      calls.push([...keys]);
      return keys.map((k) => k.toUpperCase());
    });
    await expect(Promise.all(["a", "b", "a"].map((k) => loader.load(k)))).resolves.toEqual(["A", "B", "A"]);
    expect(calls).toEqual([["a", "b", "a"]]);
  });
});

describe("textArray", () => {
  it("quotes and escapes every element", () => {
    expect(textArray([])).toBe("{}");
    expect(textArray(["a", 'b"c', "d\\e", "f,g", "NULL"])).toBe('{"a","b\\"c","d\\\\e","f,g","NULL"}');
  });
});
