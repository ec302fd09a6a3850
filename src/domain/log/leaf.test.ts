import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatLeaf, LEAF_FIELDS, type LogLeaf, type LogLeafType, parseLeaf } from "./leaf";

const types = Object.keys(LEAF_FIELDS) as LogLeafType[];
const leafArb: fc.Arbitrary<LogLeaf> = fc.constantFrom(...types).chain((type) =>
  fc.record({
    type: fc.constant(type),
    at: fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }).map((d) => d.toISOString()),
    fields: fc.tuple(...LEAF_FIELDS[type].map(() => fc.option(fc.string({ unit: "grapheme" }), { nil: null }))).map((values) =>
      Object.fromEntries(LEAF_FIELDS[type].map((name, i) => [name, values[i] ?? null])),
    ),
  }),
);

describe("log leaves", () => {
  it("writes the documented form: fixed member order, no spaces", () => {
    expect(formatLeaf({ type: "certificate.revoked", at: "2026-11-20T02:00:00.000Z", fields: { certificate: "K7M4P9XR3QA", lot: "L1", reason: '写错 "数量"\n' } })).toBe(
      '{"v":1,"type":"certificate.revoked","at":"2026-11-20T02:00:00.000Z","certificate":"K7M4P9XR3QA","lot":"L1","reason":"写错 \\"数量\\"\\n"}',
    );
  });

  it("round-trips every leaf, and reads back only its canonical text", () => {
    fc.assert(
      fc.property(leafArb, (leaf) => {
        const text = formatLeaf(leaf);
        expect(parseLeaf(text)).toEqual({ ok: true, leaf });
        expect(parseLeaf(JSON.stringify(JSON.parse(text), null, 1)).ok).toBe(false);
      }),
    );
  });

  it("refuses texts that are not leaves of this log", () => {
    for (const text of [
      "not json",
      "[]",
      '{"v":2,"type":"key.retired","at":"x","kid":"k"}',
      '{"v":1,"type":"nope","at":"x"}',
      '{"v":1,"type":"key.retired","at":"x"}',
      '{"type":"key.retired","v":1,"at":"x","kid":"k"}',
      '{"v":1,"type":"key.retired","at":"x","kid":"k","extra":"y"}',
      '{"v":1,"type":"key.retired","at":"x","kid":7}',
      '{"v":1, "type":"key.retired","at":"x","kid":"k"}',
    ]) {
      expect(parseLeaf(text).ok, text).toBe(false);
    }
    expect(() => formatLeaf({ type: "key.retired", at: "x", fields: { alg: "EdDSA" } })).toThrow(RangeError);
  });
});
