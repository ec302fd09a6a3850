import { describe, expect, it } from "vitest";
import { insertBatcher } from "./batched-insert";

/** A stand-in for a table: refuses a statement holding any row it rejects, as a database refuses the whole statement. */
function fakeTable(rejects: (row: string) => boolean) {
  const stored: string[] = [];
  const statements: string[][] = [];
  const insertRows = async (rows: readonly string[]) => {
    statements.push([...rows]);
    const bad = rows.find(rejects);
    if (bad !== undefined) throw new Error(`refused ${bad}`);
    stored.push(...rows);
  };
  return { stored, statements, insertRows };
}

describe("insertBatcher", () => {
  it("sends the rows of one turn as one statement", async () => {
    const table = fakeTable(() => false);
    const insert = insertBatcher(table.insertRows);
    await expect(Promise.all(["a", "b", "c"].map((r) => insert.load(r)))).resolves.toEqual([true, true, true]);
    expect(table.statements).toEqual([["a", "b", "c"]]);
  });

  it("runs one statement at a time: rows arriving while one runs all go in the next", async () => {
    const statements: string[][] = [];
    let finishFirst!: () => void;
    const insert = insertBatcher<string>((rows) => {
      statements.push([...rows]);
      return statements.length === 1 ? new Promise<void>((resolve) => (finishFirst = resolve)) : Promise.resolve();
    });
    const first = insert.load("a");
    await new Promise((resolve) => setImmediate(resolve));
    expect(statements).toEqual([["a"]]);
    const later = ["b", "c", "d"].map((r) => insert.load(r));
    await new Promise((resolve) => setImmediate(resolve));
    expect(statements).toEqual([["a"]]);
    finishFirst();
    await expect(Promise.all([first, ...later])).resolves.toEqual([true, true, true, true]);
    expect(statements).toEqual([["a"], ["b", "c", "d"]]);
  });

  it("retries a refused batch row by row, so only the bad row's caller sees the error", async () => {
    const table = fakeTable((r) => r === "bad");
    const insert = insertBatcher(table.insertRows);
    const outcomes = await Promise.allSettled(["a", "bad", "c"].map((r) => insert.load(r)));
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((outcomes[1] as PromiseRejectedResult).reason).toEqual(new Error("refused bad"));
    expect(table.stored.sort()).toEqual(["a", "c"]);
    expect(table.statements[0]).toEqual(["a", "bad", "c"]);
  });

  it("does not retry a batch of one", async () => {
    const table = fakeTable(() => true);
    const insert = insertBatcher(table.insertRows);
    await expect(insert.load("x")).rejects.toThrow("refused x");
    expect(table.statements).toEqual([["x"]]);
  });

  it("keeps going when the insert throws before returning a promise", async () => {
    const insert = insertBatcher<string>((rows) => {
      if (rows.includes("bad")) throw new Error("refused at once");
      return Promise.resolve();
    });
    const outcomes = await Promise.allSettled(["a", "bad"].map((r) => insert.load(r)));
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected"]);
    await expect(insert.load("c")).resolves.toBe(true);
  });

  it("hands a thrown non-Error to the caller as the cause of an Error", async () => {
    const insert = insertBatcher<string>(() => Promise.reject({ code: "23514" }));
    await expect(insert.load("x")).rejects.toMatchObject({ cause: { code: "23514" } });
  });
});
