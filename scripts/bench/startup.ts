/**
 * `npm start` from an empty DATA_DIR to a healthy /healthz (target < 10 s), and a restart with data (< 5 s).
 * Each is measured three times from process spawn to the first 200 from /healthz.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fmt, startChild } from "./support";

async function timeToHealthy(dataDir: string): Promise<number> {
  const started = performance.now();
  const server = await startChild("src/server.ts", { DATA_DIR: dataDir, DEMO_DATA: "1" });
  const res = await fetch(`${server.url}/healthz`);
  if (res.status !== 200) throw new Error(`healthz answered ${res.status}`);
  const ms = performance.now() - started;
  await server.stop();
  return ms;
}

const fresh: number[] = [];
const restart: number[] = [];
for (let i = 0; i < 3; i++) {
  const dir = await mkdtemp(path.join(tmpdir(), "lotproof-bench-start-"));
  fresh.push(await timeToHealthy(dir));
  restart.push(await timeToHealthy(dir));
  await rm(dir, { recursive: true, force: true });
}
const show = (xs: number[]) => xs.map((x) => fmt(x / 1000, 2)).join(" / ");
console.log("| start | runs (s) | worst (s) | target |");
console.log("|---|---|---:|---|");
console.log(`| empty DATA_DIR, demo data seeded | ${show(fresh)} | ${fmt(Math.max(...fresh) / 1000, 2)} | < 10 s |`);
console.log(`| restart with data | ${show(restart)} | ${fmt(Math.max(...restart) / 1000, 2)} | < 5 s |`);
