import * as fontkit from "fontkit";
import { describe, expect, it } from "vitest";
import { cjkFonts, drawingFont } from "./fonts";

describe("label fonts", () => {
  const { perDocument, fixed } = cjkFonts().regular;

  it("picks the glyphs fontkit picks, and the same advances for Chinese text (Latin goes without kerning)", () => {
    const original = (perDocument as unknown as { font: fontkit.Font }).font;
    const mixed = "红心猕猴桃 500 kg（重量）";
    expect(perDocument.layout(mixed).glyphs.map((g) => g.id)).toEqual(original.layout(mixed).glyphs.map((g) => g.id));
    const chinese = "我承诺生产销售的食用农产品：未使用禁用农药、兽药及其他化合物；";
    expect(perDocument.layout(chinese).advanceWidth).toBe(original.layout(chinese).advanceWidth);
  });

  it("writes subsets that a font parser reads back glyph for glyph", () => {
    const subset = perDocument.createSubset();
    const chars = [..."承诺达标合格证猕猴桃Ag"];
    const ids = chars.map((ch) => perDocument.layout(ch).glyphs[0]!.id);
    for (const id of ids) subset.includeGlyph(id);
    const parsed = fontkit.create(Buffer.from(subset.encode())) as fontkit.Font;
    const original = (perDocument as unknown as { font: fontkit.Font }).font;
    expect(parsed.numGlyphs).toBe(ids.length + 1);
    ids.forEach((id, i) => {
      const ours = parsed.getGlyph(i + 1);
      const theirs = original.getGlyph(id);
      expect(ours.advanceWidth).toBe(theirs.advanceWidth);
      expect(ours.path.toSVG()).toBe(theirs.path.toSVG());
    });
  });

  it("gives the fixed face the same subset in every document and sends other text to the per-document face", () => {
    const a = fixed.createSubset();
    const b = fixed.createSubset();
    b.includeGlyph(perDocument.layout("承").glyphs[0]!.id);
    expect(Buffer.from(a.encode()).equals(Buffer.from(b.encode()))).toBe(true);
    expect(drawingFont("regular", "我承诺生产销售的食用农产品")).toMatch(/~fixed$/);
    expect(drawingFont("mono", "K7M4-P9XR-3QA")).toMatch(/Bold~fixed$/);
    expect(drawingFont("regular", "红心猕猴桃")).not.toMatch(/~fixed$/);
  });
});
