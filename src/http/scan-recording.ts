import type { MiddlewareHandler } from "hono";
import type { AppDeps } from "../deps";
import { agentClass, NO_PLACE } from "../domain/scans";
import { recordScans, type ScanInput } from "../services/scans";
import type { AppEnv } from "./context";

const SCAN_PATH = /^\/c\/([^/]+)$/;

/** The canonical code a scan path names, or null (other path, or a code failing its check character). */
export function scannedCode(deps: Pick<AppDeps, "codeScheme">, path: string): string | null {
  const match = SCAN_PATH.exec(path);
  if (match === null) return null;
  let raw: string;
  try {
    raw = decodeURIComponent(match[1]!);
  } catch {
    return null;
  }
  const normalized = deps.codeScheme.normalize(raw);
  return normalized.ok ? normalized.code : null;
}

/**
 * Records every GET of a scan URL. Mounted before the response cache, so scans answered from the cache or with a
 * 304 count too. Where the runtime can finish work after answering (Workers' waitUntil, the Node origin's background
 * queue) the record does not delay the answer; otherwise it is awaited. A failure to record never fails the scan.
 */
export function scanRecording(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const code = c.req.method === "GET" ? scannedCode(deps, c.req.path) : null;
    if (code !== null) {
      const scan: ScanInput = { code, at: deps.clock(), place: deps.scanPlace?.(c) ?? NO_PLACE, agent: agentClass(c.req.header("user-agent")) };
      const stored = deps.recordScan !== undefined ? deps.recordScan(scan) : recordScans(deps, [scan]);
      const work = stored.catch((err: unknown) => console.error(`scan record for ${code} failed`, err));
      if (deps.waitUntil !== undefined) deps.waitUntil(work);
      else await work;
    }
    return next();
  };
}
