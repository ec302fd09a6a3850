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
 * Measures with the document's own fonts, so layouts agree with what pdfkit draws. Results are memoised: a batch
 * measures the same labels, commitment text and basis options for every certificate.
 */
export function documentMeasure(doc: PDFKit.PDFDocument): TextMeasure {
  const memo = new Map<string, number>();
  const use = (font: FontRole, size: number) => doc.font(FONT_NAMES[font]).fontSize(size);
  const cached = (key: string, compute: () => number) => {
    let v = memo.get(key);
    if (v === undefined) {
      v = compute();
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
