import { describe, expect, it } from "vitest";
import { GS1_LINK_TYPE_NAMES, GS1_LINK_TYPES, linkTypeUri, parseLinkTypeParameter } from "./link-types";
import { readVector } from "./test-vectors";

describe("GS1 link types", () => {
  it("match the GS1 WebVoc snapshot", () => {
    const snapshot = readVector("gs1-webvoc-linktypes.json") as { linkTypes: string[] };
    expect([...GS1_LINK_TYPE_NAMES]).toEqual(snapshot.linkTypes);
    expect(GS1_LINK_TYPES.has("gs1:certificationInfo")).toBe(true);
  });

  it("expand to vocabulary URIs", () => {
    expect(linkTypeUri("gs1:traceability")).toBe("https://ref.gs1.org/voc/traceability");
  });

  it.each([
    ["linkset", { kind: "linkset" }],
    ["all", { kind: "linkset" }],
    ["gs1:pip", { kind: "linkType", linkType: "gs1:pip" }],
    ["https://ref.gs1.org/voc/epcis", { kind: "linkType", linkType: "gs1:epcis" }],
    ["gs1:notALinkType", { kind: "unknown", value: "gs1:notALinkType" }],
    ["pip", { kind: "unknown", value: "pip" }],
  ])("reads ?linkType=%s", (value, expected) => {
    expect(parseLinkTypeParameter(value)).toEqual(expected);
  });
});
