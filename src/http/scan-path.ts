import type { Context } from "hono";
import type { AppDeps } from "../deps";
import type { AppEnv } from "./context";

const SCAN_PATH = /^\/c\/([^/]+)$/;

/**
 * The certificate a scan path names, in canonical form; null for other paths; undefined when the path is a scan path
 * whose code fails its check character or encoding (nothing to record, nothing to cache).
 */
export function scanPathCode(deps: Pick<AppDeps, "codeScheme">, path: string): string | null | undefined {
  const match = SCAN_PATH.exec(path);
  if (match === null) return null;
  let raw: string;
  try {
    raw = decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
  const normalized = deps.codeScheme.normalize(raw);
  return normalized.ok ? normalized.code : undefined;
}

/**
 * scanPathCode for this request's path, worked out once per request: the scan record and the response cache both
 * need it on every scan.
 */
export function requestScanCode(c: Context<AppEnv>, deps: Pick<AppDeps, "codeScheme">): string | null | undefined {
  let known = c.get("scanPath");
  if (known === undefined) {
    known = { code: scanPathCode(deps, c.req.path) };
    c.set("scanPath", known);
  }
  return known.code;
}
