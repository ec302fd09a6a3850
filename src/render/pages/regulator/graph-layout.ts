/**
 * Layered layout for a trace: one column per layer (sources left, the start in the middle, what it reached right),
 * lots ordered within a column by the mean position of their parents (one barycentre pass) so edges cross less.
 * Pure, so its geometry is tested without a browser.
 */

export interface LayoutInput {
  nodes: readonly { id: string; layer: number }[];
  edges: readonly { from: string; to: string }[];
}

export interface Placed {
  id: string;
  x: number;
  y: number;
}

export interface Layout {
  width: number;
  height: number;
  nodes: Map<string, Placed>;
}

export const BOX_W = 180;
export const BOX_H = 52;
const GAP_X = 70;
const GAP_Y = 18;
const MARGIN = 20;

export function layeredLayout(input: LayoutInput): Layout {
  const layers = new Map<number, string[]>();
  for (const n of input.nodes) layers.set(n.layer, [...(layers.get(n.layer) ?? []), n.id]);
  const order = [...layers.keys()].sort((a, b) => a - b);
  const parents = new Map<string, string[]>();
  for (const e of input.edges) parents.set(e.to, [...(parents.get(e.to) ?? []), e.from]);

  const rank = new Map<string, number>();
  for (const layer of order) {
    const ids = [...layers.get(layer)!].sort();
    const score = (id: string) => {
      const ps = (parents.get(id) ?? []).map((p) => rank.get(p)).filter((r): r is number => r !== undefined);
      return ps.length === 0 ? Number.POSITIVE_INFINITY : ps.reduce((a, b) => a + b, 0) / ps.length;
    };
    // Stable: ties keep id order, so the same trace always draws the same picture.
    const sorted = ids.map((id, i) => ({ id, i, s: score(id) })).sort((a, b) => a.s - b.s || a.i - b.i);
    sorted.forEach((n, i) => rank.set(n.id, i));
    layers.set(layer, sorted.map((n) => n.id));
  }

  const tallest = Math.max(0, ...[...layers.values()].map((l) => l.length));
  const height = MARGIN * 2 + Math.max(1, tallest) * (BOX_H + GAP_Y) - GAP_Y;
  const nodes = new Map<string, Placed>();
  order.forEach((layer, col) => {
    const ids = layers.get(layer)!;
    const columnHeight = ids.length * (BOX_H + GAP_Y) - GAP_Y;
    const top = (height - columnHeight) / 2;
    ids.forEach((id, row) => nodes.set(id, { id, x: MARGIN + col * (BOX_W + GAP_X), y: top + row * (BOX_H + GAP_Y) }));
  });
  const width = MARGIN * 2 + Math.max(1, order.length) * (BOX_W + GAP_X) - GAP_X;
  return { width, height, nodes };
}
