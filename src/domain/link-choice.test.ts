import { describe, expect, it } from "vitest";
import { certificateAnchorLinks } from "./certificate-links";
import { chooseLink, withPassedOnQuery } from "./link-choice";

const anchor = certificateAnchorLinks({ publicUrl: "https://t.cn", code: "ABC", displayCode: "A-BC", productName: "雷笋", status: "valid" });

describe("chooseLink", () => {
  it("answers the linkset for linkset and all", () => {
    expect(chooseLink([anchor], "linkset", "zh")).toEqual({ kind: "linkset" });
    expect(chooseLink([anchor], "all", null)).toEqual({ kind: "linkset" });
  });

  it("redirects to the one link of a type, given as CURIE or URI", () => {
    expect(chooseLink([anchor], "gs1:jws", "zh")).toEqual({ kind: "redirect", href: "https://t.cn/c/ABC/credential.jwt" });
    expect(chooseLink([anchor], "https://ref.gs1.org/voc/traceability", null)).toEqual({ kind: "redirect", href: "https://t.cn/c/ABC/trace.json" });
    expect(chooseLink([anchor], "gs1:defaultLink", null)).toEqual({ kind: "redirect", href: "https://t.cn/c/ABC" });
  });

  it("narrows links of one type by language, and lists them when that does not settle it", () => {
    expect(chooseLink([anchor], "gs1:pip", "en")).toEqual({ kind: "redirect", href: "https://t.cn/c/ABC?lang=en" });
    expect(chooseLink([anchor], "gs1:pip", "zh")).toEqual({ kind: "redirect", href: "https://t.cn/c/ABC" });
    expect(chooseLink([anchor], "gs1:pip", null)).toMatchObject({ kind: "multiple", targets: [{ hreflang: ["zh"] }, { hreflang: ["en"] }] });
  });

  it("is not found for types the item lacks and names outside the vocabulary", () => {
    expect(chooseLink([anchor], "gs1:recallStatus", "zh")).toEqual({ kind: "not_found", linkType: "gs1:recallStatus" });
    expect(chooseLink([anchor], "pip", "zh")).toEqual({ kind: "not_found", linkType: "pip" });
  });

  it("offers the recall notice only while recalled", () => {
    const recalled = certificateAnchorLinks({ publicUrl: "https://t.cn", code: "ABC", displayCode: "A-BC", productName: "雷笋", status: "recalled" });
    expect(chooseLink([recalled], "gs1:recallStatus", "zh")).toEqual({ kind: "redirect", href: "https://t.cn/c/ABC#verdict" });
  });
});

describe("withPassedOnQuery", () => {
  it("passes every parameter but linkType on, before any fragment", () => {
    const q = new URLSearchParams("linkType=gs1:pip&17=261231&src=crate");
    expect(withPassedOnQuery("https://t.cn/c/ABC", q)).toBe("https://t.cn/c/ABC?17=261231&src=crate");
    expect(withPassedOnQuery("https://t.cn/c/ABC?lang=en", q)).toBe("https://t.cn/c/ABC?lang=en&17=261231&src=crate");
    expect(withPassedOnQuery("https://t.cn/c/ABC#verdict", q)).toBe("https://t.cn/c/ABC?17=261231&src=crate#verdict");
    expect(withPassedOnQuery("https://t.cn/c/ABC", new URLSearchParams("linkType=gs1:pip"))).toBe("https://t.cn/c/ABC");
  });
});
