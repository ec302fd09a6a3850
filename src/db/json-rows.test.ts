import { sql } from "drizzle-orm";
import { integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../test/support/database";
import { jsonRowsInserter } from "./json-rows";
import { rowsOf } from "./rows";

const notes = pgTable("json_rows_notes", {
  id: integer("id").primaryKey(),
  body: jsonb("body").$type<Record<string, unknown>>().notNull(),
  token: text("token").notNull(),
  label: text("label"),
});

describe("jsonRowsInserter", () => {
  let handle: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    handle = await openTestDatabase();
    await handle.db.execute(sql`CREATE TABLE json_rows_notes (id integer PRIMARY KEY, body jsonb NOT NULL, token text NOT NULL, label text)`);
  });
  afterAll(() => handle.close());

  it("stores every row whole, with space-joined columns matched to their own rows", async () => {
    const insert = jsonRowsInserter(handle.db, notes, "insert_json_rows_notes", { spaceJoined: ["token"] });
    const rows = [
      { id: 1, body: { 名称: "雷笋", n: 1 }, token: "aaa.bbb.ccc", label: null },
      { id: 2, body: { 名称: "猕猴桃" }, token: "x", label: "第二" },
      { id: 3, body: {}, token: "eyJ.e30.sig-_", label: 'quote " and \\' },
    ];
    await insert(rows);
    const stored = rowsOf<{ id: number; body: unknown; token: string; label: string | null }>(
      await handle.db.execute(sql`SELECT id, body, token, label FROM json_rows_notes ORDER BY id`),
    );
    expect(stored).toEqual(rows);
  });

  it("refuses a space-joined value holding a space, or empty, before sending anything", async () => {
    const insert = jsonRowsInserter(handle.db, notes, "insert_json_rows_notes_refused", { spaceJoined: ["token"] });
    const body = {};
    expect(() => insert([{ id: 10, body, token: "a b", label: null }])).toThrow(/token.*without spaces/);
    expect(() => insert([{ id: 11, body, token: "", label: null }])).toThrow(/token.*non-empty/);
    const left = rowsOf<{ n: number }>(await handle.db.execute(sql`SELECT count(*)::int AS n FROM json_rows_notes WHERE id >= 10`));
    expect(left[0]?.n).toBe(0);
  });
});
