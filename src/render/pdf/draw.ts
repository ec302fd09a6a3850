/**
 * Paints a computed label layout onto the current pdfkit page. Everything is vector: text, check boxes as stroked
 * squares (a ☑ glyph may be missing from the font) and the QR code as one filled path.
 */
import { qrDarkRuns, type QrMatrix } from "../qr.js";
import { drawingFont } from "./fonts.js";
import { copyMark, type Box, type LabelLayout } from "./layout.js";
import { mm } from "./presets.js";

export interface Point {
  x: number;
  y: number;
}

/**
 * pdfkit stops a paragraph whose next line would pass `height`, judging the line without the (negative) line gap,
 * so the limit is widened by that gap plus a hair of slack against float rounding; the layout already fits.
 */
const HEIGHT_SLACK = 0.5;
/** Strokes under ~0.2 mm vanish or break up on a 203-dpi head. */
const RULE_WIDTH = mm(0.2);

export function drawLabel(
  doc: PDFKit.PDFDocument,
  layout: LabelLayout,
  at: Point,
  qr: QrMatrix,
  copy: { index: number; total: number },
): void {
  doc.fillColor("black").strokeColor("black");
  for (const item of layout.items) {
    switch (item.kind) {
      case "text":
      case "copy": {
        const text = item.kind === "text" ? item.text : copyMark(copy.index, copy.total);
        doc
          .font(drawingFont(item.font, text))
          .fontSize(item.size)
          .text(text, at.x + item.box.x, at.y + item.box.y, {
            width: item.box.width,
            height: item.box.height - Math.min(0, item.lineGap) + HEIGHT_SLACK,
            lineGap: item.lineGap,
            align: item.align,
          });
        break;
      }
      case "rule":
        doc
          .moveTo(at.x + item.box.x, at.y + item.box.y)
          .lineTo(at.x + item.box.x + item.box.width, at.y + item.box.y)
          .lineWidth(RULE_WIDTH)
          .stroke();
        break;
      case "checkbox":
        drawCheckbox(doc, offset(item.box, at), item.checked);
        break;
      case "qr":
        drawQr(doc, qr, at.x + item.box.x, at.y + item.box.y, item.module);
        break;
    }
  }
}

function offset(b: Box, at: Point): Box {
  return { ...b, x: b.x + at.x, y: b.y + at.y };
}

function drawCheckbox(doc: PDFKit.PDFDocument, b: Box, checked: boolean): void {
  doc.rect(b.x, b.y, b.width, b.height).lineWidth(Math.max(RULE_WIDTH, b.width * 0.09)).stroke();
  if (!checked) return;
  doc
    .save()
    .moveTo(b.x + b.width * 0.2, b.y + b.height * 0.52)
    .lineTo(b.x + b.width * 0.42, b.y + b.height * 0.76)
    .lineTo(b.x + b.width * 0.82, b.y + b.height * 0.24)
    .lineWidth(Math.max(RULE_WIDTH, b.width * 0.16))
    .lineCap("round")
    .lineJoin("round")
    .stroke()
    .restore();
}

/**
 * One rectangle per horizontal run of dark modules, all filled as a single path. Drawn in module units under one
 * transform, so each rectangle is a few small integers: the content stream (and the time to compress it) halves.
 */
export function drawQr(doc: PDFKit.PDFDocument, qr: QrMatrix, x: number, y: number, module: number): void {
  doc.save().translate(x, y).scale(module);
  for (const run of qrDarkRuns(qr)) doc.rect(run.col, run.row, run.length, 1);
  doc.fill("black").restore();
}

/** Short strokes in the gutter pointing at each corner, clear of the label itself. */
export function drawCutMarks(doc: PDFKit.PDFDocument, at: Point, width: number, height: number): void {
  const gap = mm(1);
  const len = mm(1.8);
  for (const [cx, cy, dx, dy] of [
    [at.x, at.y, -1, -1],
    [at.x + width, at.y, 1, -1],
    [at.x, at.y + height, -1, 1],
    [at.x + width, at.y + height, 1, 1],
  ] as const) {
    doc.moveTo(cx + dx * gap, cy).lineTo(cx + dx * (gap + len), cy);
    doc.moveTo(cx, cy + dy * gap).lineTo(cx, cy + dy * (gap + len));
  }
  doc.lineWidth(0.3).stroke();
}
