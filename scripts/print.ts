/**
 * Prints many certificates into one PDF through the API (POST /v1/print), writing it to a file as it streams in,
 * with a progress bar on stderr. Run `npm run print -- --help` for the flags.
 */
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { pageCounter, pagesFor, parsePrintArgs, progressBar, USAGE } from "./print-job";

const argv = process.argv.slice(2);
if (argv.includes("--help") || argv.includes("-h")) {
  console.log(USAGE);
  process.exit(0);
}
const job = parsePrintArgs(argv, process.env);
if ("error" in job) {
  console.error(`${job.error}\n\n${USAGE}`);
  process.exit(2);
}

let res: Response;
try {
  res = await fetch(`${job.url}/v1/print`, {
    method: "POST",
    headers: { authorization: `Bearer ${job.key}`, "content-type": "application/json", accept: "application/pdf, application/problem+json" },
    body: JSON.stringify(job.body),
  });
} catch (err) {
  console.error(`cannot reach ${job.url}: ${(err as Error).message}`);
  process.exit(1);
}
if (res.status !== 200 || res.body === null) {
  const text = await res.text();
  let detail = text;
  try {
    const problem = JSON.parse(text) as { detail?: string; title?: string; errors?: { path: string; message: string }[] };
    detail = [problem.detail ?? problem.title, ...(problem.errors ?? []).map((e) => `  ${e.path}: ${e.message}`)].filter(Boolean).join("\n");
  } catch {
    // not a problem document: show the body as it came
  }
  console.error(`the service refused the job (${res.status}): ${detail}`);
  process.exit(1);
}

const suggested = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1];
const out = job.out ?? suggested ?? "certificates.pdf";
const labels = Number(res.headers.get("x-labels") ?? 0);
const certificates = Number(res.headers.get("x-certificates") ?? 0);
const totalPages = pagesFor(labels, job.size);
const file = createWriteStream(out);
const count = pageCounter();
const tty = process.stderr.isTTY === true;
let bytes = 0;
let pages = 0;
let lastShown = -1;
const show = (final = false) => {
  const line = progressBar(pages, totalPages, bytes);
  if (tty) process.stderr.write(`\r${line}${final ? "\n" : ""}`);
  else if (final || Math.floor((pages / Math.max(1, totalPages)) * 10) !== lastShown) {
    lastShown = Math.floor((pages / Math.max(1, totalPages)) * 10);
    process.stderr.write(`${line}\n`);
  }
};
process.stderr.write(`printing ${certificates} certificates, ${labels} labels (${job.size}) to ${out}\n`);
for await (const chunk of Readable.fromWeb(res.body as WebReadableStream<Uint8Array>) as AsyncIterable<Buffer>) {
  bytes += chunk.length;
  pages = count(chunk);
  if (!file.write(chunk)) await once(file, "drain");
  show();
}
file.end();
await once(file, "finish");
pages = Math.max(pages, totalPages);
show(true);
process.stderr.write(`wrote ${out}\n`);
