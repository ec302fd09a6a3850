type ExcelJs = typeof import("exceljs");

/**
 * exceljs, loaded by a computed specifier so bundlers leave it out: the Worker bundle stays free of it, and XLSX is
 * made on the Node origin only (null elsewhere; the Worker answers 501).
 */
export async function loadExcelJs(): Promise<ExcelJs | null> {
  const specifier = ["excel", "js"].join("");
  try {
    const mod = (await import(/* @vite-ignore */ specifier)) as ExcelJs & { default?: ExcelJs };
    return mod.default ?? mod;
  } catch {
    return null;
  }
}
