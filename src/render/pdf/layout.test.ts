import { describe, expect, it } from "vitest";
import { BASES, TEMPLATES, type CertificateContent } from "../../domain/certificate.js";
import { qrMatrix } from "../qr.js";
import { createLabelDocument, documentMeasure } from "./document.js";
import { ELLIPSIS } from "./fit.js";
import { FONT_NAMES } from "./fonts.js";
import { copyMark, labelFields, layoutLabel, type Box, type LabelLayout, type TextItem } from "./layout.js";
import { MIN_QR_MODULE, SIZE_PRESETS, mm, sheetFor, type SizePreset } from "./presets.js";
import { FIXTURE_URL, fixtureContent, longestContent } from "./test-support.js";

const doc = createLabelDocument({ title: "t", author: "a", createdAt: new Date(0) });
const measure = documentMeasure(doc);
const EPS = 0.01;

function layout(content: CertificateContent, size: SizePreset, copies = 12): LabelLayout {
  return layoutLabel(content, sheetFor(size).label, { qrModules: qrMatrix(FIXTURE_URL).size, copies, logLeafIndex: 987654321 }, measure);
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width - EPS && b.x < a.x + a.width - EPS && a.y < b.y + b.height - EPS && b.y < a.y + a.height - EPS;
}

/** Height pdfkit itself gives the drawn string in its box, measured afresh rather than from the layout's numbers. */
function pdfkitHeight(text: string, font: keyof typeof FONT_NAMES, size: number, width: number, lineGap: number): number {
  return doc.font(FONT_NAMES[font]).fontSize(size).heightOfString(text, { width, lineGap });
}

function pdfkitWidth(text: string, font: keyof typeof FONT_NAMES, size: number): number {
  return doc.font(FONT_NAMES[font]).fontSize(size).widthOfString(text);
}

const cases = SIZE_PRESETS.flatMap((size) => [
  { size, name: "typical", content: fixtureContent() },
  { size, name: "longest", content: longestContent() },
]);

describe.each(cases)("layout $size with $name values", ({ size, content }) => {
  const l = layout(content, size);
  const style = sheetFor(size).label;

  it("keeps every text inside its box, at a printable size", () => {
    for (const item of l.items) {
      if (item.kind !== "text" && item.kind !== "copy") continue;
      const text = item.kind === "text" ? item.text : copyMark(item.total, item.total);
      expect(item.size, text).toBeGreaterThanOrEqual(Math.min(style.minSize, 6));
      expect(pdfkitHeight(text, item.font, item.size, item.box.width, item.lineGap), text).toBeLessThanOrEqual(item.box.height + EPS);
      // Every word fits the box width, so pdfkit never has to break inside one.
      for (const word of text.split(/\s+/)) {
        if (/^[\x21-\x7e]+$/.test(word)) expect(pdfkitWidth(word, item.font, item.size), word).toBeLessThanOrEqual(item.box.width);
      }
    }
  });

  it("keeps everything on the label and nothing overlapping, the QR quiet zone included", () => {
    const boxes = l.items.flatMap((item) => (item.kind === "rule" ? [] : [item.kind === "qr" ? item.quiet : item.box]));
    for (const b of boxes) {
      expect(b.x).toBeGreaterThanOrEqual(-EPS);
      expect(b.y).toBeGreaterThanOrEqual(-EPS);
      expect(b.x + b.width).toBeLessThanOrEqual(l.width + EPS);
      expect(b.y + b.height).toBeLessThanOrEqual(l.height + EPS);
    }
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        expect(overlaps(boxes[i]!, boxes[j]!), `${JSON.stringify(boxes[i])} overlaps ${JSON.stringify(boxes[j])}`).toBe(false);
      }
    }
    for (const rule of l.items.filter((i) => i.kind === "rule")) {
      for (const b of boxes) expect(overlaps({ ...rule.box, height: EPS * 2 }, b)).toBe(false);
    }
  });

  it("draws QR modules no smaller than 0.4 mm", () => {
    const qr = l.items.find((i) => i.kind === "qr");
    expect(qr?.module).toBeGreaterThanOrEqual(MIN_QR_MODULE);
  });

  it("ticks exactly the chosen basis and labels all three options", () => {
    const boxes = l.items.filter((i) => i.kind === "checkbox");
    expect(boxes.map((b) => b.basis)).toEqual([...BASES]);
    expect(boxes.filter((b) => b.checked).map((b) => b.basis)).toEqual([content.basis]);
    const options = l.items.flatMap((i) => (i.kind === "text" && i.role === "basis-option" ? [i.text] : []));
    expect(options).toEqual(BASES.map((b) => TEMPLATES[content.templateVersion].basisLabels[b]));
  });

  it("prints each field value whole, or an honest prefix with an ellipsis", () => {
    const texts = new Map(l.items.flatMap((i) => (i.kind === "text" ? [[i.role, i]] : [])));
    for (const field of labelFields(content)) {
      const value = texts.get(`value:${field.key}`);
      expect(texts.get(`label:${field.key}`)?.text).toBe(field.label);
      if (value?.truncated) {
        expect(value.text.endsWith(ELLIPSIS)).toBe(true);
        expect(field.value.startsWith(value.text.slice(0, -1))).toBe(true);
        expect(value.text.length).toBeGreaterThan(10);
      } else {
        expect(value?.text).toBe(field.value);
      }
    }
    expect(texts.get("commitment")?.text).toBe(content.commitmentText);
    expect(texts.get("code")?.text).toBe(content.code);
    expect(texts.get("date")?.text).toContain(content.issueDate);
    expect(texts.get("title")?.text).toBe(content.title);
  });
});

