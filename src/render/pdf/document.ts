/**
 * pdfkit documents set up for labels: no page margins (layouts place everything), fonts registered, and
 * metadata fixed by the caller so the same certificate always renders to the same bytes.
 */
import PDFDocument from "pdfkit";
import type { TextMeasure } from "./fit.js";
import { FONT_NAMES, registerFonts, type FontRole } from "./fonts.js";

export interface DocumentInfo {
  title: string;
  author: string;
  /** Written as CreationDate; pdfkit derives the file ID from the info, so this also fixes the ID. */
  createdAt: Date;
}

export const PRODUCER = "lotproof";

export function createLabelDocument(info: DocumentInfo): PDFKit.PDFDocument {
  const doc = new PDFDocument({
    autoFirstPage: false,
    // No default font: pdfkit would parse Helvetica's metrics for every document, and labels never use it.
    font: null as unknown as string,
    // pdfkit would keep every string's layout until the document ends, so a long batch would grow with each label;
    // label fonts lay out from their own per-character tables instead (label-font.ts).
    fontLayoutCache: false,
    margin: 0,
    lang: "zh-CN",
    displayTitle: true,
    info: { Title: info.title, Author: info.author, Producer: PRODUCER, Creator: PRODUCER, CreationDate: info.createdAt },
  });
  registerFonts(doc);
  return doc;
}

/** pdfkit's private font object: its ascender is exactly where pdfkit puts the first baseline. */
interface LoadedFont {
  ascender: number;
}

/**
 * Measurements depend only on the font, the size, the width and the text, never on the document, so they are
 * remembered across documents: every label measures the same field labels, commitment text and basis options.
 * Bounded so a long-running origin printing many different names does not grow without end.
 */
const MEMO_LIMIT = 20_000;
const memo = new Map<string, number>();

/** Measures with the document's own fonts, so layouts agree with what pdfkit draws. */
export function documentMeasure(doc: PDFKit.PDFDocument): TextMeasure {
  const use = (font: FontRole, size: number) => doc.font(FONT_NAMES[font]).fontSize(size);
  const cached = (key: string, compute: () => number) => {
    let v = memo.get(key);
    if (v === undefined) {
      v = compute();
      if (memo.size >= MEMO_LIMIT) memo.clear();
      memo.set(key, v);
    }
    return v;
  };
  return {
    width: (text, font, size) => cached(`w|${font}|${size}|${text}`, () => use(font, size).widthOfString(text)),
    height: (text, font, size, width, lineGap) =>
      cached(`h|${font}|${size}|${width}|${lineGap}|${text}`, () => use(font, size).heightOfString(text, { width, lineGap })),
    ascent: (font, size) => {
      const loaded = (use(font, size) as unknown as { _font: LoadedFont })._font;
      return (loaded.ascender / 1000) * size;
    },
  };
}
