import type postgres from "postgres";

/**
 * Texts prepared per process. Each prepared text is a statement on every pooled connection until that connection is
 * recycled, so the set is bounded: past it, new texts run unprepared, as every text did before.
 */
const MAX_PREPARED_TEXTS = 500;
/** Texts seen once are counted up to this many before the count starts afresh, so one-off texts cannot grow it. */
const MAX_COUNTED_TEXTS = 10_000;

/**
 * Decides which statement texts to prepare: those seen a second time, while fewer than the bound are prepared. Texts
 * built per call (a VALUES list per row count) mostly stay one-off and unprepared; the fixed texts of the hot paths
 * are prepared after their first run.
 */
export function preparePolicy(maxPrepared = MAX_PREPARED_TEXTS, maxCounted = MAX_COUNTED_TEXTS): (text: string) => boolean {
  const prepared = new Set<string>();
  let seen = new Set<string>();
  return (text) => {
    if (prepared.has(text)) return true;
    if (prepared.size >= maxPrepared) return false;
    if (seen.has(text)) {
      seen.delete(text);
      prepared.add(text);
      return true;
    }
    if (seen.size >= maxCounted) seen = new Set();
    seen.add(text);
    return false;
  };
}

type Unsafe = postgres.Sql["unsafe"];

/**
 * The client drizzle is given. postgres.js sends an unprepared statement with parameters in two round trips (it asks
 * the server for the parameter types first, then binds), and drizzle prepares only statements given a name, so every
 * query paid two round trips and held its connection for both. Prepared, a statement known to the connection goes in
 * one. Transactions and savepoints hand drizzle a client of their own, which is wrapped the same way.
 */
export function preparingClient<T extends postgres.Sql | postgres.TransactionSql>(client: T, shouldPrepare: (text: string) => boolean): T {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      if (property === "unsafe") {
        const unsafe = value as Unsafe;
        return ((text: string, args?: unknown[], options?: postgres.UnsafeQueryOptions) =>
          unsafe(text, args as postgres.ParameterOrJSON<never>[], { ...options, prepare: (options?.prepare ?? false) || shouldPrepare(text) })) as Unsafe;
      }
      if (property === "begin" || property === "savepoint") {
        return (...args: unknown[]) => {
          const last = args.length - 1;
          const body = args[last] as (tx: postgres.TransactionSql) => unknown;
          args[last] = (tx: postgres.TransactionSql) => body(preparingClient(tx, shouldPrepare));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return value;
    },
  });
}
