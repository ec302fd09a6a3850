import jsQR from "jsqr";
import { describe, expect, it } from "vitest";
import { qrDarkRuns, qrMatrix, qrSvg } from "./qr.js";

const URL = "https://lotproof.example/c/K7M4P9XR3";

/** Paints the SVG's path (absolute M x y, then h/v/h/z per run) onto a white RGBA canvas. */
function rasteriseSvg(svg: string, scale: number): { data: Uint8ClampedArray; side: number } {
  const viewBox = /viewBox="0 0 (\d+) (\d+)"/.exec(svg);
  const d = /<path[^>]* d="([^"]*)"/.exec(svg)?.[1];
  if (!viewBox || d === undefined) throw new Error("unexpected SVG shape");
  const side = Number(viewBox[1]) * scale;
  const data = new Uint8ClampedArray(side * side * 4).fill(255);
  for (const [, x, y, w] of d.matchAll(/M(\d+) (\d+)h(\d+)v1h-\3z/g)) {
    for (let py = Number(y) * scale; py < (Number(y) + 1) * scale; py++) {
      for (let px = Number(x) * scale; px < (Number(x) + Number(w)) * scale; px++) {
        data.fill(0, (py * side + px) * 4, (py * side + px) * 4 + 3);
      }
    }
  }
  return { data, side };
}

describe("qrMatrix", () => {
  it("encodes a scan URL at level M as version 3 (29 modules)", () => {
    const m = qrMatrix(URL);
    expect(m.size).toBe(29);
    expect(m.cells).toHaveLength(29 * 29);
    // Finder pattern corners are dark.
    expect([m.cells[0], m.cells[28], m.cells[28 * 29]]).toEqual([1, 1, 1]);
  });

  it("is deterministic", () => {
    expect(qrMatrix(URL)).toEqual(qrMatrix(URL));
  });
});

describe("qrDarkRuns", () => {
  it("covers exactly the dark modules with maximal horizontal runs", () => {
    const m = qrMatrix(URL);
    const painted = new Uint8Array(m.size * m.size);
    for (const run of qrDarkRuns(m)) {
      expect(run.length).toBeGreaterThan(0);
      for (let c = run.col; c < run.col + run.length; c++) painted[run.row * m.size + c] = 1;
      // Maximal: the modules just outside the run are light (or off the symbol).
      if (run.col > 0) expect(m.cells[run.row * m.size + run.col - 1]).toBe(0);
      if (run.col + run.length < m.size) expect(m.cells[run.row * m.size + run.col + run.length]).toBe(0);
    }
    expect(painted).toEqual(m.cells);
  });
});

describe("qrSvg", () => {
  it("draws one path with crisp edges and a 4-module quiet zone", () => {
    const svg = qrSvg(URL);
    expect(svg.match(/<path/g)).toHaveLength(1);
    expect(svg).toContain('shape-rendering="crispEdges"');
    expect(svg).toContain('viewBox="0 0 37 37"');
    expect(svg).toContain('width="148"');
  });

  it("decodes back to the URL", () => {
    const { data, side } = rasteriseSvg(qrSvg(URL), 6);
    expect(jsQR(data, side, side)?.data).toBe(URL);
  });

  it("honours scale and margin", () => {
    const svg = qrSvg(URL, { scale: 2, margin: 0 });
    expect(svg).toContain('viewBox="0 0 29 29"');
    expect(svg).toContain('width="58"');
  });

  it("rejects nonsensical options", () => {
    expect(() => qrSvg(URL, { scale: 0 })).toThrow(RangeError);
    expect(() => qrSvg(URL, { margin: -1 })).toThrow(RangeError);
    expect(() => qrSvg(URL, { margin: 1.5 })).toThrow(RangeError);
  });
});
