import type { MiddlewareHandler } from "hono";
import type { AppDeps } from "../deps";
import { agentClass, NO_PLACE, type ScanPlace } from "../domain/scans";
import { recordScans } from "../services/scans";
import type { AppEnv } from "./context";
import { dailyVisitorIds } from "./client-id";
import { requestScanCode } from "./scan-path";

/** What a scan record keeps of the request, as each runtime reads it. */
export interface ScanClient {
  userAgent: string | undefined;
  /** The client's network address; hashed into a daily visitor id, never stored. */
  address: string | undefined;
  place: ScanPlace;
}

type ScanRecorder = (code: string, client: ScanClient) => Promise<void> | undefined;

/** One per deps: each recorder draws its own daily salt, and a phone must get one visitor id whichever path answers it. */
const recorders = new WeakMap<AppDeps, ScanRecorder>();

/**
 * Records one scan of a canonical code. Where the runtime can finish work after answering (Workers' waitUntil, the
 * Node origin's background queue) the record does not delay the answer; otherwise the returned promise is awaited.
 * A failure to record never fails the scan.
 */
export function scanRecorder(deps: AppDeps): ScanRecorder {
  let recorder = recorders.get(deps);
  if (recorder === undefined) {
    recorder = newScanRecorder(deps);
    recorders.set(deps, recorder);
  }
  return recorder;
}

function newScanRecorder(deps: AppDeps): ScanRecorder {
  const visitorId = dailyVisitorIds(deps.randomBytes, deps.clock);
  return (code, client) => {
    const scan = {
      code,
      at: deps.clock(),
      place: client.place,
      agent: agentClass(client.userAgent),
      client: client.address === undefined ? null : visitorId(client.address, client.userAgent ?? ""),
    };
    const stored = deps.recordScan !== undefined ? deps.recordScan(scan) : recordScans(deps, [scan]);
    const work = stored.catch((err: unknown) => console.error(`scan record for ${code} failed`, err));
    if (deps.waitUntil === undefined) return work;
    deps.waitUntil(work);
    return undefined;
  };
}

/**
 * Records every GET of a scan URL. Mounted before the response cache, so scans answered from the cache or with a
 * 304 count too.
 */
export function scanRecording(deps: AppDeps): MiddlewareHandler<AppEnv> {
  const record = scanRecorder(deps);
  return async (c, next) => {
    const code = c.req.method === "GET" ? (requestScanCode(c, deps) ?? null) : null;
    if (code !== null) await record(code, { userAgent: c.req.header("user-agent"), address: deps.clientAddress?.(c), place: deps.scanPlace?.(c) ?? NO_PLACE });
    return next();
  };
}
