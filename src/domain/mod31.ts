/**
 * The 31-character alphabet and weighted mod-31 check of GB 32100 (统一社会信用代码). It leaves out I, O, S, V and Z,
 * which are easily confused with 1, 0, 5, U and 2, and 31 is prime, so weighting positions by powers of 3 catches
 * every single wrong character and every swap of two neighbours.
 */
export const MOD31_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

const VALUE = new Map([...MOD31_ALPHABET].map((ch, i) => [ch, i]));

/** Weight of position i (0-based) is 3^i mod 31: the GB 32100 weights 1, 3, 9, 27, 19, 26, … */
function weight(i: number): number {
  let w = 1;
  for (let k = 0; k < i; k++) w = (w * 3) % 31;
  return w;
}

const WEIGHTS = Array.from({ length: 32 }, (_, i) => weight(i));

export function mod31Value(ch: string): number | undefined {
  return VALUE.get(ch);
}

/** The check character for `body`, or null when `body` has a character outside the alphabet. */
export function mod31CheckChar(body: string): string | null {
  if (body.length > WEIGHTS.length) throw new RangeError("body too long for mod-31 weights");
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const v = VALUE.get(body[i]!);
    if (v === undefined) return null;
    sum += v * WEIGHTS[i]!;
  }
  return MOD31_ALPHABET[(31 - (sum % 31)) % 31]!;
}
