import { canonicalGs1Uri } from "./gs1-uri.js";

/** Numbers carry no sign `+`, no leading or trailing zeros, and no `.0` (CBV 2.0 event hash). */
export function canonicalNumber(value: number): string {
  if (Number.isInteger(value)) {
    // String() switches to exponent notation from 1e21 up; integers are written out in full.
    return Math.abs(value) < 1e21 ? String(value === 0 ? 0 : value) : BigInt(value).toString();
  }
  return String(value);
}

const PLAIN_DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;
const EXPONENT_DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+$/;

/**
 * Numeric text is canonicalised like a number so that `"1.50"` in JSON or XML hashes as `1.5`.
 * Plain decimals are rewritten textually, which keeps every digit of long numbers exact.
 */
export function canonicalNumericText(text: string): string | undefined {
  const plain = PLAIN_DECIMAL.exec(text);
  if (plain && /\d/.test(text)) {
    const [, sign = "", whole = "", fraction = ""] = plain;
    const integerPart = whole.replace(/^0+(?=\d)/, "") || "0";
    const fractionPart = fraction.replace(/0+$/, "");
    const digits = fractionPart ? `${integerPart}.${fractionPart}` : integerPart;
    return sign === "-" && /[1-9]/.test(digits) ? `-${digits}` : digits;
  }
  if (EXPONENT_DECIMAL.test(text)) return canonicalNumber(Number(text));
  return undefined;
}

// CBV 1.x vocabulary URNs and their CBV 2.0 web-vocabulary equivalents.
const LEGACY_VOCABULARIES: readonly (readonly [string, string])[] = [
  ["urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-"],
  ["urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-"],
  ["urn:epcglobal:cbv:btt:", "https://ref.gs1.org/cbv/BTT-"],
  ["urn:epcglobal:cbv:sdt:", "https://ref.gs1.org/cbv/SDT-"],
  ["urn:epcglobal:cbv:er:", "https://ref.gs1.org/cbv/ER-"],
];

function webVocabulary(text: string): string {
  for (const [urn, web] of LEGACY_VOCABULARIES) {
    if (text.startsWith(urn)) return web + text.slice(urn.length);
  }
  return text;
}

/** The value rules that apply to every text in an event: vocabulary, numbers, GS1 keys. */
export function canonicalText(text: string): string {
  const vocabulary = webVocabulary(text.trim());
  return canonicalNumericText(vocabulary) ?? canonicalGs1Uri(vocabulary) ?? vocabulary;
}
