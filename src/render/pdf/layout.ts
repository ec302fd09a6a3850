/**
 * Where everything on one label goes. The layout is computed once per certificate (copies share it) and is plain
 * data, so tests can check that no text box overflows and nothing overlaps the QR code's quiet zone.
 */
import type { Basis, CertificateContent } from "../../domain/certificate.js";
import { BASES, TEMPLATES } from "../../domain/certificate.js";
import { SIZE_STEP, fitText, fitted, floorToStep, truncateToHeight, type FittedText, type TextMeasure } from "./fit.js";
import type { FontRole } from "./fonts.js";
import { MIN_QR_MODULE, QR_QUIET_MODULES, mm, type LabelStyle } from "./presets.js";

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type FieldKey = "product" | "quantity" | "origin" | "issuer" | "contact";
export type TextRole =
  | "title"
  | "commitment"
  | "basis-heading"
  | "basis-option"
  | "code"
  | "date"
  | "log"
  | `label:${FieldKey}`
  | `value:${FieldKey}`;

export interface TextItem extends FittedText {
  kind: "text";
  role: TextRole;
  box: Box;
  align: "left" | "center";
}

/** 第 i / N 张: drawn per copy, sized for the widest number so every copy fits the same box. */
export interface CopyMarkItem {
  kind: "copy";
  total: number;
  font: FontRole;
  size: number;
  lineGap: number;
  box: Box;
  align: "left" | "center";
}

export interface CheckboxItem {
  kind: "checkbox";
  basis: Basis;
  checked: boolean;
  box: Box;
}

export interface RuleItem {
  kind: "rule";
  box: Box;
}

export interface QrItem {
  kind: "qr";
  /** The symbol itself. */
  box: Box;
  /** The symbol plus its quiet zone: nothing else may be drawn here. */
  quiet: Box;
  module: number;
}

export type LabelItem = TextItem | CopyMarkItem | CheckboxItem | RuleItem | QrItem;

export interface LabelLayout {
  width: number;
  height: number;
  items: LabelItem[];
  /** True when even the minimum size could not hold everything and some value was cut with an ellipsis. */
  truncated: boolean;
}

export interface LabelOptions {
  /** Modules per side of the QR symbol that will be drawn (depends on the URL). */
  qrModules: number;
  copies: number;
  logLeafIndex?: number;
}

export interface LabelField {
  key: FieldKey;
  label: string;
  value: string;
}

export const BASIS_HEADING = "承诺依据";
export const DATE_LABEL = "开具日期";
export const LOG_LABEL = "日志序号";

export function copyMark(index: number, total: number): string {
  return `第 ${index} / ${total} 张`;
}

/** The template's fields in the order the rulebook lists them; 开具日期 sits beside the QR code. */
export function labelFields(content: CertificateContent): LabelField[] {
  const { product, quantity, origin, issuer } = content;
  return [
    { key: "product", label: "产品名称", value: product.name },
    { key: "quantity", label: "数量（重量）", value: `${formatAmount(quantity.amount)} ${quantity.unit}` },
    { key: "origin", label: "产地", value: joinPresent([origin.regionName ?? origin.regionCode, origin.address]) },
    { key: "issuer", label: "承诺主体", value: issuer.name },
    { key: "contact", label: "联系方式", value: joinPresent([issuer.contactName, issuer.phone]) },
  ];
}

function joinPresent(parts: (string | null)[]): string {
  return parts.filter((p): p is string => p !== null && p.trim() !== "").join(" ");
}

/**
 * Quantities carry at most 3 decimals and 12 integer digits, so rounding to thousandths removes float noise and
 * stays far from exponent notation.
 */
function formatAmount(amount: number): string {
  return String(Math.round(amount * 1000) / 1000);
}

/** Glyphs hang a little below the tightened line box (in em); room kept before the rule under the body. */
const DESCENT_ROOM = 0.15;

/** Values that may be cut when the content cannot fit at the minimum size, most important first; the rest are short by nature. */
const TRUNCATABLE: FieldKey[] = ["product", "issuer", "origin", "contact"];

