/**
 * Percent-encoding of AI values in Digital Link URIs. Decoding works byte by byte
 * (not UTF-8) because AI values are ASCII; anything else then fails the value's
 * character-set check with a clear message instead of a URIError.
 */

/** Characters that characterise a URI at all (RFC 3986 unreserved, reserved and "%"). */
export const URI_CHARACTERS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/;

/** In the query string "+" means a space; in a path segment it is a literal "+". Null if a "%" is not followed by two hex digits. */
export function decodeComponent(raw: string, isQuery: boolean): string | null {
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const char = raw.charAt(i);
    if (char === "%") {
      const hex = raw.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return null;
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i += 2;
    } else {
      out += isQuery && char === "+" ? " " : char;
    }
  }
  return out;
}

/** Leaves only RFC 3986 unreserved characters bare; "+" is always escaped so it survives either context. */
export function encodeComponent(value: string, isQuery: boolean): string {
  let out = "";
  for (const char of value) {
    if (/[A-Za-z0-9\-._~]/.test(char)) out += char;
    else if (isQuery && char === " ") out += "+";
    else out += `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}
