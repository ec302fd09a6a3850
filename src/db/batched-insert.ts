/**
 * Rows to insert go to the database one statement at a time: the first row waits for the end of the current turn of
 * the event loop, and every row that arrives while a statement runs joins the next one. Under load a statement
 * therefore carries all that arrived during the previous one (group commit): one round trip, one commit and one
 * append to the transparency log for all of them, instead of many small statements queueing on the same row locks.
 *
 * A statement is all or nothing, so when it is refused (one row breaks a check or a unique index) every row of that
 * batch is inserted again on its own, and each caller gets the outcome its row would have had alone: `load(row)`
 * resolves when the row is stored and rejects with the database's error for that row otherwise.
 */
export interface InsertBatcher<R> {
  load(row: R): Promise<true>;
}

interface Waiting<R> {
  row: R;
  resolve(stored: true): void;
  reject(err: Error): void;
}

/** Far above what arrives during one statement at any rate measured here; it bounds a statement's size. */
const MAX_BATCH = 500;

export function insertBatcher<R>(insertRows: (rows: readonly R[]) => PromiseLike<unknown>): InsertBatcher<R> {
  let waiting: Waiting<R>[] = [];
  let running = false;

  const drain = async () => {
    while (waiting.length > 0) {
      const batch = waiting.slice(0, MAX_BATCH);
      waiting = waiting.slice(batch.length);
      const outcomes = await insertAll(insertRows, batch.map((w) => w.row));
      batch.forEach((w, i) => {
        const outcome = outcomes[i]!;
        if (outcome === true) w.resolve(true);
        else w.reject(outcome);
      });
    }
    running = false;
  };

  return {
    load: (row) =>
      new Promise<true>((resolve, reject) => {
        waiting.push({ row, resolve, reject });
        if (!running) {
          running = true;
          setImmediate(drain);
        }
      }),
  };
}

/** Never rejects, however insertRows fails (even by throwing before it returns a promise): each row gets an outcome. */
async function insertAll<R>(insertRows: (rows: readonly R[]) => PromiseLike<unknown>, rows: readonly R[]): Promise<(true | Error)[]> {
  const insert = async (some: readonly R[]) => {
    await insertRows(some);
    return true as const;
  };
  try {
    await insert(rows);
    return rows.map(() => true as const);
  } catch (err) {
    if (rows.length === 1) return [asError(err)];
    // In parallel, as the requests would have raced had they not been batched; the database still decides each.
    return Promise.all(rows.map((row) => insert([row]).catch(asError)));
  }
}

/** Callers get an Error instance; the driver's own error stays reachable as the cause. */
function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error("insert failed", { cause: err });
}
