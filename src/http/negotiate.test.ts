import { describe, expect, it } from "vitest";
import { pageLanguage, statedLanguage } from "../render/pages/scan/language";
import { negotiate } from "./negotiate";

const OFFERS = ["text/html", "application/json", "application/linkset+json"] as const;

describe("negotiate", () => {
  it.each([
    [undefined, "text/html"],
    ["", "text/html"],
    ["*/*", "text/html"],
    ["text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"],
    ["application/json", "application/json"],
    ["application/linkset+json", "application/linkset+json"],
    ["application/json, */*;q=0.1", "application/json"],
    ["*/*, application/json", "application/json"],
    ["text/html;q=0.5, application/json;q=0.9", "application/json"],
    ["application/*", "application/json"],
    ["image/png", null],
    ["application/json;q=0", null],
  ])("%s → %s", (accept, want) => {
    expect(negotiate(accept, OFFERS)).toBe(want);
  });
});

describe("page language", () => {
  it.each([
    [undefined, undefined, "zh"],
    ["en", "zh-CN", "en"],
    ["zh", "en", "zh"],
    [undefined, "en-US,en;q=0.9", "en"],
    [undefined, "zh-CN,zh;q=0.9,en;q=0.8", "zh"],
    [undefined, "fr;q=1, en;q=0.5, zh;q=0.4", "en"],
    [undefined, "fr", "zh"],
    ["de", undefined, "zh"],
  ])("?lang=%s Accept-Language %s → %s", (query, header, want) => {
    expect(pageLanguage(query, header)).toBe(want);
  });

  it("reports no stated language when the client names only others", () => {
    expect(statedLanguage(undefined, "fr, de")).toBeNull();
    expect(statedLanguage(undefined, undefined)).toBe("zh");
  });
});
