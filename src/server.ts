import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { serveStatic } from "@hono/node-server/serve-static";
import { createApp } from "./app";
import { serverWithCacheHits } from "./http/node-cache-hits";
import { ConfigError, loadConfig } from "./config";
import { seedDemo } from "./demo/seed";
import { recentScanLinks, startNodeRuntime } from "./runtime";
import { publishCheckpoint, scheduleCheckpoints } from "./services/transparency-log";
import { printRouter } from "./routes/print/pdf";
import { producerConsoleRouter } from "./routes/producer";

async function main() {
  const started = performance.now();
  const config = loadConfig(process.env);
  const { deps, handle, cacheHits, close } = await startNodeRuntime(config);
  const demo = config.DEMO_DATA ? await seedDemo(deps) : null;
  // Signed checkpoints: one now, then every minute when the log has grown (and on demand when a proof needs one).
  await publishCheckpoint(deps);
  scheduleCheckpoints(deps, 60_000, (err) => console.error("publishing a log checkpoint failed", err));

  const app = createApp(deps, [printRouter, producerConsoleRouter]);
  app.use("/*", serveStatic({ root: "./public" }));

  const server = serverWithCacheHits(cacheHits, getRequestListener(app.fetch));
  server.listen(config.PORT, config.HOST, () => {
    const info = server.address() as AddressInfo;
    const ms = Math.round(performance.now() - started);
    const lines = [
      `lotproof is running on ${handle.kind === "pglite" ? `the embedded database in ${config.DATA_DIR}` : "PostgreSQL"} (ready in ${ms} ms)`,
      `  open      ${config.PUBLIC_URL}/docs`,
      `  health    http://localhost:${info.port}/healthz`,
    ];
    if (demo !== null) {
      lines.push(
        `  demo keys (public, for trying things out; run with DEMO_DATA=0 for real data):`,
        ...Object.entries(demo.keys).map(([who, key]) => `    ${who.padEnd(10)} ${key}`),
      );
    }
    console.log(lines.join("\n"));
    // A first start names a certificate of each verdict it seeded; later starts, the latest certificates.
    const links = demo !== null && demo.scanLinks.length > 0 ? Promise.resolve(demo.scanLinks.map((l) => `${l.url}  ${l.label}`)) : recentScanLinks(deps);
    void links.then((shown) => shown.length > 0 && console.log(`  scan      ${shown.join("\n            ")}`));
  });

  const shutdown = () => {
    server.close();
    // Queued scans are stored before the database closes.
    void close().then(() => process.exit(0));
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
