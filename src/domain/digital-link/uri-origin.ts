/** Scheme and host rules shared by Digital Link parsing and by stems given for generation. */
import { URI_CHARACTERS } from "./uri-component";

const SCHEME = /^(?:https?|HTTPS?):\/\//;
// Characters legal in a URI but never in a host name; "%" also rules out IPv6 zone ids.
const BAD_HOST_CHARACTERS = /[_~?#@!$&'()*+,;=%]/;

/** Splits "scheme://host[:port]" off the front; the rest starts with "/" or is empty. */
export function splitOrigin(uri: string): { ok: true; origin: string; rest: string } | { ok: false; reason: string } {
  if (!URI_CHARACTERS.test(uri)) {
    const bad = [...uri].find((char) => !URI_CHARACTERS.test(char)) ?? "";
    return { ok: false, reason: `URI contains ${JSON.stringify(bad)}, which is not allowed in a URI (percent-encode it)` };
  }
  const scheme = SCHEME.exec(uri);
  if (!scheme) return { ok: false, reason: 'URI must start with "https://" or "http://" (all lower or all upper case)' };
  const slash = uri.indexOf("/", scheme[0].length);
  const host = uri.slice(scheme[0].length, slash < 0 ? undefined : slash);
  if (host === "") return { ok: false, reason: "URI has no host name" };
  if (BAD_HOST_CHARACTERS.test(host)) return { ok: false, reason: `host "${host}" contains a character not allowed in a host name` };
  return slash < 0 ? { ok: true, origin: uri, rest: "" } : { ok: true, origin: uri.slice(0, slash), rest: uri.slice(slash) };
}
