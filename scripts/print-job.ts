/**
 * The pieces of `npm run print` that do not touch the network or the terminal: reading the command line into a
 * print request, counting finished pages in the PDF as it streams in, and drawing the progress bar.
 */
import { parseArgs } from "node:util";

export const USAGE = `usage: npm run print -- [--url URL] --key KEY (--ids ID,ID… | --lot LOT_ID | --date YYYY-MM-DD | --from YYYY-MM-DD --to YYYY-MM-DD)
                      [--size label-60x80|label-100x70|a6|a4] [--copies N] [--out FILE]

  --url     the service (default: $PUBLIC_URL, else http://localhost:3000)
  --key     an API key (default: $LOTPROOF_API_KEY)
  --ids     certificates to print, in this order (comma-separated ids)
  --lot     every valid certificate of this lot
  --date    every valid certificate you issued on this day (China calendar)
  --from/--to  a range of issue days, inclusive (at most 31)
  --size    paper (default label-60x80; a4 = sheets of 9 labels with cut marks)
  --copies  labels per certificate (default: each certificate's own copies)
  --out     the PDF to write (default: the file name the service suggests)`;

export interface PrintJob {
  url: string;
  key: string;
  body: Record<string, unknown>;
  size: string;
  out: string | undefined;
}

export function parsePrintArgs(argv: string[], env: Record<string, string | undefined>): PrintJob | { error: string } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        url: { type: "string" },
        key: { type: "string" },
        ids: { type: "string" },
        lot: { type: "string" },
        date: { type: "string" },
        from: { type: "string" },
        to: { type: "string" },
        size: { type: "string" },
        copies: { type: "string" },
        out: { type: "string" },
      },
    }));
  } catch (err) {
    return { error: (err as Error).message };
  }
  const key = values.key ?? env["LOTPROOF_API_KEY"];
  if (key === undefined || key === "") return { error: "--key (or LOTPROOF_API_KEY) is required" };
  const url = (values.url ?? env["PUBLIC_URL"] ?? "http://localhost:3000").replace(/\/+$/, "");
  const size = values.size ?? "label-60x80";
  const body: Record<string, unknown> = { size };
  if (values.ids !== undefined) body["certificateIds"] = values.ids.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (values.lot !== undefined) body["lotId"] = values.lot;
  if (values.date !== undefined) body["from"] = body["to"] = values.date;
  if (values.from !== undefined) body["from"] = values.from;
  if (values.to !== undefined) body["to"] = values.to;
  if (values.copies !== undefined) {
    const n = Number(values.copies);
    if (!Number.isInteger(n)) return { error: "--copies must be a whole number" };
    body["copies"] = n;
  }
  if (!("certificateIds" in body) && !("lotId" in body) && !("from" in body) && !("to" in body)) {
    return { error: "say what to print: --ids, --lot, --date or --from/--to" };
  }
  return { url, key, body, size, out: values.out };
}

/**
 * Counts page objects (`/Type /Page`, not `/Pages`) in a PDF read chunk by chunk; pdfkit writes each page's object
 * when the page is finished, so this follows the job's real progress.
 */
export function pageCounter(): (chunk: Uint8Array) => number {
  let tail = "";
  let pages = 0;
  return (chunk) => {
    const text = tail + Buffer.from(chunk).toString("latin1");
    // A match counts once, when the character after it (which tells /Page from /Pages) has arrived in this chunk.
    for (const m of text.matchAll(/\/Type \/Page(?=[^s\w])/g)) if (m.index! + 11 >= tail.length) pages++;
    tail = text.slice(-16);
    return pages;
  };
}

export function progressBar(done: number, total: number, bytes: number, width = 30): string {
  const share = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(share * width);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(Math.round(share * 100)).padStart(3)}%  ${done}/${total} pages  ${(bytes / 2 ** 20).toFixed(2)} MB`;
}

export function pagesFor(labels: number, size: string): number {
  return size === "a4" ? Math.ceil(labels / 9) : labels;
}
