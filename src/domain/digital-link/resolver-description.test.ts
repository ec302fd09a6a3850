import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { buildResolverDescription } from "./resolver-description";
import { readVector } from "./test-vectors";

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(readVector("resolver-description-file-schema-1.2.0.copy.json") as object);

describe("buildResolverDescription", () => {
  it("is valid against the resolver description-file schema 1.2.0", () => {
    const description = buildResolverDescription({
      resolverRoot: "https://trace.example.cn",
      name: "Lotproof resolver",
      supportedPrimaryKeys: ["01"],
      supportedContextValuesEnumerated: ["CN"],
      contact: { fn: "Lotproof operations", hasAddress: { locality: "Hangzhou", region: "Zhejiang" } },
      jsonLdContextLocation: "https://trace.example.cn/linkset-context.jsonld",
    });
    expect(validate(description), JSON.stringify(validate.errors)).toBe(true);
    expect(description).toMatchObject({
      supportedLinkType: [{ namespace: "https://ref.gs1.org/voc/", prefix: "gs1:" }],
      linkTypeDefaultCanBeLinkset: false,
    });
  });

  it("the schema rejects a relative resolver root (formats are checked)", () => {
    expect(validate(buildResolverDescription({ resolverRoot: "/resolver", supportedPrimaryKeys: ["01"] }))).toBe(false);
  });
});
