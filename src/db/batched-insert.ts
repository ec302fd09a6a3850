import type DataLoader from "dataloader";
import { batchLoader } from "./batch";

/**
 * Rows inserted by requests handled in the same turn of the event loop go to the database as one multi-row INSERT:
 * one round trip and one commit for all of them. A statement is all or nothing, so when it is refused (one row
 * breaks a check or a unique index) every row of that batch is inserted again on its own, and each caller gets the
 * outcome its row would have had alone: `load(row)` resolves when the row is stored and rejects with the database's
 * error for that row otherwise.
 */
export function insertBatcher<R>(insertRows: (rows: readonly R[]) => PromiseLike<unknown>): DataLoader<R, true> {
  return batchLoader<R, true>(async (rows) => {
    try {
      await insertRows(rows);
      return rows.map(() => true as const);
    } catch (err) {
      if (rows.length === 1) return [asError(err)];
      // In parallel, as the requests would have raced had they not been batched; the database still decides each.
      return Promise.all(rows.map((row) => Promise.resolve(insertRows([row])).then(() => true as const, asError)));
    }
  });
}

/** DataLoader rejects a key only with an Error instance; the driver's own error stays reachable as the cause. */
function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error("insert failed", { cause: err });
}
