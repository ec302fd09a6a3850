/**
 * Paper the labels are printed on. Label presets put one label on each page (thermal label printers feed one
 * page per label); the A4 preset tiles labels on a sheet for office printers, with cut marks between them.
 */
import type { SizePreset } from "../../domain/printing.js";

export { DEFAULT_SIZE, SIZE_PRESETS, type SizePreset } from "../../domain/printing.js";

export const PT_PER_MM = 72 / 25.4;
export const mm = (v: number): number => v * PT_PER_MM;

/** A 203-dpi print head makes a module of 0.4 mm about 3 dots: the smallest that still scans reliably. */
export const MIN_QR_MODULE = mm(0.4);
/** The quiet zone the QR standard requires around the symbol, in modules. */
export const QR_QUIET_MODULES = 4;

export interface LabelStyle {
  width: number;
  height: number;
  margin: number;
  /** Where the QR panel goes: along the bottom of a tall label, or down the right side of a wide one. */
  qrPlacement: "bottom" | "right";
  /** Side of the QR symbol without quiet zone; grows when a long URL would make modules too small. */
  qrSide: number;
  titleSize: number;
  /** Largest field text size, used when everything fits; shrinks step by step towards minSize for long content. */
  baseSize: number;
  /** Below about 6 pt a 203-dpi head no longer renders CJK strokes legibly. */
  minSize: number;
}

export interface SheetSpec {
  page: [number, number];
  label: LabelStyle;
  columns: number;
  rows: number;
  /** Top-left corners of the label cells, row by row. */
  cells: { x: number; y: number }[];
  cutMarks: boolean;
}

const LABEL_STYLES: Record<SizePreset, LabelStyle> = {
  "label-60x80": {
    width: mm(60),
    height: mm(80),
    margin: mm(2.5),
    qrPlacement: "bottom",
    qrSide: mm(17),
    titleSize: 13,
    baseSize: 8.5,
    minSize: 6,
  },
  "label-100x70": {
    width: mm(100),
    height: mm(70),
    margin: mm(3),
    qrPlacement: "right",
    qrSide: mm(22),
    titleSize: 15,
    baseSize: 10,
    minSize: 6,
  },
  a6: {
    width: mm(105),
    height: mm(148),
    margin: mm(6),
    qrPlacement: "bottom",
    qrSide: mm(30),
    titleSize: 24,
    baseSize: 15,
    minSize: 7,
  },
  a4: {
    width: mm(62),
    height: mm(90),
    margin: mm(3),
    qrPlacement: "bottom",
    qrSide: mm(19),
    titleSize: 14,
    baseSize: 9,
    minSize: 6,
  },
};

const A4: [number, number] = [mm(210), mm(297)];
const A4_GRID = { columns: 3, rows: 3, gutter: mm(6) };

export function sheetFor(preset: SizePreset): SheetSpec {
  const label = LABEL_STYLES[preset];
  if (preset !== "a4") {
    return { page: [label.width, label.height], label, columns: 1, rows: 1, cells: [{ x: 0, y: 0 }], cutMarks: false };
  }
  const { columns, rows, gutter } = A4_GRID;
  const left = (A4[0] - columns * label.width - (columns - 1) * gutter) / 2;
  const top = (A4[1] - rows * label.height - (rows - 1) * gutter) / 2;
  const cells = Array.from({ length: columns * rows }, (_, i) => ({
    x: left + (i % columns) * (label.width + gutter),
    y: top + Math.floor(i / columns) * (label.height + gutter),
  }));
  return { page: A4, label, columns, rows, cells, cutMarks: true };
}
