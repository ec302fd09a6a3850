/**
 * Writes a label font into a PDF the way pdfkit does (a Type0 font over a CIDFontType2 subset, Identity-H, with a
 * ToUnicode map so text can be searched and copied), but with its streams compressed once per distinct subset
 * rather than once per document. A font whose subset is fixed by preloading (the template's wording) is then never
 * compressed again; any other subset is compressed when first seen, as pdfkit would, and kept in case it recurs
 * (reprints, copies). A stream handed to pdfkit with its Filter already set is written as given.
 *
 * This replaces pdfkit's EmbeddedFont.embed on the instances this module creates; it relies on pdfkit 0.20's
 * EmbeddedFont fields (document, font, id, subset, unicode, dictionary). The PDF tests read every file back with
 * poppler, so a change there shows up as unreadable text rather than passing silently.
 */
import { deflateSync } from "node:zlib";
import type { LabelFont, LabelFontSubset } from "./label-font.js";

interface PdfRef {
  data: Record<string, unknown>;
  end(chunk?: Uint8Array | string): void;
}

interface PdfDoc {
  ref(data?: Record<string, unknown>): PdfRef;
  font(name: string): unknown;
}

/** The pdfkit EmbeddedFont fields this module reads. */
interface EmbeddedLabelFont {
  document: PdfDoc;
  font: LabelFont;
  id: string;
  subset: LabelFontSubset;
  /** Code points pdfkit recorded per subset glyph while encoding text. */
  unicode: (number[] | undefined)[];
  dictionary: PdfRef;
  embed(): void;
}

interface FontParts {
  fontFile: Uint8Array;
  length1: number;
  widths: number[];
  toUnicode: Uint8Array;
}

/** A few dozen distinct subsets cover a print run; each is tens of KB. */
const CACHE_LIMIT = 64;
const cache = new Map<string, FontParts>();

function hex4(n: number): string {
  return n.toString(16).padStart(4, "0");
}

/** The code points each subset glyph stands for: what this document's text used, else what it was preloaded for. */
function codePointsOf(font: EmbeddedLabelFont): number[][] {
  const preloaded = new Map(font.font.preloaded.map((p) => [p.id, p.codePoints]));
  return font.subset.glyphIds().map((id, gid) => (gid === 0 ? [0] : (font.unicode[gid] ?? preloaded.get(id) ?? [])));
}

function toUnicodeCmap(codePoints: number[][]): string {
  const entries = codePoints.map((cps) => {
    const units: string[] = [];
    for (let v of cps) {
      if (v > 0xffff) {
        v -= 0x10000;
        units.push(hex4(((v >>> 10) & 0x3ff) | 0xd800));
        v = 0xdc00 | (v & 0x3ff);
      }
      units.push(hex4(v));
    }
    return `<${units.join(" ")}>`;
  });
  const ranges: string[] = [];
  for (let start = 0; start < entries.length; start += 256) {
    const end = Math.min(start + 256, entries.length);
    ranges.push(`<${hex4(start)}> <${hex4(end - 1)}> [${entries.slice(start, end).join(" ")}]`);
  }
  return [
    "/CIDInit /ProcSet findresource begin",
    "12 dict begin",
    "begincmap",
    "/CIDSystemInfo <<",
    "  /Registry (Adobe)",
    "  /Ordering (UCS)",
    "  /Supplement 0",
    ">> def",
    "/CMapName /Adobe-Identity-UCS def",
    "/CMapType 2 def",
    "1 begincodespacerange",
    "<0000><ffff>",
    "endcodespacerange",
    `${ranges.length} beginbfrange`,
    ...ranges,
    "endbfrange",
    "endcmap",
    "CMapName currentdict /CMap defineresource pop",
    "end",
    "end",
  ].join("\n");
}

