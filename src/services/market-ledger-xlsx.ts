import type ExcelJS from "exceljs";
import type { LedgerColumn, LedgerLine } from "../domain/market/ledger";
import { neutralizeFormula } from "../domain/market/ledger";

export type ExcelModule = typeof ExcelJS;

/**
 * Loads exceljs only when an XLSX export is asked for, through a specifier the Worker bundler cannot follow:
 * exceljs needs Node streams and zlib, so exports run on the Node origin and the edge bundle stays small.
 * Null where it cannot load (the Worker), which the route answers with 501.
 */
export async function loadExcel(): Promise<ExcelModule | null> {
  const specifier = ["excel", "js"].join("");
  try {
    const mod = (await import(/* @vite-ignore */ specifier)) as { default?: ExcelModule } & ExcelModule;
    return mod.default ?? mod;
  } catch {
    return null;
  }
}

/**
 * Streams the ledger as one worksheet: rows are committed as they are written, so memory stays bounded however
 * long the range. Returns a web stream of the .xlsx bytes.
 */
export async function ledgerXlsxStream(
  excel: ExcelModule,
  title: string,
  columns: readonly LedgerColumn[],
  chunks: AsyncIterable<LedgerLine[]>,
): Promise<ReadableStream<Uint8Array>> {
  const { PassThrough, Readable } = await import("node:stream");
  const out = new PassThrough();
  const workbook = new excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = "lotproof";
  const sheet = workbook.addWorksheet(title.slice(0, 31), { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = columns.map((c, i) => ({ header: c.header, key: String(i), width: c.width }));
  sheet.getRow(1).font = { bold: true };
  void (async () => {
    try {
      for await (const lines of chunks) {
        for (const line of lines) {
          sheet.addRow(columns.map((c) => {
            const v = c.value(line);
            return typeof v === "string" ? neutralizeFormula(v) : v;
          })).commit();
        }
      }
      sheet.commit();
      await workbook.commit();
    } catch (err) {
      out.destroy(err as Error);
    }
  })();
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}
