/**
 * Test-only helpers: certificate fixtures (typical and longest allowed values) and thin wrappers around the
 * poppler command-line tools that read generated PDFs back as text and images.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { CERTIFICATE_TITLE, TEMPLATES, type CertificateContent } from "../../domain/certificate.js";

export const FIXTURE_URL = "https://lotproof.example/c/K7M4P9XR3";

export function fixtureContent(): CertificateContent {
  const template = TEMPLATES["2025-producer"];
  return {
    code: "K7M4-P9XR-3",
    templateVersion: template.version,
    title: CERTIFICATE_TITLE,
    commitmentText: template.commitmentText,
    basis: "self_test",
    basisLabel: template.basisLabels.self_test,
    product: { name: "红心猕猴桃", category: "水果", gtin: null },
    quantity: { amount: 500, unit: "kg" },
    origin: { regionCode: "330726", regionName: "浙江省金华市浦江县", address: "浙江省浦江县某某家庭农场", siteName: null },
    issuer: {
      partyId: "party-1",
      kind: "family_farm",
      name: "浦江县某某家庭农场",
      creditCode: null,
      contactName: "张三",
      phone: "13800000000",
    },
    lot: { id: "lot-1", code: "PJ-20250601-01", harvestedAt: "2025-05-31" },
    tests: [{ id: "test-1", kind: "rapid", lab: null, reportNo: null, testedAt: "2025-05-31" }],
    issueDate: "2025-06-01",
    issuedAt: "2025-06-01T02:30:00.000Z",
  };
}

/** `n` characters of full-width text, the widest a name realistically gets. */
function wide(n: number, seed: string): string {
  return Array.from({ length: n }, (_, i) => seed[i % seed.length]).join("");
}

/** The longest values the service accepts: 60-char product, 100-char issuer, 200-char address, 40-char contact, the longest phone form. */
export function longestContent(): CertificateContent {
  const base = fixtureContent();
  const template = TEMPLATES["2025-buyer"];
  return {
    ...base,
    code: "WWWW-WWWW-W",
    templateVersion: template.version,
    commitmentText: template.commitmentText,
    basis: "entrusted_test",
    basisLabel: template.basisLabels.entrusted_test,
    product: { ...base.product, name: wide(60, "精品有机红心猕猴桃礼盒装特级鲜果") },
    quantity: { amount: 123456789012.345, unit: "公斤" },
    origin: { ...base.origin, regionName: "新疆维吾尔自治区伊犁哈萨克自治州察布查尔锡伯自治县", address: wide(200, "浙江省金华市浦江县黄宅镇某某村某某路八十八号") },
    issuer: { ...base.issuer, name: wide(100, "浙江省金华市浦江县某某果蔬专业合作社联合社"), contactName: wide(40, "欧阳某某"), phone: "+86-0579-84123456" },
  };
}

function requireTool(name: string): void {
  try {
    execFileSync("which", [name], { stdio: "ignore" });
  } catch {
    throw new Error(`${name} not found on PATH: install poppler-utils (apt-get install -y poppler-utils) to run the PDF tests`);
  }
}

function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "lotproof-pdf-"));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Text of every page, laid out as on the page with `-layout` off so wrapped lines run on. `raw` keeps the order the
 * text was drawn in, so a paragraph beside a column of other text is not interleaved with it.
 */
export function pdfText(pdf: Buffer, opts: { raw?: boolean } = {}): string {
  requireTool("pdftotext");
  return withTempDir((dir) => {
    const file = join(dir, "in.pdf");
    writeFileSync(file, pdf);
    return execFileSync("pdftotext", ["-enc", "UTF-8", ...(opts.raw === true ? ["-raw"] : []), file, "-"], { encoding: "utf8" });
  });
}

export function pdfInfo(pdf: Buffer): Record<string, string> {
  requireTool("pdfinfo");
  return withTempDir((dir) => {
    const file = join(dir, "in.pdf");
    writeFileSync(file, pdf);
    const out = execFileSync("pdfinfo", ["-isodates", file], { encoding: "utf8" });
    return Object.fromEntries(out.split("\n").flatMap((line) => {
      const i = line.indexOf(":");
      return i > 0 ? [[line.slice(0, i).trim(), line.slice(i + 1).trim()]] : [];
    }));
  });
}

/**
 * Page `page` (1-based) rasterised at `dpi`. `thermal` renders black and white without anti-aliasing, as a
 * direct-thermal print head does.
 */
export function pdfPagePng(pdf: Buffer, page: number, dpi: number, opts: { thermal?: boolean } = {}): PNG {
  requireTool("pdftoppm");
  return withTempDir((dir) => {
    const file = join(dir, "in.pdf");
    writeFileSync(file, pdf);
    const thermal = opts.thermal ? ["-mono", "-aa", "no", "-aaVector", "no"] : [];
    execFileSync("pdftoppm", ["-png", ...thermal, "-r", String(dpi), "-f", String(page), "-l", String(page), file, join(dir, "page")]);
    const png = readdirSync(dir).find((f) => f.endsWith(".png"));
    if (png === undefined) throw new Error(`pdftoppm produced no image for page ${page}`);
    return PNG.sync.read(readFileSync(join(dir, png)));
  });
}

export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function crop(png: PNG, r: PixelRect): { data: Uint8ClampedArray; width: number; height: number } {
  const x0 = Math.max(0, Math.round(r.x));
  const y0 = Math.max(0, Math.round(r.y));
  const width = Math.min(png.width - x0, Math.round(r.width));
  const height = Math.min(png.height - y0, Math.round(r.height));
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const from = ((y0 + y) * png.width + x0) * 4;
    data.set(png.data.subarray(from, from + width * 4), y * width * 4);
  }
  return { data, width, height };
}

export function decodeQr(png: PNG, region?: PixelRect): string | null {
  const img = crop(png, region ?? { x: 0, y: 0, width: png.width, height: png.height });
  return jsQR(img.data, img.width, img.height)?.data ?? null;
}

/** Share of dark pixels (luma under 128) in a region. */
export function darkness(png: PNG, region: PixelRect): number {
  const img = crop(png, region);
  let dark = 0;
  for (let i = 0; i < img.data.length; i += 4) {
    const luma = 0.299 * (img.data[i] ?? 255) + 0.587 * (img.data[i + 1] ?? 255) + 0.114 * (img.data[i + 2] ?? 255);
    if (luma < 128) dark++;
  }
  return dark / (img.width * img.height);
}
