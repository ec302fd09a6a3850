/**
 * QR codes as module matrices and vector shapes. Printed labels and the SVG endpoint both draw
 * horizontal runs of dark modules, so a whole symbol is one path with a few hundred rectangles.
 */
import QRCode from "qrcode";

export interface QrMatrix {
  /** Modules per side, without quiet zone. */
  size: number;
  /** Row-major, `size * size` entries, 1 = dark. */
  cells: Uint8Array;
}

/** A horizontal run of dark modules starting at (col, row). */
export interface QrRun {
  row: number;
  col: number;
  length: number;
}

/** Level M survives a scuffed or partly wet label while keeping short URLs at version 3 or below. */
export function qrMatrix(text: string): QrMatrix {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  return { size: modules.size, cells: Uint8Array.from(modules.data, (bit) => (bit ? 1 : 0)) };
}

export function qrDarkRuns(matrix: QrMatrix): QrRun[] {
  const runs: QrRun[] = [];
  const { size, cells } = matrix;
  for (let row = 0; row < size; row++) {
    let col = 0;
    while (col < size) {
      if (cells[row * size + col] !== 1) {
        col++;
        continue;
      }
      const start = col;
      while (col < size && cells[row * size + col] === 1) col++;
      runs.push({ row, col: start, length: col - start });
    }
  }
  return runs;
}

export interface QrSvgOptions {
  /** Pixels per module for the intrinsic width/height; the SVG scales freely anyway. Default 4. */
  scale?: number;
  /** Quiet zone in modules. Default 4, the minimum the QR standard asks for. */
  margin?: number;
}

export function qrSvg(text: string, opts: QrSvgOptions = {}): string {
  const scale = opts.scale ?? 4;
  const margin = opts.margin ?? 4;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`qrSvg: scale must be a positive number, got ${scale}`);
  if (!Number.isInteger(margin) || margin < 0) throw new RangeError(`qrSvg: margin must be a non-negative integer, got ${margin}`);

  const matrix = qrMatrix(text);
  const side = matrix.size + 2 * margin;
  const d = qrDarkRuns(matrix)
    .map((r) => `M${r.col + margin} ${r.row + margin}h${r.length}v1h-${r.length}z`)
    .join("");
  const px = side * scale;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${side} ${side}" width="${px}" height="${px}" shape-rendering="crispEdges">` +
    `<rect width="${side}" height="${side}" fill="#fff"/>` +
    `<path fill="#000" d="${d}"/>` +
    `</svg>`
  );
}
