/**
 * A TrueType font as pdfkit uses it, made cheap per document. pdfkit asks its font for three things: metrics, a
 * layout of each string (glyph ids and advances) and, when the PDF is finished, a subset holding the glyphs used.
 * fontkit answers the first from tables parsed once per process, but shapes every string through the OpenType
 * engine and rebuilds each subset by decoding every glyph outline: most of the time a label took.
 *
 * Label text is Chinese with digits and a little Latin, set without kerning or ligatures, so a layout here is a
 * cmap look-up and an advance per character, both remembered for the life of the process. A subset copies each
 * glyph's stored bytes (kept once read) into a minimal TrueType file: head, hhea, maxp, hmtx, loca, glyf and the
 * font's own prep. Nothing learnt about one document changes another's bytes: caches hold only facts of the font.
 */
import type * as fontkit from "fontkit";

interface GlyphInfo {
  id: number;
  advanceWidth: number;
  codePoints: number[];
}

interface StoredGlyph {
  bytes: Uint8Array;
  /** Byte offsets of component glyph ids inside `bytes` (composite glyphs only), and the ids they name. */
  components: { at: number; id: number }[];
  advance: number;
  leftBearing: number;
}

/** The font's raw tables, read straight from the file. */
interface Tables {
  data: Uint8Array;
  view: DataView;
  find(tag: string): { offset: number; length: number } | undefined;
}

function readTables(file: Uint8Array): Tables {
  // A plain view: Node's Buffer#slice shares memory, and the subset writer edits the copies it slices.
  const data = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const count = view.getUint16(4);
  const dir = new Map<string, { offset: number; length: number }>();
  for (let i = 0; i < count; i++) {
    const at = 12 + i * 16;
    const tag = String.fromCharCode(data[at]!, data[at + 1]!, data[at + 2]!, data[at + 3]!);
    dir.set(tag, { offset: view.getUint32(at + 8), length: view.getUint32(at + 12) });
  }
  return { data, view, find: (tag) => dir.get(tag) };
}

const ARG_1_AND_2_ARE_WORDS = 0x0001;
const WE_HAVE_A_SCALE = 0x0008;
const MORE_COMPONENTS = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE = 0x0040;
const WE_HAVE_A_TWO_BY_TWO = 0x0080;

export class LabelFont {
  /** The font's own PostScript name, written into the PDF. */
  readonly realName: string;
  /** pdfkit's key for this face. */
  readonly postscriptName: string;
  readonly unitsPerEm: number;
  readonly ascent: number;
  readonly descent: number;
  readonly lineGap: number;
  readonly capHeight: number;
  readonly xHeight: number;
  readonly italicAngle: number;
  readonly bbox: fontkit.BBOX;

  private readonly tables: Tables;
  private readonly glyfOffset: number;
  private readonly longLoca: boolean;
  private readonly locaOffset: number;
  private readonly hmtxOffset: number;
  private readonly numberOfHMetrics: number;
  private readonly byCodePoint = new Map<number, GlyphInfo>();
  private readonly stored = new Map<number, StoredGlyph>();

  /** Glyphs every subset of this font holds, in a fixed order, with the code points they stand for. */
  readonly preloaded: { id: number; codePoints: number[] }[];

  /**
   * `preload`: characters whose glyphs every subset holds in the same order, so the subset's bytes are the same in
   * every document and can be compressed once (see embed.ts). `alias` names the font inside pdfkit, which would
   * otherwise merge two faces of the same font into one.
   */
  constructor(
    private readonly font: fontkit.Font,
    data: Uint8Array,
    opts: { preload?: string; alias?: string } = {},
  ) {
    this.realName = font.postscriptName;
    this.postscriptName = opts.alias ?? font.postscriptName;
    this.unitsPerEm = font.unitsPerEm;
    this.ascent = font.ascent;
    this.descent = font.descent;
    this.lineGap = font.lineGap;
    this.capHeight = font.capHeight;
    this.xHeight = font.xHeight;
    this.italicAngle = font.italicAngle;
    this.bbox = font.bbox;
    this.tables = readTables(data);
    const need = (tag: string) => {
      const t = this.tables.find(tag);
      if (t === undefined) throw new Error(`${font.postscriptName} has no ${tag} table; label fonts must be TrueType outlines`);
      return t;
    };
    this.glyfOffset = need("glyf").offset;
    this.locaOffset = need("loca").offset;
    this.hmtxOffset = need("hmtx").offset;
    this.longLoca = this.tables.view.getInt16(need("head").offset + 50) === 1;
    this.numberOfHMetrics = this.tables.view.getUint16(need("hhea").offset + 34);
    const seen = new Set<number>([0]);
    this.preloaded = [];
    for (const ch of opts.preload ?? "") {
      const g = this.glyphFor(ch.codePointAt(0)!);
      if (seen.has(g.id)) continue;
      seen.add(g.id);
      this.preloaded.push({ id: g.id, codePoints: g.codePoints });
    }
  }

