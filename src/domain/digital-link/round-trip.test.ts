import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gs1CheckDigit } from "../gs1";
import { elementStringToDigitalLink, toDigitalLinkUri } from "./generate-digital-link";
import { parseDigitalLink } from "./parse-digital-link";

const CSET82 = [..."!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"];
const digits = (length: number) => fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: length, maxLength: length });
const gtin14 = digits(13).map((body) => body + String(gs1CheckDigit(body)));
const cset82 = fc.string({ unit: fc.constantFrom(...CSET82), minLength: 1, maxLength: 20 });
const stem = fc.constantFrom("https://id.gs1.org", "https://trace.example.cn", "http://localhost:8787/dl", "https://[2001:db8::1]:8443");

describe("Digital Link round trip", () => {
  it("parse(generate(GTIN, lot, serial)) gives back the same elements and stem", () => {
    fc.assert(
      fc.property(stem, gtin14, fc.option(cset82, { nil: undefined }), fc.option(cset82, { nil: undefined }), (s, gtin, lot, serial) => {
        const qualifiers = [
          ...(lot === undefined ? [] : [{ ai: "10", value: lot }]),
          ...(serial === undefined ? [] : [{ ai: "21", value: serial }]),
        ];
        const generated = toDigitalLinkUri([{ ai: "01", value: gtin }, ...qualifiers], { stem: s });
        if (!generated.ok) throw new Error(generated.reason);
        const parsed = parseDigitalLink(generated.uri);
        expect(parsed).toMatchObject({ ok: true, stem: s, primaryKey: { ai: "01", value: gtin }, qualifiers, attributes: [] });
        if (!parsed.ok) return;
        // The element string the parser reports regenerates the same canonical URI.
        expect(elementStringToDigitalLink(parsed.elementString, s)).toEqual(generated);
      }),
    );
  });
});