export function layoutLabel(
  content: CertificateContent,
  style: LabelStyle,
  opts: LabelOptions,
  m: TextMeasure,
): LabelLayout {
  const inner = { x: style.margin, y: style.margin, right: style.width - style.margin, bottom: style.height - style.margin };
  const width = inner.right - inner.x;
  const items: LabelItem[] = [];

  const title = fitText(m, content.title, "bold", { maxSize: style.titleSize, minSize: style.baseSize, width });
  items.push({ kind: "text", role: "title", ...title, box: { x: inner.x, y: inner.y, width, height: title.height }, align: "center" });
  const ruleGap = mm(1);
  const titleRuleY = inner.y + title.height + ruleGap / 2;
  items.push(rule(inner.x, titleRuleY, width));
  const bodyTop = titleRuleY + ruleGap;

  // The symbol keeps its physical size unless a long URL would push modules under the printable minimum.
  const module = Math.max(style.qrSide / opts.qrModules, MIN_QR_MODULE);
  const side = module * opts.qrModules;
  const quietWidth = module * QR_QUIET_MODULES;
  // The blank label margin counts towards the quiet zone along the label's edges.
  const inset = Math.max(0, quietWidth - style.margin);

  let bodyArea: Box;
  let panelArea: Box;
  let qr: QrItem;
  if (style.qrPlacement === "bottom") {
    const qrBox = { x: inner.x + inset, y: inner.bottom - inset - side, width: side, height: side };
    qr = { kind: "qr", box: qrBox, quiet: grow(qrBox, quietWidth), module };
    const ruleY = qr.quiet.y - ruleGap / 2;
    items.push(rule(inner.x, ruleY, width));
    bodyArea = { x: inner.x, y: bodyTop, width, height: ruleY - ruleGap / 2 - bodyTop };
    const panelX = qr.quiet.x + qr.quiet.width + mm(0.5);
    panelArea = { x: panelX, y: qrBox.y, width: inner.right - panelX, height: inner.bottom - qrBox.y };
  } else {
    const qrBox = { x: inner.right - inset - side, y: bodyTop + quietWidth, width: side, height: side };
    qr = { kind: "qr", box: qrBox, quiet: grow(qrBox, quietWidth), module };
    const panelX = qr.quiet.x;
    const panelTop = qr.quiet.y + qr.quiet.height;
    panelArea = { x: panelX, y: panelTop, width: inner.right - panelX, height: inner.bottom - panelTop };
    bodyArea = { x: inner.x, y: bodyTop, width: panelX - mm(1.5) - inner.x, height: inner.bottom - bodyTop };
  }
  items.push(qr);
  items.push(...layoutPanel(content, style, opts, panelArea, m));

  const body = layoutBody(content, style, bodyArea, m);
  items.push(...body.items);
  return { width: style.width, height: style.height, items, truncated: body.truncated };
}

function rule(x: number, y: number, width: number): RuleItem {
  return { kind: "rule", box: { x, y, width, height: 0 } };
}

function grow(b: Box, by: number): Box {
  return { x: b.x - by, y: b.y - by, width: b.width + 2 * by, height: b.height + 2 * by };
}

