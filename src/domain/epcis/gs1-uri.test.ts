import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hasValidGs1CheckDigit } from "../gs1.js";
import { canonicalGs1Uri } from "./gs1-uri.js";
import { canonicalTimestamp } from "./timestamp.js";

describe("canonicalGs1Uri", () => {
  it.each([
    ["urn:epc:id:sgtin:0614141.107346.2017", "https://id.gs1.org/01/10614141073464/21/2017"],
    ["urn:epc:id:sscc:4012345.1112223334", "https://id.gs1.org/00/140123451122233341"],
    ["urn:epc:id:sgln:4012345.00011.987", "https://id.gs1.org/414/4012345000115/254/987"],
    ["urn:epc:id:sgln:4012345.00011.0", "https://id.gs1.org/414/4012345000115"],
    ["urn:epc:id:pgln:4012345.00000", "https://id.gs1.org/417/4012345000009"],
    ["urn:epc:class:lgtin:4054739.099914.20160711", "https://id.gs1.org/01/04054739999148/10/20160711"],
    ["urn:epc:idpat:sgtin:4012345.044444.*", "https://id.gs1.org/01/04012345444445"],
    ["urn:epc:id:sgtin:0614141.812345.6789!()", "https://id.gs1.org/01/80614141123458/21/6789%21%28%29"],
    ["https://id.gs1.de/gtin/9780345418913/lot/A1/ser/7?linkType=all", "https://id.gs1.org/01/09780345418913/21/7"],
  ])("%s", (input, expected) => {
    expect(canonicalGs1Uri(input)).toBe(expected);
  });

  it.each(["urn:epc:id:sgtin:12345.1234567.1", "urn:epc:idpat:sgtin:4012345.*.*", "https://example.com/about", "urn:uuid:1"])(
    "leaves %s alone",
    (input) => {
      expect(canonicalGs1Uri(input)).toBeUndefined();
    },
  );

  it("turns any partition of an SGTIN into a GTIN-14 with a valid check digit", () => {
    fc.assert(
      fc.property(fc.integer({ min: 6, max: 12 }), fc.stringMatching(/^\d{13}$/), (prefixLength, digits) => {
        const uri = `urn:epc:id:sgtin:${digits.slice(1, 1 + prefixLength)}.${digits[0]}${digits.slice(1 + prefixLength)}.1`;
        const gtin = /\/01\/(\d{14})\/21\/1$/.exec(canonicalGs1Uri(uri) ?? "")?.[1] ?? "";
        expect(hasValidGs1CheckDigit(gtin)).toBe(true);
        expect(gtin.slice(0, 13)).toBe(digits);
      }),
    );
  });
});

describe("canonicalTimestamp", () => {
  it.each([
    ["2005-04-03T20:33:31.116000-06:00", "2005-04-04T02:33:31.116Z"],
    ["2023-02-02T11:04:03.1415Z", "2023-02-02T11:04:03.142Z"],
    ["2023-02-02T11:04:03.1414Z", "2023-02-02T11:04:03.141Z"],
    ["2023-12-31T23:59:59.9999Z", "2024-01-01T00:00:00.000Z"],
    ["2020-04-01T15:00:00+01:00", "2020-04-01T14:00:00.000Z"],
  ])("%s -> %s", (input, expected) => {
    expect(canonicalTimestamp(input)).toBe(expected);
  });

  it("rejects text without a zone", () => {
    expect(canonicalTimestamp("2024-05-01T08:00:00")).toBeUndefined();
  });

  it("agrees with Date for millisecond timestamps in any offset", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date("1970-01-01"), max: new Date("2999-12-31"), noInvalidDate: true }), fc.integer({ min: -14 * 4, max: 14 * 4 }), (date, quarterHours) => {
        const offset = quarterHours * 15;
        const local = new Date(date.getTime() + offset * 60000).toISOString().slice(0, 23);
        const sign = offset < 0 ? "-" : "+";
        const zone = `${sign}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, "0")}:${String(Math.abs(offset) % 60).padStart(2, "0")}`;
        expect(canonicalTimestamp(local + zone)).toBe(date.toISOString());
      }),
    );
  });
});
