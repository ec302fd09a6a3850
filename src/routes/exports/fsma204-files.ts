import { FSMA204_COLUMNS, type KdeRow, rowCells } from "../../domain/fsma204/kde-rows";
import { toCsv } from "../trace/csv";
import { loadExcelJs } from "../../render/excel";

export function fsma204Csv(rows: readonly KdeRow[]): string {
  return toCsv(FSMA204_COLUMNS, rows.map((r) => rowCells(r).map(String)));
}

/** One sheet, headings frozen and filterable, so it sorts the way FDA asks of an electronic sortable spreadsheet. */
export async function fsma204Xlsx(rows: readonly KdeRow[]): Promise<Uint8Array | null> {
  const ExcelJS = await loadExcelJs();
  if (ExcelJS === null) return null;
  const wb = new ExcelJS.Workbook();
  wb.creator = "lotproof";
  const ws = wb.addWorksheet("FSMA 204", { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = FSMA204_COLUMNS.map((header) => ({ header, width: Math.min(48, Math.max(14, header.length)) }));
  ws.getRow(1).font = { bold: true };
  for (const row of rows) ws.addRow(rowCells(row));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: FSMA204_COLUMNS.length } };
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