/** Code for typing in by hand, issue date, copy number and log index, stacked beside or under the QR. */
function layoutPanel(content: CertificateContent, style: LabelStyle, opts: LabelOptions, area: Box, m: TextMeasure): LabelItem[] {
  const align = style.qrPlacement === "bottom" ? "left" : "center";
  const secondary: { role: TextRole | "copy"; text: string }[] = [{ role: "date", text: `${DATE_LABEL} ${content.issueDate}` }];
  if (opts.copies > 1) secondary.push({ role: "copy", text: copyMark(opts.copies, opts.copies) });
  if (opts.logLeafIndex !== undefined) secondary.push({ role: "log", text: `${LOG_LABEL} #${opts.logLeafIndex}` });

  for (let size = style.baseSize; ; size -= SIZE_STEP) {
    const bounds = (maxSize: number) => ({ maxSize, minSize: style.minSize, width: area.width });
    const code = fitText(m, content.code, "mono", bounds(floorToStep(size * 1.7)));
    // The lines under the code share one size, so a long date line does not make its neighbours look odd.
    const common = Math.min(...secondary.map((l) => fitText(m, l.text, "regular", bounds(size)).size));
    const lines = [{ role: "code" as const, text: code }, ...secondary.map((l) => ({ role: l.role, text: fitted(m, l.text, "regular", common, area.width) }))];
    const gap = size * 0.3;
    const total = lines.reduce((h, l) => h + l.text.height, 0) + gap * (lines.length - 1);
    if (total > area.height) {
      if (size > style.minSize) continue;
      throw new Error(`label too small for the code panel (${total.toFixed(1)} > ${area.height.toFixed(1)} pt)`);
    }

    const items: LabelItem[] = [];
    let y = area.y;
    for (const { role, text } of lines) {
      const box = { x: area.x, y, width: area.width, height: text.height };
      if (role === "copy") {
        items.push({ kind: "copy", total: opts.copies, font: text.font, size: text.size, lineGap: text.lineGap, box, align });
      } else {
        items.push({ kind: "text", role, ...text, box, align });
      }
      y += text.height + gap;
    }
    return items;
  }
}

interface Body {
  items: LabelItem[];
  height: number;
  size: number;
  truncated: boolean;
}

/**
 * Fields, commitment text and basis options. Tries the base size first and steps down to the minimum; if even
 * that overflows (only with extreme values on the smallest labels), the tallest values are cut with an ellipsis
 * to a common number of lines, lowered one line at a time, so no single field loses everything.
 */
function layoutBody(content: CertificateContent, style: LabelStyle, area: Box, m: TextMeasure): Body {
  let body = bodyAt(content, style, area, style.baseSize, new Map(), m);
  for (let size = style.baseSize - SIZE_STEP; body.height > area.height && size >= style.minSize; size -= SIZE_STEP) {
    body = bodyAt(content, style, area, size, new Map(), m);
  }
  const full = body;
  const withCaps = (caps: Map<FieldKey, number>) => {
    const overrides = new Map<FieldKey, FittedText>();
    for (const { key, item } of truncatableValues(full)) {
      const lines = caps.get(key);
      if (lines === undefined) continue;
      const cap = lines * lineHeight(m, item);
      if (item.height > cap + 0.01) overrides.set(key, truncateToHeight(m, item, cap));
    }
    return bodyAt(content, style, area, full.size, overrides, m);
  };
  for (let lines = maxLines(m, full) - 1; body.height > area.height && lines >= 1; lines--) {
    const caps = new Map(TRUNCATABLE.map((k) => [k, lines]));
    body = withCaps(caps);
    if (body.height > area.height) continue;
    // A common cap wastes up to a line per field: hand lines back in order of importance while they fit.
    for (const key of TRUNCATABLE) {
      caps.set(key, lines + 1);
      const roomier = withCaps(caps);
      if (roomier.height <= area.height) body = roomier;
      else caps.set(key, lines);
    }
  }
  if (body.height > area.height) {
    throw new Error(`certificate ${content.code} cannot fit a ${style.width.toFixed(0)}x${style.height.toFixed(0)} pt label`);
  }
  return body;
}

function lineHeight(m: TextMeasure, t: FittedText): number {
  return m.height("字", t.font, t.size, t.width, t.lineGap);
}

function truncatableValues(body: Body): { key: FieldKey; item: TextItem }[] {
  return body.items.flatMap((item) => {
    if (item.kind !== "text") return [];
    const key = TRUNCATABLE.find((k) => item.role === `value:${k}`);
    return key === undefined ? [] : [{ key, item }];
  });
}

function maxLines(m: TextMeasure, body: Body): number {
  return Math.max(0, ...truncatableValues(body).map(({ item }) => Math.round(item.height / lineHeight(m, item))));
}

