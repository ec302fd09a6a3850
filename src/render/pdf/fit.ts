/**
 * Fitting text into boxes: shrink a line until it fits, wrap when shrinking is not enough, and as the very last
 * resort cut a paragraph with an ellipsis. Pure over a TextMeasure so layouts can be computed and tested anywhere.
 */
import type { FontRole } from "./fonts.js";

export interface TextMeasure {
  /** Advance width of `text` on a single line. */
  width(text: string, font: FontRole, size: number): number;
  /** Height of `text` wrapped to `width` with `lineGap` between lines, as pdfkit will lay it out. */
  height(text: string, font: FontRole, size: number, width: number, lineGap: number): number;
  /** Distance from the top of a line box to its baseline. */
  ascent(font: FontRole, size: number): number;
}

export interface FittedText {
  text: string;
  font: FontRole;
  size: number;
  lineGap: number;
  width: number;
  height: number;
  /** Set when the text had to be cut to fit: the label then shows less than the certificate holds. */
  truncated: boolean;
}

/** Sizes move in quarter points: fine enough to use the space, coarse enough to keep layouts stable. */
export const SIZE_STEP = 0.25;
/** Noto's ascent + descent is 1.45 em; CJK reads well at about 1.25 em, so lines are pulled together. */
const CJK_LINE_GAP = -0.2;
/** pdfkit wraps when a word's width exceeds the space left; keep a hair of slack against rounding. */
const WIDTH_SLACK = 0.995;
export const ELLIPSIS = "…";

export function lineGapFor(font: FontRole, size: number): number {
  return font === "mono" ? 0 : CJK_LINE_GAP * size;
}

export function floorToStep(size: number): number {
  return Math.floor(size / SIZE_STEP + 1e-9) * SIZE_STEP;
}

export function fitted(m: TextMeasure, text: string, font: FontRole, size: number, width: number): FittedText {
  const lineGap = lineGapFor(font, size);
  return { text, font, size, lineGap, width, height: m.height(text, font, size, width, lineGap), truncated: false };
}

/**
 * The largest size in [minSize, maxSize] that keeps `text` on one line of `width`; failing that, the text wraps
 * at minSize. Width grows linearly with size, so one measurement at 1 pt gives the answer.
 */
export function fitText(
  m: TextMeasure,
  text: string,
  font: FontRole,
  bounds: { maxSize: number; minSize: number; width: number },
): FittedText {
  const unitWidth = m.width(text, font, 1);
  const oneLine = unitWidth > 0 ? floorToStep((bounds.width * WIDTH_SLACK) / unitWidth) : bounds.maxSize;
  const size = oneLine >= bounds.minSize ? Math.min(bounds.maxSize, oneLine) : bounds.minSize;
  return fitted(m, text, font, size, bounds.width);
}

/** The longest prefix of `text`, ellipsis appended, whose wrapped height stays within `maxHeight`. */
export function truncateToHeight(m: TextMeasure, t: FittedText, maxHeight: number): FittedText {
  if (t.height <= maxHeight) return t;
  const chars = Array.from(t.text);
  const heightOf = (n: number) => m.height(chars.slice(0, n).join("") + ELLIPSIS, t.font, t.size, t.width, t.lineGap);
  let lo = 0;
  let hi = chars.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (heightOf(mid) <= maxHeight) lo = mid;
    else hi = mid - 1;
  }
  const text = chars.slice(0, lo).join("").trimEnd() + ELLIPSIS;
  const { font, size, lineGap, width } = t;
  return { text, font, size, lineGap, width, height: m.height(text, font, size, width, lineGap), truncated: true };
}
