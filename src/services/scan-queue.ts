import type { AppDeps } from "../deps";
import { recordScans, type ScanInput } from "./scans";

export interface ScanQueue {
  /**
   * Queues a scan; the promise resolves when the batch holding it has been written. A batch that cannot be stored is
   * logged once, not once per scan, and its scans are lost: a scan is never failed for its record.
   */
  record(scan: ScanInput): Promise<void>;
  /** Stores what is queued now and waits for every write under way: for shutdown. */
  flush(): Promise<void>;
}

export interface ScanQueueOptions {
  /** How long the first scan of a batch waits for others. Each scan keeps its own time, so only the write is late. */
  windowMs?: number;
  /** A batch this large is stored at once, which bounds the memory and the statement a burst can make. */
  maxBatch?: number;
}

interface Batch {
  scans: ScanInput[];
  written: Promise<void>;
  release: () => void;
}

/**
 * The Node origin's scan recorder. A scan answered from the cache costs microseconds, and a database write per scan
 * (or per event-loop turn, a few scans each under load) would cost more than the answer: so scans are stored together,
 * one statement for everything that arrived within the window. The page's scan count and the copied-code check see a
 * scan at most one window late; a crash loses at most one window's scans, and a clean shutdown stores them.
 */
export function scanQueue(deps: Pick<AppDeps, "db" | "clock" | "randomBytes" | "onCertificateChanged">, options: ScanQueueOptions = {}): ScanQueue {
  const windowMs = options.windowMs ?? 200;
  const maxBatch = options.maxBatch ?? 500;
  let current: Batch | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const writing = new Set<Promise<void>>();

  function open(): Batch {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const scans: ScanInput[] = [];
    const written = gate.then(() => recordScans(deps, scans)).catch((err: unknown) => console.error(`storing ${scans.length} scans failed`, err));
    timer = setTimeout(store, windowMs);
    // A pending batch must not keep a finished process alive; shutdown flushes it.
    timer.unref?.();
    return { scans, written, release };
  }

  function store(): void {
    const batch = current;
    if (batch === null) return;
    current = null;
    clearTimeout(timer);
    batch.release();
    writing.add(batch.written);
    void batch.written.finally(() => writing.delete(batch.written));
  }

  return {
    record(scan) {
      current ??= open();
      current.scans.push(scan);
      const written = current.written;
      if (current.scans.length >= maxBatch) store();
      return written;
    },
    async flush() {
      store();
      await Promise.all([...writing]);
    },
  };
}
