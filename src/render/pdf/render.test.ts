import { describe, expect, it } from "vitest";
import { BASES, TEMPLATES, type CertificateContent } from "../../domain/certificate.js";
import { qrMatrix } from "../qr.js";
import { createLabelDocument, documentMeasure } from "./document.js";
import { copyMark, labelFields, layoutLabel, type LabelLayout } from "./layout.js";
import { SIZE_PRESETS, mm, sheetFor, type SizePreset } from "./presets.js";
import { renderCertificatePdf, renderCertificatesPdf, type BatchProgress, type LabelSource } from "./render.js";
import { FIXTURE_URL, darkness, decodeQr, fixtureContent, longestContent, pdfInfo, pdfPagePng, pdfText } from "./test-support.js";

const DPI = 300;
const px = (pt: number) => (pt * DPI) / 72;
const squash = (s: string) => s.replace(/\s+/g, "");

/** The strings a reader must find on a label: title, every field label and value, commitment, basis options. */
function expectedTexts(content: CertificateContent): string[] {
  return [
    content.title,
    ...labelFields(content).flatMap((f) => [f.label, f.value]),
    content.commitmentText,
    ...BASES.map((b) => TEMPLATES[content.templateVersion].basisLabels[b]),
    content.code,
    "开具日期",
    content.issueDate,
    "承诺依据",
  ];
}

/** The layout the renderer computes for the same inputs, to find things on the rasterised page. */
function sameLayout(content: CertificateContent, size: SizePreset, copies: number, logLeafIndex?: number): LabelLayout {
  const measure = documentMeasure(createLabelDocument({ title: "", author: "", createdAt: new Date(0) }));
  const opts = { qrModules: qrMatrix(FIXTURE_URL).size, copies, ...(logLeafIndex !== undefined && { logLeafIndex }) };
  return layoutLabel(content, sheetFor(size).label, opts, measure);
}

