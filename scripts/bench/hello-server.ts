import { serve } from "@hono/node-server";
import { Hono } from "hono";

/** The baseline every throughput figure is divided by: Hono's hello world on the same Node server adapter. */
const app = new Hono().get("/", (c) => c.text("Hello Hono!"));
serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => console.log(`health    http://127.0.0.1:${info.port}/healthz`));
