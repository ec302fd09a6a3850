import { describe, expect, it } from "vitest";
import { matchPattern, parseEventQuery } from "./query-params";
import { vocabularyTerm } from "./vocabulary";

const parse = (params: Record<string, string | string[]>) =>
  parseEventQuery(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v : [v]])));

describe("parseEventQuery", () => {
  it("reads pipe-delimited lists, times with offsets, matches and quantities", () => {
    const parsed = parse({
      eventType: "ObjectEvent|TransformationEvent",
      GE_eventTime: "2026-11-20T08:00:00+08:00",
      LT_recordTime: "2026-11-21T00:00:00Z",
      EQ_bizStep: "urn:epcglobal:cbv:bizstep:shipping|cbv:BizStep-receiving",
      EQ_disposition: "https://ref.gs1.org/cbv/Disp-in_transit",
      MATCH_anyEPC: "urn:epc:idpat:sgtin:0614141.107346.*",
      GT_quantity: "2.5",
      perPage: "20",
      EXISTS_errorDeclaration: "",
    });
    expect(parsed).toEqual({
      ok: true,
      query: {
        eventTypes: ["ObjectEvent", "TransformationEvent"],
        geEventTime: new Date("2026-11-20T00:00:00Z"),
        ltRecordTime: new Date("2026-11-21T00:00:00Z"),
        bizSteps: ["shipping", "receiving"],
        dispositions: ["in_transit"],
        matches: [{ field: "anyEPC", values: ["urn:epc:idpat:sgtin:0614141.107346.*"] }],
        quantities: [{ op: "GT", value: 2.5 }],
        existsErrorDeclaration: true,
        perPage: 20,
      },
    });
  });

  it("defaults to 100 events a page", () => {
    expect(parse({})).toEqual({ ok: true, query: { matches: [], quantities: [], perPage: 100 } });
  });

  it("names every bad parameter with its rule", () => {
    const parsed = parse({
      GE_eventDate: "2026-01-01T00:00:00Z",
      LT_eventTime: "2026-01-01",
      EQ_action: "SHIPPED",
      perPage: "1001",
      orderBy: "eventTime",
      MATCH_epc: "a||b",
      EQ_readPoint: ["a", "b"],
    });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.errors.map((e) => e.path).sort()).toEqual(["EQ_action", "EQ_readPoint", "GE_eventDate", "LT_eventTime", "MATCH_epc", "orderBy", "perPage"]);
      expect(parsed.errors.find((e) => e.path === "GE_eventDate")!.message).toBe("is not an EPCIS 2.0 query parameter");
      expect(parsed.errors.find((e) => e.path === "orderBy")!.message).toBe("is a standard query parameter this repository does not support");
    }
  });
});

describe("matchPattern", () => {
  it("turns EPC patterns into prefixes of the identifiers and lot classes they cover", () => {
    expect(matchPattern("urn:epc:idpat:sgtin:4012345.066666.*")).toEqual({
      exact: "urn:epc:idpat:sgtin:4012345.066666.*",
      prefixes: ["urn:epc:id:sgtin:4012345.066666.", "urn:epc:class:lgtin:4012345.066666."],
    });
    expect(matchPattern("urn:epc:id:sscc:0614141.1234567890")).toEqual({ exact: "urn:epc:id:sscc:0614141.1234567890", prefixes: [] });
  });
});

describe("vocabularyTerm", () => {
  it("reads the three spellings of a CBV term as the bare term and leaves other URIs alone", () => {
    expect(vocabularyTerm("bizStep", "urn:epcglobal:cbv:bizstep:shipping")).toBe("shipping");
    expect(vocabularyTerm("bizStep", "https://ref.gs1.org/cbv/BizStep-shipping")).toBe("shipping");
    expect(vocabularyTerm("bizStep", "cbv:BizStep-shipping")).toBe("shipping");
    expect(vocabularyTerm("disposition", "urn:epcglobal:cbv:disp:in_transit")).toBe("in_transit");
    expect(vocabularyTerm("bizStep", "https://example.com/steps/washing")).toBe("https://example.com/steps/washing");
  });
});