function partsOf(font: EmbeddedLabelFont): FontParts {
  const codePoints = codePointsOf(font);
  // Encoding first: composite glyphs may pull their components into the subset.
  const file = font.subset.encode();
  const ids = font.subset.glyphIds();
  const key = `${font.font.realName}|${ids.join(",")}|${codePoints.map((c) => c.join(".")).join(",")}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const scale = 1000 / font.font.unitsPerEm;
  const parts: FontParts = {
    fontFile: deflateSync(file),
    length1: file.length,
    widths: ids.map((id) => Math.round(font.font.glyph(id).advance * scale * 1000) / 1000),
    toUnicode: deflateSync(Buffer.from(toUnicodeCmap(ids.map((_, gid) => codePoints[gid] ?? [])), "latin1")),
  };
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, parts);
  return parts;
}

function embedLabelFont(this: EmbeddedLabelFont): void {
  const doc = this.document;
  const font = this.font;
  const parts = partsOf(this);
  const scale = 1000 / font.unitsPerEm;
  // The same six-letter subset tag pdfkit derives from the font's resource id.
  const tag = [1, 2, 3, 4, 5, 6].map((i) => String.fromCharCode((this.id.charCodeAt(i) || 73) + 17)).join("");
  const name = `${tag}+${font.realName.replaceAll(" ", "_")}`;

  const fontFile = doc.ref({ Filter: "FlateDecode", Length1: parts.length1 });
  fontFile.end(parts.fontFile);
  const os2 = font["OS/2"] as { sFamilyClass?: number } | undefined;
  const post = font.post as { isFixedPitch?: number } | undefined;
  const head = font.head as { macStyle?: { italic?: boolean } } | undefined;
  const familyClass = (os2?.sFamilyClass ?? 0) >> 8;
  let flags = 1 << 2; // symbolic: glyphs outside the standard Latin set
  if (post?.isFixedPitch) flags |= 1 << 0;
  if (familyClass >= 1 && familyClass <= 7) flags |= 1 << 1;
  if (familyClass === 10) flags |= 1 << 3;
  if (head?.macStyle?.italic === true) flags |= 1 << 6;
  const { bbox } = font;
  const descriptor = doc.ref({
    Type: "FontDescriptor",
    FontName: name,
    Flags: flags,
    FontBBox: [bbox.minX * scale, bbox.minY * scale, bbox.maxX * scale, bbox.maxY * scale],
    ItalicAngle: font.italicAngle,
    Ascent: font.ascent * scale,
    Descent: font.descent * scale,
    CapHeight: (font.capHeight || font.ascent) * scale,
    XHeight: (font.xHeight || 0) * scale,
    StemV: 0,
    FontFile2: fontFile,
  });
  descriptor.end();
  const descendant = doc.ref({
    Type: "Font",
    Subtype: "CIDFontType2",
    BaseFont: name,
    // pdfkit writes a String object as a PDF string literal, a plain string as a name.
    CIDSystemInfo: { Registry: new String("Adobe"), Ordering: new String("Identity"), Supplement: 0 },
    FontDescriptor: descriptor,
    W: [0, parts.widths],
    CIDToGIDMap: "Identity",
  });
  descendant.end();
  const toUnicode = doc.ref({ Filter: "FlateDecode" });
  toUnicode.end(parts.toUnicode);
  this.dictionary.data = { Type: "Font", Subtype: "Type0", BaseFont: name, Encoding: "Identity-H", DescendantFonts: [descendant], ToUnicode: toUnicode };
  this.dictionary.end();
}

/** Selects `name` in the document, which makes pdfkit create its font object, and gives that object this embedding. */
export function useCachedEmbedding(doc: PDFKit.PDFDocument, name: string): void {
  doc.font(name);
  const instance = (doc as unknown as { _font: EmbeddedLabelFont })._font;
  if (!("subset" in instance) || typeof instance.subset.glyphIds !== "function") throw new Error(`${name} is not a label font`);
  instance.embed = embedLabelFont;
}
