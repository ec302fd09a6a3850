import { describe, expect, it } from "vitest";
import { batchPdfName, certificatePdfName, chinaDayRange, contentDisposition } from "./printing";

describe("print job rules", () => {
  it("reads issue days on the China calendar", () => {
    expect(chinaDayRange("2026-11-20", "2026-11-20")).toEqual({ start: new Date("2026-11-19T16:00:00Z"), end: new Date("2026-11-20T16:00:00Z"), days: 1 });
    expect(chinaDayRange("2026-11-01", "2026-11-30").days).toBe(30);
    expect(chinaDayRange("2026-11-20", "2026-11-19").days).toBe(0);
  });

  it("names files in ASCII that every browser and printer driver keeps", () => {
    expect(certificatePdfName("K7M4P9XR3QA", "a4")).toBe("certificate-K7M4P9XR3QA-a4.pdf");
    expect(batchPdfName({ lotCode: "20261120-ABC", count: 3 }, "a4")).toBe("certificates-lot-20261120-ABC-a4.pdf");
    expect(batchPdfName({ lotCode: "番茄/一号", from: "2026-11-20", to: "2026-11-21", count: 3 }, "a6")).toBe("certificates-lot-_-2026-11-20_2026-11-21-a6.pdf");
    expect(batchPdfName({ from: "2026-11-20", to: "2026-11-20", count: 3 }, "a4")).toBe("certificates-2026-11-20-a4.pdf");
    expect(batchPdfName({ count: 12 }, "label-60x80")).toBe("certificates-12-label-60x80.pdf");
    expect(contentDisposition("inline", "a.pdf")).toBe('inline; filename="a.pdf"');
  });
});
