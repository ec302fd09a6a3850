import { describe, expect, it } from "vitest";
import { parsePhiCsv } from "./phi-csv.js";

const errorsOf = (text: string) => {
  const result = parsePhiCsv(text);
  return result.ok ? [] : result.errors.map(({ line, column, messageEn }) => ({ line, column, messageEn }));
};

describe("parsePhiCsv", () => {
  it("reads English headers", () => {
    const result = parsePhiCsv(
      "registration_no,product,formulation,crop,phi_days,max_applications,source\n" +
        ",阿维菌素,1.8% EC,叶菜,7,1,GB/T 8321\n" +
        "PD20080001,啶虫脒,20% SP,黄瓜,1,3,label\n",
    );
    expect(result).toEqual({
      ok: true,
      rows: [
        { line: 2, registrationNo: null, product: "阿维菌素", formulation: "1.8% EC", crop: "叶菜", phiDays: 7, maxApplicationsPerSeason: 1, source: "GB/T 8321" },
        { line: 3, registrationNo: "PD20080001", product: "啶虫脒", formulation: "20% SP", crop: "黄瓜", phiDays: 1, maxApplicationsPerSeason: 3, source: "label" },
      ],
    });
  });

  it("reads Chinese headers, a byte-order mark, full-width digits, blank caps and blank lines", () => {
    const result = parsePhiCsv("\uFEFF农药名称,剂型,作物,安全间隔期(天),每季最多使用次数\n\n三唑锡,25% WP,柑桔,３０,-\n");
    expect(result).toEqual({
      ok: true,
      rows: [
        { line: 3, registrationNo: null, product: "三唑锡", formulation: "25% WP", crop: "柑桔", phiDays: 30, maxApplicationsPerSeason: null, source: null },
      ],
    });
  });

  it("allows a zero-day interval", () => {
    expect(parsePhiCsv("product,crop,phi_days\n某生物农药,黄瓜,0\n")).toMatchObject({ ok: true, rows: [{ phiDays: 0 }] });
  });

  it("names the line and column of each bad cell and imports nothing", () => {
    expect(
      errorsOf(
        "product,crop,phi_days,max_applications\n" +
          "阿维菌素,叶菜,7,1\n" +
          ",黄瓜,2,3\n" +
          "啶虫脒,,七,0\n" +
          "联苯菊酯,茶叶,-3,1\n" +
          "噻嗪酮,水稻,14,2.5\n",
      ),
    ).toEqual([
      { line: 3, column: "product", messageEn: "Product is empty" },
      { line: 4, column: "crop", messageEn: "Crop is empty" },
      { line: 4, column: "phi_days", messageEn: 'Interval "七" is not a whole number of days' },
      { line: 4, column: "max_applications", messageEn: 'Maximum uses "0" must be a positive whole number or blank' },
      { line: 5, column: "phi_days", messageEn: 'Interval "-3" is not a whole number of days' },
      { line: 6, column: "max_applications", messageEn: 'Maximum uses "2.5" must be a positive whole number or blank' },
    ]);
  });

  it("uses the header as written when naming a column", () => {
    expect(errorsOf("农药名称,作物,安全间隔期\n阿维菌素,叶菜,七天\n")).toEqual([
      { line: 2, column: "安全间隔期", messageEn: 'Interval "七天" is not a whole number of days' },
    ]);
  });

  it("rejects duplicate rows for the same product and crop", () => {
    expect(errorsOf("product,formulation,crop,phi_days\n阿维菌素,1.8% EC,叶菜,7\n啶虫脒,20% EC,黄瓜,2\n阿维菌素, 1.8% EC ,叶菜,10\n")).toEqual([
      { line: 4, column: null, messageEn: "Duplicates line 2 (same product and crop)" },
    ]);
    expect(parsePhiCsv("product,formulation,crop,phi_days\n啶虫脒,20% EC,黄瓜,2\n啶虫脒,20% SP,黄瓜,1\n").ok).toBe(true);
  });

  it("rejects rows with the wrong number of cells", () => {
    expect(errorsOf("product,crop,phi_days\n阿维菌素,叶菜\n")).toEqual([
      { line: 2, column: null, messageEn: "Row has 2 columns; the header has 3" },
    ]);
  });

  it("rejects unknown, duplicate and missing headers", () => {
    expect(errorsOf("product,crop,days\n")).toEqual([
      { line: 1, column: "days", messageEn: 'Unknown column "days"' },
      { line: 1, column: "phi_days / 安全间隔期", messageEn: 'Required column "phi_days / 安全间隔期" is missing' },
    ]);
    expect(errorsOf("product,产品名称,crop,phi_days\n")).toEqual([
      { line: 1, column: "产品名称", messageEn: 'Column "产品名称" appears twice' },
    ]);
  });

  it("reports malformed CSV with its line", () => {
    expect(errorsOf('product,crop,phi_days\n阿维菌素,叶菜,7\n"啶虫脒,黄瓜,2\n')).toEqual([
      { line: 3, column: null, messageEn: expect.stringContaining("Malformed CSV") },
    ]);
  });

  it("rejects an empty file", () => {
    expect(errorsOf("")).toEqual([{ line: 1, column: null, messageEn: "The file is empty" }]);
  });

  it("keeps quoted cells with commas and line breaks, reporting the line the row ends on", () => {
    const result = parsePhiCsv('product,crop,phi_days,source\n阿维菌素,叶菜,7,"GB/T 8321, part 9\nsecond line"\n');
    expect(result).toMatchObject({ ok: true, rows: [{ line: 3, source: "GB/T 8321, part 9 second line" }] });
  });
});
