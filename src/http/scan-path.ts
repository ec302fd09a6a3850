import type { AppDeps } from "../deps";

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
