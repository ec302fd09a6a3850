// npm run monitor -- --url https://service [--state monitor-state.json] [--log-key <origin+id+key>] [--leaves] [--interval 60]
// Follows the transparency log as an outside monitor: checkpoint signatures, consistency with the last checkpoint
// seen (kept in the state file), optionally the leaves themselves. Exits non-zero on any fork or inconsistency.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { type MonitorState, monitorOnce } from "../src/verifier/monitor";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    state: { type: "string", default: "lotproof-monitor.json" },
    "log-key": { type: "string" },
    leaves: { type: "boolean", default: false },
    interval: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help === true || values.url === undefined) {
  console.error("usage: npm run monitor -- --url https://host [--state file] [--log-key <origin+id+key>] [--leaves] [--interval seconds]");
  process.exit(2);
}
const baseUrl = values.url.replace(/\/+$/, "");
const statePath = values.state;
const intervalSeconds = values.interval === undefined ? null : Number(values.interval);
if (intervalSeconds !== null && !(intervalSeconds > 0)) {
  console.error("--interval must be a positive number of seconds");
  process.exit(2);
}

function loadState(): MonitorState | null {
  return existsSync(statePath) ? (JSON.parse(readFileSync(statePath, "utf8")) as MonitorState) : null;
}

function saveState(state: MonitorState): void {
  // Written aside and renamed, so a crash never leaves half a state file.
  writeFileSync(`${statePath}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${statePath}.tmp`, statePath);
}

async function round(): Promise<boolean> {
  const run = await monitorOnce({
    baseUrl,
    fetch: (url, init) => fetch(url, init),
    state: loadState(),
    leaves: values.leaves,
    ...(values["log-key"] === undefined ? {} : { logKey: values["log-key"] }),
  });
  const stamp = new Date().toISOString();
  for (const line of run.report) console.log(`${stamp} ${line}`);
  if (run.ok && run.state !== null) saveState(run.state);
  return run.ok;
}

if (intervalSeconds === null) {
  process.exit((await round()) ? 0 : 1);
}
for (;;) {
  if (!(await round())) process.exit(1);
  await new Promise((resolve) => setTimeout(resolve, intervalSeconds * 1000));
}
