import { describe, expect, it } from "vitest";
import { elementStringToDigitalLink, toDigitalLinkUri } from "./generate-digital-link";
import { type GenerateVector, readVector, toOptions } from "./test-vectors";

const vectors = (readVector("gs1-syntax-engine-dl-generate-vectors.json") as { generateDLuri: GenerateVector[] }).generateDLuri.map(
  (v) => ({ ...v, name: `line ${v.line}: ${v.aiElementString}${v.note ? ` (${v.note})` : ""}` }),
);

describe("elementStringToDigitalLink against the GS1 Syntax Engine vectors", () => {
  it.each(vectors)("$name", (v) => {
    const result = elementStringToDigitalLink(v.aiElementString, v.stem ?? undefined, toOptions(v.options));
    if (v.shouldSucceed) expect(result).toEqual({ ok: true, uri: v.expectedUri });
    else expect(result.ok).toBe(false);
  });
});

describe("toDigitalLinkUri", () => {
  it("orders qualifiers by the dictionary, whatever the input order", () => {
    const result = toDigitalLinkUri(
      [
        { ai: "21", value: "S+1" },
        { ai: "17", value: "260131" },
        { ai: "01", value: "09520123456788" },
        { ai: "10", value: "L/1" },
      ],
      { stem: "https://trace.example.cn/" },
    );
    expect(result).toEqual({ ok: true, uri: "https://trace.example.cn/01/09520123456788/10/L%2F1/21/S%2B1?17=260131" });
  });

  it("accepts FNC1-separated element strings as the parser produces them", () => {
    expect(elementStringToDigitalLink("^010952012345678810ABC^21XYZ^17260131")).toEqual({
      ok: true,
      uri: "https://id.gs1.org/01/09520123456788/10/ABC/21/XYZ?17=260131",
    });
  });

  it.each([
    [[{ ai: "01", value: "09520123456789" }], /check digit/],
    [[{ ai: "01", value: "09520123456788" }, { ai: "10", value: "A" }, { ai: "10", value: "B" }], /AI \(10\) appears twice/],
    [[{ ai: "10", value: "A" }], /AI \(10\) requires/],
    [[{ ai: "0", value: "A" }], /not a GS1 AI/],
  ])("rejects invalid elements %#", (elements, reason) => {
    const result = toDigitalLinkUri(elements);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it.each(["ftp://example.com", "https://", "https://example.com?x=1", "https://exa mple.com", "https://example.com//x"])(
    "rejects the stem %s",
    (stem) => {
      expect(toDigitalLinkUri([{ ai: "01", value: "09520123456788" }], { stem }).ok).toBe(false);
    },
  );
});
