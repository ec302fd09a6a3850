import { batchLoader } from "../db/batch";
import type { AppDeps } from "../deps";
import { recordScans, type ScanInput } from "./scans";

/**
 * The Node origin's scan recorder: scans arriving in the same turn of the event loop are stored with one INSERT, so a
 * burst of scans answered from the cache costs the database one statement per turn rather than one per scan.
 */
export function batchedScanRecorder(deps: Pick<AppDeps, "db" | "clock" | "randomBytes" | "onCertificateChanged">): (scan: ScanInput) => Promise<void> {
  const loader = batchLoader<ScanInput, true>(async (batch) => {
    await recordScans(deps, batch);
    return batch.map(() => true as const);
  });
  return async (scan) => {
    await loader.load(scan);
  };
}
