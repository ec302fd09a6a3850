import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { postgresClient } from "../../src/db/postgres";

/**
 * The baseline every throughput figure is divided by: Hono's hello world on the same Node server adapter. `/bytes/n`
 * answers n bytes of JSON made once, to show what the size of an answer alone costs. With DATABASE_URL, `/db/n` runs
 * n trivial prepared queries one after another, on a pool as large as the service's: what any route that reads the
 * database n times in sequence costs before it does any work.
 */
const bodies = new Map<number, Uint8Array<ArrayBuffer>>();
const databaseUrl = process.env["DATABASE_URL"];
const sql = databaseUrl === undefined ? undefined : postgresClient(databaseUrl, { max: Number(process.env["DB_POOL_SIZE"] ?? 20), prepare: true });
const app = new Hono()
  .get("/", (c) => c.text("Hello Hono!"))
  .get("/bytes/:n{[0-9]{1,7}}", (c) => {
    const n = Number(c.req.param("n"));
    let body = bodies.get(n);
    if (body === undefined) {
      body = new TextEncoder().encode(JSON.stringify({ pad: "x".repeat(Math.max(0, n - 10)) }));
      bodies.set(n, body);
    }
    return c.body(body, 200, { "content-type": "application/json" });
  })
  .get("/db/:n{[1-9]}", async (c) => {
    if (sql === undefined) return c.text("no DATABASE_URL", 404);
    let row: unknown;
    for (let i = 0; i < Number(c.req.param("n")); i++) [row] = await sql`SELECT ${i}::int AS i`;
    return c.json(row);
  });
serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => console.log(`health    http://127.0.0.1:${info.port}/healthz`));