function bodyAt(
  content: CertificateContent,
  style: LabelStyle,
  area: Box,
  size: number,
  overrides: Map<FieldKey, FittedText>,
  m: TextMeasure,
): Body {
  const items: LabelItem[] = [];
  const fields = labelFields(content);
  const labelWidth = Math.max(...[...fields.map((f) => f.label), BASIS_HEADING].map((l) => m.width(l, "regular", size)));
  const gapX = size * 0.6;
  const valueX = area.x + labelWidth + gapX;
  const valueWidth = area.x + area.width - valueX;
  const rowGap = size * 0.3;
  let y = area.y;

  for (const field of fields) {
    const prominent = field.key === "product";
    const maxSize = prominent ? floorToStep(size * 1.2) : size;
    const value =
      overrides.get(field.key) ??
      fitText(m, field.value, prominent ? "bold" : "regular", {
        maxSize,
        minSize: Math.max(style.minSize, floorToStep(maxSize * 0.85)),
        width: valueWidth,
      });
    const label = fitted(m, field.label, "regular", size, labelWidth + gapX / 2);
    // Align the first baselines when the value is set larger than its label.
    const labelOffset = Math.max(0, m.ascent("regular", value.size) - m.ascent("regular", size));
    items.push({ kind: "text", role: `label:${field.key}`, ...label, box: { x: area.x, y: y + labelOffset, width: label.width, height: label.height }, align: "left" });
    items.push({ kind: "text", role: `value:${field.key}`, ...value, box: { x: valueX, y, width: valueWidth, height: value.height }, align: "left" });
    y += Math.max(value.height, labelOffset + label.height) + rowGap;
  }

  const commitment = fitted(m, content.commitmentText, "regular", Math.max(style.minSize, floorToStep(size * 0.92)), area.width);
  items.push({ kind: "text", role: "commitment", ...commitment, box: { x: area.x, y, width: area.width, height: commitment.height }, align: "left" });
  y += commitment.height + rowGap;

  const heading = fitted(m, BASIS_HEADING, "regular", size, labelWidth + gapX / 2);
  items.push({ kind: "text", role: "basis-heading", ...heading, box: { x: area.x, y, width: heading.width, height: heading.height }, align: "left" });
  y += layoutBasisOptions(content, { x: valueX, y, width: valueWidth }, size, m, items);
  y += size * DESCENT_ROOM;

  return { items, height: y - area.y, size, truncated: overrides.size > 0 };
}

/** Flows the three options left to right, wrapping whole options; returns the height used. */
function layoutBasisOptions(
  content: CertificateContent,
  area: { x: number; y: number; width: number },
  size: number,
  m: TextMeasure,
  items: LabelItem[],
): number {
  const labels = TEMPLATES[content.templateVersion].basisLabels;
  const boxSide = size * 0.8;
  const boxGap = size * 0.3;
  const optionGap = size * 0.8;
  const lineHeight = fitted(m, "字", "regular", size, area.width).height;
  // Centre the box on the ideographs' body, which sits between ascent - 0.88 em and ascent + 0.12 em.
  const boxTop = m.ascent("regular", size) - 0.38 * size - boxSide / 2;
  let x = 0;
  let y = 0;
  for (const basis of BASES) {
    const text = fitText(m, labels[basis], "regular", { maxSize: size, minSize: Math.min(size, 6), width: area.width - boxSide - boxGap });
    const width = boxSide + boxGap + m.width(text.text, "regular", text.size);
    if (x > 0 && x + width > area.width) {
      x = 0;
      y += lineHeight;
    }
    items.push({ kind: "checkbox", basis, checked: basis === content.basis, box: { x: area.x + x, y: area.y + y + boxTop, width: boxSide, height: boxSide } });
    const textX = x + boxSide + boxGap;
    // Room for the option's own text only, so its box stays clear of the next option's check box.
    const textWidth = Math.min(area.width - textX, width - boxSide - boxGap + optionGap / 2);
    items.push({
      kind: "text",
      role: "basis-option",
      ...text,
      width: textWidth,
      box: { x: area.x + textX, y: area.y + y, width: textWidth, height: text.height },
      align: "left",
    });
    x += width + optionGap;
  }
  return y + lineHeight;
}
