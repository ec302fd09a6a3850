import type { MiddlewareHandler } from "hono";
import type { AppDeps } from "../deps";
import { agentClass, NO_PLACE } from "../domain/scans";
import { recordScans, type ScanInput } from "../services/scans";
import type { AppEnv } from "./context";
import { dailyVisitorIds } from "./client-id";
import { requestScanCode } from "./scan-path";

/**
 * Records every GET of a scan URL. Mounted before the response cache, so scans answered from the cache or with a
 * 304 count too. Where the runtime can finish work after answering (Workers' waitUntil, the Node origin's background
 * queue) the record does not delay the answer; otherwise it is awaited. A failure to record never fails the scan.
 */
export function scanRecording(deps: AppDeps): MiddlewareHandler<AppEnv> {
  const visitorId = dailyVisitorIds(deps.randomBytes, deps.clock);
  return async (c, next) => {
    const code = c.req.method === "GET" ? (requestScanCode(c, deps) ?? null) : null;
    if (code !== null) {
      const userAgent = c.req.header("user-agent");
      const address = deps.clientAddress?.(c);
      const scan: ScanInput = {
        code,
        at: deps.clock(),
        place: deps.scanPlace?.(c) ?? NO_PLACE,
        agent: agentClass(userAgent),
        client: address === undefined ? null : visitorId(address, userAgent ?? ""),
      };
      const stored = deps.recordScan !== undefined ? deps.recordScan(scan) : recordScans(deps, [scan]);
      const work = stored.catch((err: unknown) => console.error(`scan record for ${code} failed`, err));
      if (deps.waitUntil !== undefined) deps.waitUntil(work);
      else await work;
    }
    return next();
  };
}