  /** Whether every character of `text` has a preloaded glyph. */
  covers(text: string): boolean {
    for (const ch of text) if (!this.preloadedCodePoints.has(ch.codePointAt(0)!)) return false;
    return true;
  }

  private get preloadedCodePoints(): Set<number> {
    this.preloadedSet ??= new Set(this.preloaded.flatMap((p) => p.codePoints));
    return this.preloadedSet;
  }
  private preloadedSet: Set<number> | undefined;

  // pdfkit reads these fontkit tables when it embeds the font.
  get "OS/2"(): unknown {
    return (this.font as unknown as Record<string, unknown>)["OS/2"];
  }
  get post(): unknown {
    return (this.font as unknown as Record<string, unknown>)["post"];
  }
  get head(): unknown {
    return (this.font as unknown as Record<string, unknown>)["head"];
  }
  /** pdfkit compares fonts of the same name by these tables before sharing one between families. */
  get _tables(): unknown {
    return (this.font as unknown as Record<string, unknown>)["_tables"];
  }

  getGlyph(id: number): GlyphInfo {
    return { id, advanceWidth: this.glyph(id).advance, codePoints: [] };
  }

  private glyphFor(codePoint: number): GlyphInfo {
    let g = this.byCodePoint.get(codePoint);
    if (g === undefined) {
      const id = this.font.glyphForCodePoint(codePoint).id;
      g = { id, advanceWidth: this.glyph(id).advance, codePoints: [codePoint] };
      this.byCodePoint.set(codePoint, g);
    }
    return g;
  }

  /** The run pdfkit expects from fontkit's layout; fresh position objects, since pdfkit scales them in place. */
  layout(text: string): { glyphs: GlyphInfo[]; positions: { xAdvance: number; yAdvance: number; xOffset: number; yOffset: number }[]; advanceWidth: number } {
    const glyphs: GlyphInfo[] = [];
    const positions: { xAdvance: number; yAdvance: number; xOffset: number; yOffset: number }[] = [];
    let advanceWidth = 0;
    for (const ch of text) {
      const g = this.glyphFor(ch.codePointAt(0)!);
      glyphs.push(g);
      positions.push({ xAdvance: g.advanceWidth, yAdvance: 0, xOffset: 0, yOffset: 0 });
      advanceWidth += g.advanceWidth;
    }
    return { glyphs, positions, advanceWidth };
  }

  createSubset(): LabelFontSubset {
    return new LabelFontSubset(this);
  }

  /** A glyph's stored bytes and metrics, read from the file once. */
  glyph(id: number): StoredGlyph {
    let g = this.stored.get(id);
    if (g !== undefined) return g;
    const { view, data } = this.tables;
    const start = this.longLoca ? view.getUint32(this.locaOffset + id * 4) : view.getUint16(this.locaOffset + id * 2) * 2;
    const end = this.longLoca ? view.getUint32(this.locaOffset + (id + 1) * 4) : view.getUint16(this.locaOffset + (id + 1) * 2) * 2;
    const bytes = data.slice(this.glyfOffset + start, this.glyfOffset + end);
    const components: { at: number; id: number }[] = [];
    if (bytes.length >= 10) {
      const gv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      if (gv.getInt16(0) < 0) {
        let at = 10;
        for (;;) {
          const flags = gv.getUint16(at);
          components.push({ at: at + 2, id: gv.getUint16(at + 2) });
          at += 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
          if (flags & WE_HAVE_A_SCALE) at += 2;
          else if (flags & WE_HAVE_AN_X_AND_Y_SCALE) at += 4;
          else if (flags & WE_HAVE_A_TWO_BY_TWO) at += 8;
          if (!(flags & MORE_COMPONENTS)) break;
        }
      }
    }
    const metric = Math.min(id, this.numberOfHMetrics - 1);
    const advance = view.getUint16(this.hmtxOffset + metric * 4);
    const leftBearing =
      id < this.numberOfHMetrics ? view.getInt16(this.hmtxOffset + id * 4 + 2) : view.getInt16(this.hmtxOffset + this.numberOfHMetrics * 4 + (id - this.numberOfHMetrics) * 2);
    g = { bytes, components, advance, leftBearing };
    this.stored.set(id, g);
    return g;
  }

  rawTable(tag: string): Uint8Array | undefined {
    const t = this.tables.find(tag);
    return t === undefined ? undefined : this.tables.data.subarray(t.offset, t.offset + t.length);
  }
}

