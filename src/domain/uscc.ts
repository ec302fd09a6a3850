import { MOD31_ALPHABET, mod31CheckChar } from "./mod31";

export type UsccProblem = "length" | "character" | "check_character";

/** Validates a 统一社会信用代码 (GB 32100-2015): 18 characters, the last a mod-31 check over the first 17. */
export function checkUscc(input: string): { ok: true; code: string } | { ok: false; problem: UsccProblem; message: string } {
  const code = input.trim().toUpperCase();
  if (code.length !== 18) {
    return { ok: false, problem: "length", message: `must be 18 characters, got ${code.length}` };
  }
  const bad = [...code].find((ch) => !MOD31_ALPHABET.includes(ch));
  if (bad !== undefined) {
    return { ok: false, problem: "character", message: `character "${bad}" is not allowed (letters I, O, S, V, Z are never used)` };
  }
  const expected = mod31CheckChar(code.slice(0, 17));
  if (expected !== code[17]) {
    return { ok: false, problem: "check_character", message: `check character should be "${expected}", got "${code[17]}"` };
  }
  return { ok: true, code };
}

/** Completes a 17-character body with its check character (used to make demo and test data). */
export function withUsccCheck(body17: string): string {
  const check = mod31CheckChar(body17);
  if (body17.length !== 17 || check === null) throw new RangeError("body must be 17 characters of the GB 32100 alphabet");
  return body17 + check;
}
