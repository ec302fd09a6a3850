import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { buildLinkset } from "./linkset";
import { readVector } from "./test-vectors";

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validateLinkset = ajv.compile(readVector("resolver-linkset-schema.copy.json") as object);

const anchor = "https://trace.example.cn/01/09520123456788/10/LOT7";
const linkset = buildLinkset([
  {
    anchor,
    itemDescription: "Cherry tomatoes, lot LOT7",
    defaultLink: { href: "https://trace.example.cn/c/ABC123", title: "承诺达标合格证" },
    links: [
      {
        linkType: "gs1:certificationInfo",
        target: { href: "https://trace.example.cn/c/ABC123", title: "Certificate", type: "text/html", hreflang: ["zh-CN"] },
      },
      { linkType: "gs1:jws", target: { href: "https://trace.example.cn/c/ABC123.jwt", title: "Signed certificate", type: "application/vc+jwt" } },
      { linkType: "gs1:certificationInfo", target: { href: "https://trace.example.cn/c/ABC123?lang=en", title: "Certificate", hreflang: ["en"] } },
    ],
  },
  {
    anchor: "https://trace.example.cn/01/09520123456788",
    links: [{ linkType: "gs1:pip", target: { href: "https://trace.example.cn/p/09520123456788", title: "Product", context: ["CN"] } }],
  },
]);

describe("buildLinkset", () => {
  it("is valid against the GS1 resolver linkset schema", () => {
    expect(validateLinkset(linkset), JSON.stringify(validateLinkset.errors)).toBe(true);
  });

  it("the schema accepts GS1's model linkset and rejects a link without a title", () => {
    expect(validateLinkset(readVector("resolver-testsuite-modelLinkset.json"))).toBe(true);
    const untitled = { linkset: [{ anchor, "https://ref.gs1.org/voc/pip": [{ href: "https://x.example/p" }] }] };
    expect(validateLinkset(untitled)).toBe(false);
  });

  it("groups targets by link type URI and gives the default link only href and title", () => {
    const [first, second] = linkset.linkset;
    expect(first?.["https://ref.gs1.org/voc/defaultLink"]).toEqual([{ href: "https://trace.example.cn/c/ABC123", title: "承诺达标合格证" }]);
    expect(first?.["https://ref.gs1.org/voc/certificationInfo"]).toHaveLength(2);
    expect(Object.keys(first ?? {})).toEqual([
      "anchor",
      "itemDescription",
      "https://ref.gs1.org/voc/defaultLink",
      "https://ref.gs1.org/voc/certificationInfo",
      "https://ref.gs1.org/voc/jws",
    ]);
    expect(second).toEqual({
      anchor: "https://trace.example.cn/01/09520123456788",
      "https://ref.gs1.org/voc/pip": [{ href: "https://trace.example.cn/p/09520123456788", title: "Product", context: ["CN"] }],
    });
  });
});
