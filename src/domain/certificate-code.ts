import { MOD31_ALPHABET, mod31CheckChar } from "./mod31";

/**
 * How certificate codes are made and read back. The national trace-code structure is not public, so the code is an
 * opaque string from a scheme that can be swapped; stored codes keep working whatever scheme made them.
 */
export interface CertificateCodeScheme {
  readonly name: string;
  generate(randomBytes: (n: number) => Uint8Array): string;
  /** Canonical form of what a person typed or a scanner read, or a reason it cannot be a code of this scheme. */
  normalize(input: string): { ok: true; code: string } | { ok: false; message: string };
  /** Groups the code for printing and reading aloud. */
  display(code: string): string;
}

const RANDOM_LENGTH = 10;

/**
 * Default scheme: 10 random characters from the GB 32100 alphabet (≈49.5 bits, so codes cannot be enumerated) plus
 * a mod-31 check character, 11 characters printed as XXXX-XXXX-XXX. Market clerks already know this alphabet from
 * credit codes. Look-alikes that the alphabet leaves out are read as the character they resemble.
 */
export const gb31CodeScheme: CertificateCodeScheme = {
  name: "gb31-11",
  generate(randomBytes) {
    let body = "";
    // Rejection sampling keeps every character equally likely (256 is not a multiple of 31).
    while (body.length < RANDOM_LENGTH) {
      for (const byte of randomBytes(16)) {
        if (byte < 248 && body.length < RANDOM_LENGTH) body += MOD31_ALPHABET[byte % 31];
      }
    }
    return body + mod31CheckChar(body);
  },
  normalize(input) {
    const code = input
      .toUpperCase()
      .replace(/[\s\-_.·]/g, "")
      .replace(/O/g, "0")
      .replace(/I/g, "1")
      .replace(/S/g, "5")
      .replace(/Z/g, "2");
    if (code.length !== RANDOM_LENGTH + 1) {
      return { ok: false, message: `a certificate code has ${RANDOM_LENGTH + 1} characters, got ${code.length}` };
    }
    const bad = [...code].find((ch) => !MOD31_ALPHABET.includes(ch));
    if (bad !== undefined) return { ok: false, message: `character "${bad}" never appears in a certificate code` };
    if (mod31CheckChar(code.slice(0, RANDOM_LENGTH)) !== code[RANDOM_LENGTH]) {
      return { ok: false, message: "check character does not match: the code was probably mistyped" };
    }
    return { ok: true, code };
  },
  display(code) {
    return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
  },
};
