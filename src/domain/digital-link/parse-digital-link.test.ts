import { describe, expect, it } from "vitest";
import { parseDigitalLink } from "./parse-digital-link";
import { type ParseVector, isStrict, readVector, toOptions } from "./test-vectors";

const vectors = (readVector("gs1-syntax-engine-dl-parse-vectors.json") as { parseDLuri: ParseVector[] }).parseDLuri;
const label = (v: ParseVector) => ({ ...v, name: `line ${v.line}: ${v.uri || "(empty)"}${v.note ? ` (${v.note})` : ""}` });
const strict = vectors.filter((v) => isStrict(v.options)).map(label);
const legacyOptions = vectors.filter((v) => !isStrict(v.options) && !v.options.permitConvenienceAlphas).map(label);
// Deprecated convenience alphas (/gtin/, /ser/ ...) are deliberately not supported.
const convenienceAlphas = vectors.filter((v) => v.options.permitConvenienceAlphas).map(label);

function expectVerdict(v: ParseVector & { name: string }) {
  const result = parseDigitalLink(v.uri, toOptions(v.options));
  if (v.valid) {
    expect(result).toMatchObject({ ok: true, elementString: v.expectedElementString });
  } else {
    expect(result.ok).toBe(false);
  }
}

describe("parseDigitalLink against the GS1 Syntax Engine vectors", () => {
  it("covers all 118 vectors", () => {
    expect(strict.length + legacyOptions.length + convenienceAlphas.length).toBe(118);
  });
  it.each(strict)("strict $name", expectVerdict);
  it.each(legacyOptions)("with engine options $name", expectVerdict);
  it.each(convenienceAlphas)("refuses convenience alpha $name", (v) => {
    const result = parseDigitalLink(v.uri, toOptions(v.options));
    if (v.valid && result.ok) {
      // Only a URI that needs no alpha (numeric AIs throughout) may still parse.
      expect(v.uri).not.toMatch(/\/(gtin|cpv|lot|ser|sscc|gln|grai|giai|gsrn|gdti|gcn|ginc|gsin|itip|upui|pgln|cpid|gmn)\//i);
    } else {
      expect(result.ok).toBe(false);
    }
  });
});

describe("parseDigitalLink", () => {
  it("splits stem, primary key, qualifiers and data attributes", () => {
    const result = parseDigitalLink(
      "https://trace.example.cn/p/01/09520123456788/10/LOT%2F7/21/S1?17=260131&linkType=gs1:certificationInfo&3103=000195",
    );
    expect(result).toEqual({
      ok: true,
      stem: "https://trace.example.cn/p",
      primaryKey: { ai: "01", value: "09520123456788" },
      qualifiers: [
        { ai: "10", value: "LOT/7" },
        { ai: "21", value: "S1" },
      ],
      attributes: [
        { ai: "17", value: "260131" },
        { ai: "3103", value: "000195" },
      ],
      elementString: "^010952012345678810LOT/7^21S1^172601313103000195",
    });
  });

  it.each([
    ["https://a/01/09520123456789", /AI \(01\).*check digit/],
    ["https://a/01/09520123456788/21/S1/10/L1", /\/01\/21\/10 .*order \/22\/10\/21/],
    ["https://a/01/09520123456788?22=X", /AI \(22\) is not permitted as a data attribute/],
    ["https://a/01/09520123456788?10=L1", /AI \(10\) .*must be in the path/],
    ["https://a/01/09520123456788?17=261331", /AI \(17\).*month/],
    ["https://a/00/006141411234567890?10=L1", /AI \(10\) requires \(01\) or \(02\)/],
    ["https://a/01/09520123456788/10/50%", /AI \(10\).*percent-encoding/],
    ["https://a/01/09520123456788/", /must not end with '\/'/],
  ])("rejects %s with a reason naming the rule", (uri, reason) => {
    const result = parseDigitalLink(uri);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it("accepts zero-suppressed GTINs only when asked", () => {
    expect(parseDigitalLink("https://a/01/9520123456788").ok).toBe(false);
    expect(parseDigitalLink("https://a/01/9520123456788", { permitZeroSuppressedGtin: true })).toMatchObject({
      primaryKey: { ai: "01", value: "09520123456788" },
    });
  });
});
