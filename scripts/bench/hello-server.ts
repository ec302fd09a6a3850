import { serve } from "@hono/node-server";
import { Hono } from "hono";

/**
 * The baseline every throughput figure is divided by: Hono's hello world on the same Node server adapter. `/bytes/n`
 * answers n bytes of JSON made once, to show what the size of an answer alone costs.
 */
const bodies = new Map<number, Uint8Array<ArrayBuffer>>();
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
  });
serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => console.log(`health    http://127.0.0.1:${info.port}/healthz`));
