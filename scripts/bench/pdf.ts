/**
 * Certificate PDFs (npm run bench:pdf): one certificate label, warm, against pdfkit writing a one-page Latin
 * document with no embedded font, measured alternately in the same process so machine noise hits both alike
 * (target: at most 4x); then 1,000 labels on A4 sheets streamed into one PDF (target: under 3 s and 3 MB, memory
 * steady while streaming). Each certificate differs (product, issuer, code, URL), so nothing is served from a
 * cache that a real day of issuing would not also hit.
 */
import PDFDocument from "pdfkit";
import type { CertificateContent } from "../../src/domain/certificate";
import { renderCertificatePdf, renderCertificatesPdf, type LabelSource } from "../../src/render/pdf";
import { fixtureContent } from "../../src/render/pdf/test-support";
import { fmt } from "./support";

const PRODUCTS = ["红心猕猴桃", "雷笋", "番茄", "黄瓜", "西兰花", "茶鲜叶", "草鸡蛋", "大闸蟹", "杨梅", "水蜜桃", "小青菜", "茭白", "山核桃", "香菇", "芦笋", "葡萄"];
const ISSUERS = ["浦江县某某家庭农场", "临安区板桥果蔬专业合作社", "余杭区径山茶叶有限公司", "德清县某某水产养殖场", "建德市草莓种植户"];
const ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

function certificate(i: number): LabelSource {
  const base = fixtureContent();
  let code = "";
  for (let n = i * 7919 + 104729, k = 0; k < 11; k++, n = Math.floor(n / 31) + k * 977) code += ALPHABET[n % 31];
  const content: CertificateContent = {
    ...base,
    code: `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`,
    product: { ...base.product, name: PRODUCTS[i % PRODUCTS.length]! },
    quantity: { amount: 50 + (i % 900), unit: "kg" },
    issuer: { ...base.issuer, name: ISSUERS[i % ISSUERS.length]! },
  };
  return { content, url: `https://lotproof.example/c/${code}` };
}

async function latinPdf(i: number): Promise<Buffer> {
  const doc = new PDFDocument({ info: { Title: "Certificate", CreationDate: new Date(0) } });
  doc.fontSize(12).text(`Certificate of compliance ${i}. Product: kiwi fruit, 500 kg. Origin: Pujiang county. Issued 2025-06-01.`, 50, 50);
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise((resolve) => doc.on("end", resolve));
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

// ── One certificate, warm ──────────────────────────────────────────────────────────────────────────────────────────
const ROUNDS = 400;
for (let i = 0; i < 60; i++) {
  await renderCertificatePdf(certificate(i).content, { url: certificate(i).url });
  await latinPdf(i);
}
const latin: number[] = [];
const label: number[] = [];
const repeat: number[] = [];
const fixed = certificate(1);
let labelBytes = 0;
for (let i = 0; i < ROUNDS; i++) {
  const c = certificate(1000 + i);
  latin.push(await timed(() => latinPdf(i)));
  label.push(await timed(async () => (labelBytes = (await renderCertificatePdf(c.content, { url: c.url })).length)));
  repeat.push(await timed(() => renderCertificatePdf(fixed.content, { url: fixed.url })));
}
console.log(`One PDF, warm, ${ROUNDS} alternating rounds (ms):`);
console.log("| document | median | p95 | ratio (median) |");
console.log("|---|---:|---:|---:|");
console.log(`| pdfkit, one page of Latin text, no embedded font | ${fmt(median(latin), 3)} | ${fmt(p95(latin), 3)} | 1.0 |`);
console.log(`| certificate label 60×80, a different certificate each time (${fmt(labelBytes / 1024, 1)} KB) | ${fmt(median(label), 3)} | ${fmt(p95(label), 3)} | **${fmt(median(label) / median(latin), 1)}** |`);
console.log(`| the same certificate again (reprint) | ${fmt(median(repeat), 3)} | ${fmt(p95(repeat), 3)} | ${fmt(median(repeat) / median(latin), 1)} |`);

// ── 1,000 labels on A4, streamed ───────────────────────────────────────────────────────────────────────────────────
const LABELS = 1000;
globalThis.gc?.();
const rssBefore = process.memoryUsage().rss;
let peakRss = rssBefore;
const heapAt: string[] = [];
async function* sources() {
  for (let i = 0; i < LABELS; i++) yield certificate(i);
}
const started = performance.now();
let bytes = 0;
let pages = 0;
const stream = renderCertificatesPdf(sources(), {
  size: "a4",
  onProgress: (p) => {
    pages = p.pages;
    if (p.certificates % 250 === 0) {
      // Collected first (when run with --expose-gc, as npm run bench:pdf does) so the figure is what is kept, not garbage.
      globalThis.gc?.();
      heapAt.push(`${p.certificates}: ${fmt(process.memoryUsage().heapUsed / 2 ** 20, 1)} MB`);
    }
  },
});
for await (const chunk of stream) {
  bytes += (chunk as Buffer).length;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}
const seconds = (performance.now() - started) / 1000;
console.log("");
console.log(`${LABELS} labels on A4 sheets, one PDF, streamed:`);
console.log("| measure | value | target |");
console.log("|---|---:|---|");
console.log(`| time | ${fmt(seconds, 2)} s | < 3 s |`);
console.log(`| size | ${fmt(bytes / 2 ** 20, 2)} MB (${pages} pages) | < 3 MB |`);
console.log(`| peak RSS while streaming, above the RSS before | ${fmt((peakRss - rssBefore) / 2 ** 20, 0)} MB (RSS ${fmt(peakRss / 2 ** 20, 0)} MB) | steady |`);
console.log(`| heap in use after N certificates (after a collection) | ${heapAt.join(", ")} | steady |`);
