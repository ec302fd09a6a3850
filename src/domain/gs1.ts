/** GS1 mod-10 check digit over the digits that precede it. */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

export function hasValidGs1CheckDigit(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  return gs1CheckDigit(digits.slice(0, -1)) === Number(digits.at(-1));
}

const GTIN_LENGTHS = new Set([8, 12, 13, 14]);

export type GtinProblem = "format" | "check_digit";

/** A GTIN-8/12/13/14 left-padded to the 14 digits that GS1 Digital Link uses. */
export function normalizeGtin(input: string): { gtin14: string } | { problem: GtinProblem } {
  if (!/^\d+$/.test(input) || !GTIN_LENGTHS.has(input.length)) return { problem: "format" };
  if (!hasValidGs1CheckDigit(input)) return { problem: "check_digit" };
  return { gtin14: input.padStart(14, "0") };
}
