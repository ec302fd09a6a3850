/**
 * Certificate labels as PDF: one certificate (returned whole, it is tens of KB) or a batch streamed page by page,
 * so thousands of labels never sit in memory at once and the consumer's pace throttles rendering.
 */
import { Readable } from "node:stream";
import type { CertificateContent } from "../../domain/certificate.js";
import { qrMatrix } from "../qr.js";
import { createLabelDocument, documentMeasure, type DocumentInfo } from "./document.js";
import { drawCutMarks, drawLabel } from "./draw.js";
import { layoutLabel } from "./layout.js";
import { DEFAULT_SIZE, sheetFor, type SizePreset } from "./presets.js";

export interface LabelSource {
  content: CertificateContent;
  /** What the QR encodes: the certificate's scan URL. */
  url: string;
  /** Position of the certificate in the transparency log, printed for offline proof look-up. */
  logLeafIndex?: number;
  /** Labels of this certificate; the batch's `copiesEach` when absent. */
  copies?: number;
}

export interface CertificatePdfOptions {
  url: string;
  size?: SizePreset;
  copies?: number;
  logLeafIndex?: number;
}

export interface BatchProgress {
  certificates: number;
  labels: number;
  pages: number;
}

export interface BatchOptions {
  size?: SizePreset;
  copiesEach?: number;
  onProgress?: (progress: BatchProgress) => void;
  /** Document title; defaults to the first certificate's title. */
  title?: string;
  /** Document author; defaults to the first certificate's issuer. */
  author?: string;
}

/** One crate per label; a lot split into more than this is a data-entry mistake, not a print job. */
export const MAX_COPIES = 10_000;

export async function renderCertificatePdf(content: CertificateContent, opts: CertificatePdfOptions): Promise<Buffer> {
  const source: LabelSource = { content, url: opts.url, ...(opts.logLeafIndex !== undefined && { logLeafIndex: opts.logLeafIndex }) };
  const stream = renderCertificatesPdf([source], {
    ...(opts.size !== undefined && { size: opts.size }),
    copiesEach: opts.copies ?? 1,
    title: `${content.title} ${content.code}`,
  });
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function renderCertificatesPdf(items: AsyncIterable<LabelSource> | Iterable<LabelSource>, opts: BatchOptions = {}): Readable {
  const copies = checkCopies(opts.copiesEach ?? 1);
  return Readable.from(pdfChunks(items, opts.size ?? DEFAULT_SIZE, copies, opts), { objectMode: false });
}

function checkCopies(copies: number): number {
  if (!Number.isInteger(copies) || copies < 1 || copies > MAX_COPIES) {
    throw new RangeError(`copies must be an integer from 1 to ${MAX_COPIES}, got ${copies}`);
  }
  return copies;
}

async function* pdfChunks(
  items: AsyncIterable<LabelSource> | Iterable<LabelSource>,
  size: SizePreset,
  copiesEach: number,
  opts: BatchOptions,
): AsyncGenerator<Buffer> {
  const sheet = sheetFor(size);
  const perPage = sheet.cells.length;
  const progress: BatchProgress = { certificates: 0, labels: 0, pages: 0 };
  let doc: PDFKit.PDFDocument | undefined;
  let measure: ReturnType<typeof documentMeasure> | undefined;

  for await (const item of items) {
    if (doc === undefined || measure === undefined) {
      doc = createLabelDocument(documentInfo(item.content, opts));
      measure = documentMeasure(doc);
    }
    const copies = item.copies === undefined ? copiesEach : checkCopies(item.copies);
    const qr = qrMatrix(item.url);
    const layout = layoutLabel(
      item.content,
      sheet.label,
      { qrModules: qr.size, copies, ...(item.logLeafIndex !== undefined && { logLeafIndex: item.logLeafIndex }) },
      measure,
    );
    for (let index = 1; index <= copies; index++) {
      const slot = progress.labels % perPage;
      if (slot === 0) {
        doc.addPage({ size: sheet.page, margin: 0 });
        progress.pages++;
      }
      const cell = sheet.cells[slot];
      if (cell === undefined) throw new Error(`sheet has no cell ${slot}`);
      drawLabel(doc, layout, cell, qr, { index, total: copies });
      if (sheet.cutMarks) drawCutMarks(doc, cell, sheet.label.width, sheet.label.height);
      progress.labels++;
    }
    progress.certificates++;
    opts.onProgress?.({ ...progress });
    yield* written(doc);
  }
  if (doc === undefined) throw new Error("no certificates to render");

  doc.end();
  for await (const chunk of doc) yield chunk as Buffer;
}

/**
 * What pdfkit has written so far (finished pages), read synchronously: its 'data' events wait for a tick that a
 * promise-driven loop over ready items may never yield, which would hold the whole file back until the end.
 */
function* written(doc: PDFKit.PDFDocument): Generator<Buffer> {
  for (let chunk: unknown = doc.read(); chunk !== null; chunk = doc.read()) yield chunk as Buffer;
}

function documentInfo(first: CertificateContent, opts: BatchOptions): DocumentInfo {
  const createdAt = new Date(first.issuedAt);
  if (Number.isNaN(createdAt.getTime())) throw new RangeError(`certificate ${first.code} has an invalid issuedAt: ${first.issuedAt}`);
  return { title: opts.title ?? first.title, author: opts.author ?? first.issuer.name, createdAt };
}
