import type { Trace } from "../../../services/trace";
import { BOX_H, BOX_W, layeredLayout } from "./graph-layout";

/** Most lots a drawing shows; a larger trace is drawn nearest-first and says how many were left out. */
export const MAX_DRAWN_NODES = 400;

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

const KIND_ZH: Record<string, string> = {
  enterprise: "企业", cooperative: "合作社", family_farm: "家庭农场", household: "农户", buyer: "收购", market: "市场", lab: "检测", regulator: "监管",
};

/**
 * The trace as a standalone SVG document: boxes per lot (holder, product, quantity), curves per genealogy edge,
 * red for failed, amber border for recalled, a thick border for the start. Text only from the trace, escaped.
 */
export function traceSvg(trace: Trace): string {
  const drawn = trace.nodes.slice(0, MAX_DRAWN_NODES);
  const ids = new Set(drawn.map((n) => n.lotId));
  const edges = trace.edges.filter((e) => ids.has(e.from) && ids.has(e.to));
  const layout = layeredLayout({ nodes: drawn.map((n) => ({ id: n.lotId, layer: n.layer })), edges });
  const footer = drawn.length < trace.nodes.length || trace.truncated ? 24 : 0;
  const width = Math.max(layout.width, 320);
  const height = layout.height + footer;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="追溯图 trace graph" font-family="'Noto Sans SC', 'PingFang SC', sans-serif" font-size="12">`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#667"/></marker></defs>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
  );
  for (const e of edges) {
    const a = layout.nodes.get(e.from)!;
    const b = layout.nodes.get(e.to)!;
    const x1 = a.x + BOX_W;
    const y1 = a.y + BOX_H / 2;
    const x2 = b.x;
    const y2 = b.y + BOX_H / 2;
    const mid = (x1 + x2) / 2;
    const label = e.quantity === null ? e.kind : `${e.kind} ${e.quantity}${e.unit ?? ""}`;
    parts.push(
      `<g class="edge" data-from="${esc(e.from)}" data-to="${esc(e.to)}"><path d="M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}" fill="none" stroke="#889" stroke-width="1.2" marker-end="url(#arrow)"/>` +
        `<title>${esc(label)}</title></g>`,
    );
  }
  for (const n of drawn) {
    const at = layout.nodes.get(n.lotId)!;
    const fill = n.failed ? "#fde2e1" : n.layer === 0 ? "#e6f0ff" : "#f6f7f9";
    const stroke = n.recalled ? "#d97706" : n.failed ? "#c62828" : "#5b6472";
    const strokeWidth = n.layer === 0 || n.recalled ? 3 : 1;
    const line1 = clip(`${n.party.name}（${KIND_ZH[n.party.kind] ?? n.party.kind}）`, 16);
    const line2 = clip([n.product, n.quantity === null ? null : `${n.quantity}${n.unit ?? ""}`].filter(Boolean).join(" "), 18);
    const line3 = clip([n.code, n.certificates.length > 0 ? `证${n.certificates.length}` : null, n.recalled ? "已召回" : null, n.failed ? "不合格" : null].filter(Boolean).join(" · "), 22);
    parts.push(
      `<g class="lot" data-lot="${esc(n.lotId)}" data-layer="${n.layer}"${n.recalled ? ' data-recalled="true"' : ""}${n.failed ? ' data-failed="true"' : ""}>` +
        `<rect x="${at.x}" y="${at.y}" width="${BOX_W}" height="${BOX_H}" rx="6" fill="${fill}" stroke="${stroke}" stroke-width="${strokeWidth}"/>` +
        `<text x="${at.x + 8}" y="${at.y + 16}" font-weight="600">${esc(line1)}</text>` +
        `<text x="${at.x + 8}" y="${at.y + 31}">${esc(line2)}</text>` +
        `<text x="${at.x + 8}" y="${at.y + 46}" fill="#555">${esc(line3)}</text>` +
        `<title>${esc(`${n.party.name} ${n.product} ${n.code ?? n.lotId}`)}</title></g>`,
    );
  }
  if (footer > 0) {
    const hidden = trace.nodes.length - drawn.length;
    parts.push(`<text x="20" y="${height - 8}" fill="#a00">${esc(`图中省略了 ${hidden} 个批次${trace.truncated ? "，追溯结果已截断" : ""}（完整名单见 CSV）`)}</text>`);
  }
  parts.push("</svg>");
  return parts.join("\n");
}