async function collect(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe.each(SIZE_PRESETS.filter((s) => s !== "a4"))("renderCertificatePdf %s", (size) => {
  const content = fixtureContent();
  const pdf = renderCertificatePdf(content, { url: FIXTURE_URL, size, copies: 3, logLeafIndex: 4711 });

  it("prints one page per copy, each marked 第 i / N 张", async () => {
    const bytes = await pdf;
    expect(pdfInfo(bytes).Pages).toBe("3");
    const pages = pdfText(bytes).split("\f").map(squash);
    for (let i = 1; i <= 3; i++) expect(pages[i - 1]).toContain(squash(copyMark(i, 3)));
  });

  it("shows every field, the commitment text exactly, the basis options and the log index", async () => {
    const text = squash(pdfText(await pdf));
    for (const expected of expectedTexts(content)) expect(text).toContain(squash(expected));
    expect(text).toContain("日志序号#4711");
  });

  it("carries a QR code that scans to the URL", async () => {
    expect(decodeQr(pdfPagePng(await pdf, 1, DPI))).toBe(FIXTURE_URL);
  });

  it("still scans when printed black-and-white on a 203-dpi thermal head", async () => {
    expect(decodeQr(pdfPagePng(await pdf, 1, 203, { thermal: true }))).toBe(FIXTURE_URL);
  });

  it("ticks the chosen basis with a drawn mark and leaves the others empty", async () => {
    const png = pdfPagePng(await pdf, 1, DPI);
    const boxes = sameLayout(content, size, 3, 4711).items.filter((i) => i.kind === "checkbox");
    for (const box of boxes) {
      const inner = { x: px(box.box.x + box.box.width * 0.25), y: px(box.box.y + box.box.height * 0.25), width: px(box.box.width * 0.5), height: px(box.box.height * 0.5) };
      if (box.checked) expect(darkness(png, inner), box.basis).toBeGreaterThan(0.1);
      else expect(darkness(png, inner), box.basis).toBe(0);
      // The outline is there for every option.
      expect(darkness(png, { x: px(box.box.x) - 2, y: px(box.box.y) - 2, width: px(box.box.width) + 4, height: 4 })).toBeGreaterThan(0.3);
    }
  });

  it("stays small: the CJK font is embedded as a subset", async () => {
    expect((await pdf).length).toBeLessThan(64 * 1024);
  });
});

describe("renderCertificatePdf a4", () => {
  const content = fixtureContent();
  const pdf = renderCertificatePdf(content, { url: FIXTURE_URL, size: "a4", copies: 11 });
  const sheet = sheetFor("a4");

  it("tiles 9 labels on the first sheet and the rest on the next", async () => {
    const bytes = await pdf;
    expect(pdfInfo(bytes).Pages).toBe("2");
    const [first, second] = pdfText(bytes).split("\f").map(squash);
    expect(first?.split(content.code)).toHaveLength(10);
    expect(second?.split(content.code)).toHaveLength(3);
    for (const expected of expectedTexts(content)) expect(first).toContain(squash(expected));
    expect(second).toContain(squash(copyMark(11, 11)));
  });

  it("has a scannable QR in every cell of the first sheet", async () => {
    const png = pdfPagePng(await pdf, 1, DPI);
    for (const cell of sheet.cells) {
      const region = { x: px(cell.x), y: px(cell.y), width: px(sheet.label.width), height: px(sheet.label.height) };
      expect(decodeQr(png, region)).toBe(FIXTURE_URL);
    }
  });

  it("draws cut marks at label corners, in the gutters only", async () => {
    const png = pdfPagePng(await pdf, 1, DPI);
    for (const cell of sheet.cells) {
      const corners = [
        [cell.x, cell.y, -1, -1],
        [cell.x + sheet.label.width, cell.y + sheet.label.height, 1, 1],
      ] as const;
      for (const [cx, cy, dx, dy] of corners) {
        const horizontal = { x: px(cx + dx * mm(1.9)) - 3, y: px(cy) - 3, width: 6, height: 6 };
        const vertical = { x: px(cx) - 3, y: px(cy + dy * mm(1.9)) - 3, width: 6, height: 6 };
        expect(darkness(png, horizontal)).toBeGreaterThan(0.05);
        expect(darkness(png, vertical)).toBeGreaterThan(0.05);
        // The corner itself stays clean so the cut lands on white.
        expect(darkness(png, { x: px(cx) - 2, y: px(cy) - 2, width: 4, height: 4 })).toBe(0);
      }
    }
  });
});

describe("long values", () => {
  it("stay readable and scannable on the smallest label", async () => {
    const content = longestContent();
    const pdf = await renderCertificatePdf(content, { url: FIXTURE_URL });
    const text = squash(pdfText(pdf));
    const layout = sameLayout(content, "label-60x80", 1);
    for (const item of layout.items) {
      if (item.kind === "text") expect(text).toContain(squash(item.text));
    }
    expect(text).toContain(squash(content.commitmentText));
    expect(decodeQr(pdfPagePng(pdf, 1, DPI))).toBe(FIXTURE_URL);
  });
});

describe("metadata and determinism", () => {
  it("records title, issuer as author, issue time as creation date and the producer", async () => {
    const content = fixtureContent();
    const info = pdfInfo(await renderCertificatePdf(content, { url: FIXTURE_URL }));
    expect(info.Title).toBe(`${content.title} ${content.code}`);
    expect(info.Author).toBe(content.issuer.name);
    expect(info.Producer).toBe("lotproof");
    expect(info.CreationDate).toMatch(/^2025-06-01T02:30:00(Z|\+00)/);
  });

  it("renders the same input to identical bytes", async () => {
    const a = await renderCertificatePdf(fixtureContent(), { url: FIXTURE_URL, copies: 2 });
    // Font caches warmed by other glyphs in between must not leak into the next file.
    await renderCertificatePdf(longestContent(), { url: `${FIXTURE_URL}9`, size: "a6" });
    const b = await renderCertificatePdf(fixtureContent(), { url: FIXTURE_URL, copies: 2 });
    expect(a.equals(b)).toBe(true);
  });

  it("changes the bytes when the certificate changes", async () => {
    const other = { ...fixtureContent(), issuedAt: "2025-06-02T02:30:00.000Z" };
    const a = await renderCertificatePdf(fixtureContent(), { url: FIXTURE_URL });
    const b = await renderCertificatePdf(other, { url: FIXTURE_URL });
    expect(a.equals(b)).toBe(false);
  });
});

describe("renderCertificatesPdf", () => {
  function source(i: number): LabelSource {
    const content = fixtureContent();
    content.code = `K7M4-P9X${String(i).padStart(2, "0")}`;
    return { content, url: `${FIXTURE_URL}${i}` };
  }

  it("streams pages while the certificates are still being read", async () => {
    const events: string[] = [];
    async function* items() {
      for (let i = 0; i < 25; i++) {
        events.push(`item ${i}`);
        yield source(i);
      }
    }
    const progress: BatchProgress[] = [];
    const stream = renderCertificatesPdf(items(), { size: "a4", copiesEach: 2, onProgress: (p) => progress.push(p) });
    const chunks: Buffer[] = [];
    for await (const chunk of stream) {
      events.push("chunk");
      chunks.push(chunk as Buffer);
    }
    expect(events.indexOf("chunk")).toBeLessThan(events.indexOf("item 24"));
    expect(progress).toHaveLength(25);
    expect(progress.at(-1)).toEqual({ certificates: 25, labels: 50, pages: 6 });

    const pdf = Buffer.concat(chunks);
    expect(pdfInfo(pdf).Pages).toBe("6");
    const text = squash(pdfText(pdf));
    for (let i = 0; i < 25; i++) expect(text.split(source(i).content.code)).toHaveLength(3);
    const png = pdfPagePng(pdf, 6, DPI);
    const cell = sheetFor("a4").cells[4];
    if (cell === undefined) throw new Error("no cell");
    // Label 50 of 50 sits in the fifth cell of the sixth sheet: certificate 24, copy 2.
    expect(decodeQr(png, { x: px(cell.x), y: px(cell.y), width: px(sheetFor("a4").label.width), height: px(sheetFor("a4").label.height) })).toBe(source(24).url);
  });

  it("accepts a plain array", async () => {
    const pdf = await collect(renderCertificatesPdf([source(1), source(2)]));
    expect(pdfInfo(pdf).Pages).toBe("2");
  });

  it("fails the stream when there is nothing to render", async () => {
    await expect(collect(renderCertificatesPdf([]))).rejects.toThrow(/no certificates/);
  });

  it("rejects impossible copy counts up front", () => {
    expect(() => renderCertificatesPdf([], { copiesEach: 0 })).toThrow(RangeError);
    expect(() => renderCertificatesPdf([], { copiesEach: 1.5 })).toThrow(RangeError);
  });

  it("rejects an unparseable issue time instead of writing a bogus date", async () => {
    const bad = { ...source(1), content: { ...source(1).content, issuedAt: "yesterday" } };
    await expect(collect(renderCertificatesPdf([bad]))).rejects.toThrow(RangeError);
  });
});