describe("layout fitting", () => {
  it("never truncates typical content", () => {
    for (const size of SIZE_PRESETS) expect(layout(fixtureContent(), size).truncated).toBe(false);
  });

  it("fits the longest values on A6 without cutting anything", () => {
    expect(layout(longestContent(), "a6").truncated).toBe(false);
  });

  it("shrinks a long product name before wrapping it", () => {
    const content = fixtureContent();
    const short = layout(content, "label-60x80");
    content.product.name = "精品有机红心猕猴桃礼盒装特级";
    const longer = layout(content, "label-60x80");
    const valueOf = (l: LabelLayout) => l.items.find((i): i is TextItem => i.kind === "text" && i.role === "value:product");
    expect(valueOf(longer)?.size).toBeLessThan(valueOf(short)?.size ?? 0);
    expect(valueOf(longer)?.height).toBeCloseTo(valueOf(short)?.height ?? 0, -1);
  });

  it("leaves out the copy mark for a single copy and the log line without an index", () => {
    const l = layoutLabel(fixtureContent(), sheetFor("label-60x80").label, { qrModules: 29, copies: 1 }, measure);
    expect(l.items.some((i) => i.kind === "copy")).toBe(false);
    expect(l.items.some((i) => i.kind === "text" && i.role === "log")).toBe(false);
  });

  it("grows QR modules to the printable minimum for long URLs", () => {
    const l = layoutLabel(fixtureContent(), sheetFor("label-60x80").label, { qrModules: 57, copies: 1 }, measure);
    expect(l.items.find((i) => i.kind === "qr")?.module).toBeCloseTo(MIN_QR_MODULE, 6);
  });

  it("refuses a label too small to hold the content rather than overflowing", () => {
    const tiny = { ...sheetFor("label-60x80").label, width: mm(30), height: mm(30) };
    expect(() => layoutLabel(fixtureContent(), tiny, { qrModules: 29, copies: 1 }, measure)).toThrow(/cannot fit|too small/);
  });

  it("formats quantities without float noise or exponents", () => {
    const content = fixtureContent();
    content.quantity = { amount: 0.1 + 0.2, unit: "kg" };
    expect(labelFields(content).find((f) => f.key === "quantity")?.value).toBe("0.3 kg");
    content.quantity = { amount: 123456789012.345, unit: "斤" };
    expect(labelFields(content).find((f) => f.key === "quantity")?.value).toBe("123456789012.345 斤");
  });

  it("falls back to the region code and drops empty contact parts", () => {
    const content = fixtureContent();
    content.origin = { ...content.origin, regionName: null, address: null };
    content.issuer = { ...content.issuer, contactName: null };
    const fields = Object.fromEntries(labelFields(content).map((f) => [f.key, f.value]));
    expect(fields.origin).toBe("330726");
    expect(fields.contact).toBe("13800000000");
  });
});
