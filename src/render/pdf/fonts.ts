/**
 * The fonts printed on labels: Noto Sans SC (OFL) for everything. The code under the QR is set in the bold weight:
 * its alphabet (GB 32100) has no I, O, S, V or Z, so no pair of its characters is confusable in a sans face, and
 * leaving pdfkit's built-in Courier out saves parsing its metrics (kerning tables) for every document.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as fontkit from "fontkit";
import { CERTIFICATE_TITLE, TEMPLATES } from "../../domain/certificate.js";
import { useCachedEmbedding } from "./embed.js";
import { LabelFont } from "./label-font.js";

export type FontRole = "regular" | "bold" | "mono";

/** pdfkit's name for each role inside a document; `mono` is the code for typing in by hand, set without line gap. */
export const FONT_NAMES: Record<FontRole, string> = {
  regular: "NotoSansSC-Regular",
  bold: "NotoSansSC-Bold",
  mono: "NotoSansSC-Bold",
};

const FONT_FILES = {
  regular: "@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf",
  bold: "@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf",
} as const;

type EmbeddedRole = keyof typeof FONT_FILES;

/**
 * Printable ASCII (codes, dates, quantities, phone numbers) and the wording every label repeats: title, field
 * labels, both templates' commitment texts and basis options, the date, copy and log lines. Text made only of
 * these is set in a "fixed" face whose subset, holding all of them in a fixed order, is identical in every PDF.
 * Wording not listed here still prints correctly, through the per-document face.
 */
const ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join("");
const FIXED_TEXT: Record<EmbeddedRole, string> = {
  regular:
    ASCII +
    "产品名称数量（重量）产地承诺主体联系方式承诺依据开具日期日志序号第张" +
    Object.values(TEMPLATES)
      .flatMap((t) => [t.commitmentText, ...Object.values(t.basisLabels)])
      .join(""),
  bold: ASCII + CERTIFICATE_TITLE,
};

/** pdfkit's names of the per-document and the fixed face of each weight. */
const FACE_NAMES: Record<EmbeddedRole, { perDocument: string; fixed: string }> = {
  regular: { perDocument: FONT_NAMES.regular, fixed: `${FONT_NAMES.regular}~fixed` },
  bold: { perDocument: FONT_NAMES.bold, fixed: `${FONT_NAMES.bold}~fixed` },
};

interface Faces {
  perDocument: LabelFont;
  fixed: LabelFont;
}

let cache: Record<EmbeddedRole, Faces> | undefined;

function open(role: EmbeddedRole): Faces {
  const path = createRequire(import.meta.url).resolve(FONT_FILES[role]);
  const data = readFileSync(path);
  const font = fontkit.create(data);
  if (!("layout" in font)) throw new Error(`${FONT_FILES[role]} is a font collection, expected a single font`);
  return {
    perDocument: new LabelFont(font, data),
    fixed: new LabelFont(font, data, { preload: FIXED_TEXT[role], alias: FACE_NAMES[role].fixed }),
  };
}

/**
 * Parsed once per process: pdfkit accepts any object that lays out text in place of a file, which skips
 * re-parsing ~10 MB of tables for every document, while still embedding only the glyphs each PDF uses
 * (see label-font.ts and embed.ts for what else is kept between documents).
 */
export function cjkFonts(): Record<EmbeddedRole, Faces> {
  cache ??= { regular: open("regular"), bold: open("bold") };
  return cache;
}

function weightOf(role: FontRole): EmbeddedRole {
  return role === "regular" ? "regular" : "bold";
}

/** The face to draw `text` in: the fixed one when it holds every character, so the per-document subset stays small. */
export function drawingFont(role: FontRole, text: string): string {
  const weight = weightOf(role);
  return cjkFonts()[weight].fixed.covers(text) ? FACE_NAMES[weight].fixed : FACE_NAMES[weight].perDocument;
}

export function registerFonts(doc: PDFKit.PDFDocument): void {
  const fonts = cjkFonts();
  for (const weight of ["regular", "bold"] as const) {
    // @types/pdfkit only lists paths and buffers, but pdfkit's font factory takes any object with a `layout` method.
    doc.registerFont(FACE_NAMES[weight].perDocument, fonts[weight].perDocument as unknown as PDFKit.Mixins.PDFFontSource);
    doc.registerFont(FACE_NAMES[weight].fixed, fonts[weight].fixed as unknown as PDFKit.Mixins.PDFFontSource);
    useCachedEmbedding(doc, FACE_NAMES[weight].perDocument);
    useCachedEmbedding(doc, FACE_NAMES[weight].fixed);
  }
}