/** The glyphs one document uses, numbered in the order pdfkit first asks for them (glyph 0 is always .notdef). */
export class LabelFontSubset {
  private readonly ids: number[] = [0];
  private readonly index = new Map<number, number>([[0, 0]]);

  constructor(readonly font: LabelFont) {
    for (const g of font.preloaded) this.includeGlyph(g.id);
  }

  /** Font glyph ids in subset order: index i is glyph i of the subset. */
  glyphIds(): readonly number[] {
    return this.ids;
  }

  includeGlyph(id: number): number {
    let n = this.index.get(id);
    if (n === undefined) {
      n = this.ids.length;
      this.ids.push(id);
      this.index.set(id, n);
    }
    return n;
  }

  encode(): Uint8Array {
    // Composite glyphs pull in their components, which may add more ids while walking.
    const glyphs: Uint8Array[] = [];
    for (let i = 0; i < this.ids.length; i++) {
      const g = this.font.glyph(this.ids[i]!);
      if (g.components.length === 0) {
        glyphs.push(g.bytes);
        continue;
      }
      const copy = g.bytes.slice();
      const view = new DataView(copy.buffer);
      for (const c of g.components) view.setUint16(c.at, this.includeGlyph(c.id));
      glyphs.push(copy);
    }
    const n = this.ids.length;
    const glyf = concatAligned(glyphs);
    const loca = new DataView(new ArrayBuffer((n + 1) * 4));
    const hmtx = new DataView(new ArrayBuffer(n * 4));
    let offset = 0;
    for (let i = 0; i < n; i++) {
      loca.setUint32(i * 4, offset);
      offset += padded(glyphs[i]!.length);
      const g = this.font.glyph(this.ids[i]!);
      hmtx.setUint16(i * 4, g.advance);
      hmtx.setInt16(i * 4 + 2, g.leftBearing);
    }
    loca.setUint32(n * 4, offset);

    const head = this.font.rawTable("head")!.slice();
    const headView = new DataView(head.buffer);
    headView.setUint32(8, 0); // checkSumAdjustment, set below over the whole file
    headView.setInt16(50, 1); // long loca offsets
    const hhea = this.font.rawTable("hhea")!.slice();
    new DataView(hhea.buffer).setUint16(34, n);
    const maxp = this.font.rawTable("maxp")!.slice();
    new DataView(maxp.buffer).setUint16(4, n);
    const tables: [string, Uint8Array][] = [
      ["glyf", glyf],
      ["head", head],
      ["hhea", hhea],
      ["hmtx", new Uint8Array(hmtx.buffer)],
      ["loca", new Uint8Array(loca.buffer)],
      ["maxp", maxp],
    ];
    const prep = this.font.rawTable("prep");
    if (prep !== undefined) tables.push(["prep", prep]);
    return sfnt(tables);
  }
}

function padded(length: number): number {
  return (length + 3) & ~3;
}

function concatAligned(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + padded(p.length), 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += padded(p.length);
  }
  return out;
}

function checksum(data: Uint8Array): number {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let sum = 0;
  const whole = data.length & ~3;
  for (let i = 0; i < whole; i += 4) sum = (sum + view.getUint32(i)) >>> 0;
  if (whole < data.length) {
    let last = 0;
    for (let i = whole; i < whole + 4; i++) last = (last << 8) | (i < data.length ? data[i]! : 0);
    sum = (sum + (last >>> 0)) >>> 0;
  }
  return sum;
}

/** An sfnt file from tables given in tag order, with head's checkSumAdjustment over the whole file. */
function sfnt(tables: [string, Uint8Array][]): Uint8Array {
  const count = tables.length;
  const entrySelector = Math.floor(Math.log2(count));
  const searchRange = 2 ** entrySelector * 16;
  const headerLength = 12 + count * 16;
  const total = headerLength + tables.reduce((n, [, t]) => n + padded(t.length), 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x00010000);
  view.setUint16(4, count);
  view.setUint16(6, searchRange);
  view.setUint16(8, entrySelector);
  view.setUint16(10, count * 16 - searchRange);
  let offset = headerLength;
  let headOffset = -1;
  tables.forEach(([tag, data], i) => {
    const rec = 12 + i * 16;
    for (let k = 0; k < 4; k++) out[rec + k] = tag.charCodeAt(k);
    view.setUint32(rec + 4, checksum(data));
    view.setUint32(rec + 8, offset);
    view.setUint32(rec + 12, data.length);
    out.set(data, offset);
    if (tag === "head") headOffset = offset;
    offset += padded(data.length);
  });
  view.setUint32(headOffset + 8, (0xb1b0afba - checksum(out)) >>> 0);
  return out;
}
