/**
 * The fonts printed on labels. Noto Sans SC (OFL) covers the CJK text; the code under the QR uses the built-in
 * Courier-Bold so every character has the same width and 0/O, 1/I are told apart when typed in by hand.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as fontkit from "fontkit";

export type FontRole = "regular" | "bold" | "mono";

/** pdfkit's name for each role inside a document. */
export const FONT_NAMES: Record<FontRole, string> = {
  regular: "NotoSansSC-Regular",
  bold: "NotoSansSC-Bold",
  mono: "Courier-Bold",
};

const FONT_FILES = {
  regular: "@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf",
  bold: "@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf",
} as const;

type EmbeddedRole = keyof typeof FONT_FILES;

let cache: Record<EmbeddedRole, fontkit.Font> | undefined;

function open(specifier: string): fontkit.Font {
  const path = createRequire(import.meta.url).resolve(specifier);
  const font = fontkit.create(readFileSync(path));
  if (!("layout" in font)) throw new Error(`${specifier} is a font collection, expected a single font`);
  return font;
}

/**
 * Parsed once per process: pdfkit accepts a fontkit font in place of a file, which skips re-parsing ~10 MB of
 * tables for every document (about 4x faster per label) while still embedding only the glyphs each PDF uses.
 */
export function cjkFonts(): Record<EmbeddedRole, fontkit.Font> {
  cache ??= { regular: open(FONT_FILES.regular), bold: open(FONT_FILES.bold) };
  return cache;
}

export function registerFonts(doc: PDFKit.PDFDocument): void {
  const fonts = cjkFonts();
  // @types/pdfkit only lists paths and buffers, but pdfkit's font factory takes any object with a `layout` method.
  doc.registerFont(FONT_NAMES.regular, fonts.regular as unknown as PDFKit.Mixins.PDFFontSource);
  doc.registerFont(FONT_NAMES.bold, fonts.bold as unknown as PDFKit.Mixins.PDFFontSource);
}
