import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { seededRandomBytes } from "../../test/support/deterministic";
import { gb31CodeScheme } from "./certificate-code";
import { gs1CheckDigit, normalizeGtin } from "./gs1";
import { MOD31_ALPHABET, mod31CheckChar } from "./mod31";
import { isKnownRegion, regionCovers, regionName } from "./region";
import { convertQuantity } from "./units";
import { checkUscc, withUsccCheck } from "./uscc";

const alphabetChar = fc.constantFrom(...MOD31_ALPHABET);
const body = (n: number) => fc.array(alphabetChar, { minLength: n, maxLength: n }).map((a) => a.join(""));

describe("统一社会信用代码 (GB 32100)", () => {
  it("accepts published codes", () => {
    // Codes printed on public business licences.
    for (const code of ["91350100M000100Y43", "911100001000000000".slice(0, 17) + mod31CheckChar("91110000100000000")]) {
      expect(checkUscc(code)).toEqual({ ok: true, code });
    }
  });

  it("names what is wrong", () => {
    expect(checkUscc("91350100M000100Y4")).toMatchObject({ ok: false, problem: "length" });
    expect(checkUscc("91350100M000100YO3")).toMatchObject({ ok: false, problem: "character" });
    expect(checkUscc("91350100M000100Y44")).toMatchObject({ ok: false, problem: "check_character", message: 'check character should be "3", got "4"' });
  });

  it("catches every single wrong character and every swap of neighbours", () => {
    fc.assert(
      fc.property(body(17), fc.nat(16), alphabetChar, (b, i, ch) => {
        const code = withUsccCheck(b);
        const typo = code.slice(0, i) + ch + code.slice(i + 1);
        expect(checkUscc(typo).ok).toBe(typo === code);
        const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
        expect(checkUscc(swapped).ok).toBe(swapped === code);
      }),
    );
  });
});

describe("certificate codes", () => {
  const scheme = gb31CodeScheme;
  const random = (seed: number) => (n: number) => Uint8Array.from({ length: n }, (_, i) => (seed * 131 + i * 97) % 256);

  it("generates 11-character codes that read back", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), (bytes) => {
        let offset = 0;
        const code = scheme.generate((n) => {
          const out = new Uint8Array(n);
          for (let i = 0; i < n; i++) out[i] = bytes[(offset + i) % bytes.length]! ^ i;
          offset += n;
          return out;
        });
        expect(code).toMatch(/^[0-9A-HJ-NPQRTUWXY]{11}$/);
        expect(scheme.normalize(code)).toEqual({ ok: true, code });
        expect(scheme.normalize(scheme.display(code).toLowerCase())).toEqual({ ok: true, code });
      }),
    );
  });

  it("reads look-alike letters as the characters they resemble", () => {
    const code = scheme.generate(random(7));
    const typed = code.replaceAll("0", "O").replaceAll("1", "I").replaceAll("5", "S").replaceAll("2", "Z");
    expect(scheme.normalize(typed)).toEqual({ ok: true, code });
  });

  it("rejects a mistyped code before any lookup", () => {
    fc.assert(
      fc.property(body(10), fc.nat(10), alphabetChar, (b, i, ch) => {
        const code = b + mod31CheckChar(b);
        const typo = code.slice(0, i) + ch + code.slice(i + 1);
        expect(scheme.normalize(typo).ok).toBe(typo === code);
      }),
    );
    expect(scheme.normalize("ABC")).toMatchObject({ ok: false, message: "a certificate code has 11 characters, got 3" });
  });

  it("spreads codes evenly over the alphabet", () => {
    const counts = new Map<string, number>();
    const random = seededRandomBytes("spread");
    for (let i = 0; i < 3000; i++) for (const ch of scheme.generate(random).slice(0, 10)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(31);
    for (const n of counts.values()) expect(n).toBeGreaterThan(700); // 30000 / 31 ≈ 968
  });
});

describe("GTIN", () => {
  it("validates the check digit and pads to 14", () => {
    expect(normalizeGtin("4006381333931")).toEqual({ gtin14: "04006381333931" });
    expect(normalizeGtin("96385074")).toEqual({ gtin14: "00000096385074" });
    expect(normalizeGtin("4006381333932")).toEqual({ problem: "check_digit" });
    expect(normalizeGtin("123")).toEqual({ problem: "format" });
    expect(gs1CheckDigit("400638133393")).toBe(1);
  });
});

describe("regions (GB/T 2260)", () => {
  it("knows county, city and province codes", () => {
    expect(regionName("330112")).toBe("浙江省杭州市临安区");
    expect(regionName("110101")).toBe("北京市东城区");
    expect(isKnownRegion("330112")).toBe(true);
    expect(isKnownRegion("999999")).toBe(false);
    expect(isKnownRegion("33011")).toBe(false);
  });

  it("lets an authority see what lies within it", () => {
    expect(regionCovers("330000", "330112")).toBe(true);
    expect(regionCovers("330100", "330112")).toBe(true);
    expect(regionCovers("330112", "330112")).toBe(true);
    expect(regionCovers("330112", "330881")).toBe(false);
    expect(regionCovers("330100", "330881")).toBe(false);
  });
});

describe("units", () => {
  it("converts mass units and refuses to mix counts with mass", () => {
    expect(convertQuantity(10, "斤", "kg")).toBe(5);
    expect(convertQuantity(1.5, "t", "kg")).toBe(1500);
    expect(convertQuantity(250, "g", "斤")).toBe(0.5);
    expect(convertQuantity(3, "箱", "kg")).toBeNull();
    expect(convertQuantity(3, "箱", "箱")).toBe(3);
  });
});
