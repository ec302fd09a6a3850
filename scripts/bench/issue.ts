/**
 * Issuing throughput on PostgreSQL with 50 concurrent clients, divided by a bare Hono hello world's throughput
 * measured in the same run with the same load generator; and issuing rate ÷ raw Ed25519 signing rate.
 * The two are measured in alternating rounds (BENCH_ROUNDS, default 3) and the verdict taken on the median ratio: on a
 * shared machine a single pair of measurements moves by a tenth or more from run to run, in either direction.
 * Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:issue
 */
import { generateKeyPairSync, sign } from "node:crypto";
import { withUsccCheck } from "../../src/domain/uscc";
import { fmt, freshDatabase, loadOn, startChild } from "./support";

const ADMIN = "bench-admin-key-0123456789abcdef";
const DURATION = Number(process.env["BENCH_SECONDS"] ?? 10);
const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 3);
const WARM_UP_SECONDS = 3;

/** The middle value; for an even count the mean of the two middle ones, so an even number of rounds is not judged on the better half. */
function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function api(base: string, key: string, path: string, body: unknown) {
  const res = await fetch(base + path, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, string>>;
}

function ed25519SignsPerSecond(payloadBytes: number): number {
  const { privateKey } = generateKeyPairSync("ed25519");
  const data = Buffer.alloc(payloadBytes, 7);
  const until = performance.now() + 2000;
  let n = 0;
  while (performance.now() < until) {
    sign(null, data, privateKey);
    n++;
  }
  return n / 2;
}

const databaseUrl = await freshDatabase("lotproof_bench_issue");
const hello = await startChild("scripts/bench/hello-server.ts");
// BENCH_PROFILE_DIR=dir writes the service's CPU profile there (node --cpu-prof) to see where issuing spends its time.
const profile = process.env["BENCH_PROFILE_DIR"];
const service = await startChild(
  "src/server.ts",
  { DATABASE_URL: databaseUrl, DEMO_DATA: "0", BOOTSTRAP_ADMIN_KEY: ADMIN, DB_POOL_SIZE: process.env["BENCH_POOL"] ?? "10" },
  profile === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${profile}`],
);
try {
  const party = await api(service.url, ADMIN, "/v1/parties", {
    kind: "cooperative", name: "压测合作社", creditCode: withUsccCheck("93330112MA2H4K7Q5"), phone: "13800000000", regionCode: "330112",
  });
  const { key } = await api(service.url, ADMIN, `/v1/parties/${party["id"]}/keys`, {});
  const product = await api(service.url, key!, "/v1/products", { name: "雷笋", category: "蔬菜", unit: "kg" });
  const newLot = () => api(service.url, key!, "/v1/lots", { productId: product["id"], quantity: 1e11, unit: "kg", harvestedAt: new Date().toISOString().slice(0, 10) });
  const lot = await newLot();
  const lots = await Promise.all(Array.from({ length: 50 }, newLot));
  const sample = await api(service.url, key!, "/v1/certificates", { lotId: lot["id"], quantity: 1, basis: "quality_control" });

  const issue = (lotId: string) => JSON.stringify({ lotId, quantity: 1, basis: "quality_control" });
  const post = {
    url: `${service.url}/v1/certificates`,
    method: "POST" as const,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    duration: DURATION,
  };
  const oneLot = { ...post, body: issue(lot["id"]!) };
  let next = 0;
  const lotsInTurn = { ...post, requests: [{ setupRequest: (req: object) => ({ ...req, body: issue(lots[next++ % lots.length]!["id"]!) }) }] };
  // Unmeasured, as a scan's first pass is: the first seconds of issuing otherwise measure V8 compiling the path.
  await loadOn(service, { ...oneLot, duration: WARM_UP_SECONDS });
  await loadOn(hello, { url: `${hello.url}/`, duration: WARM_UP_SECONDS });
  const rounds = [];
  for (let i = 0; i < ROUNDS; i++) {
    const baseline = await loadOn(hello, { url: `${hello.url}/`, duration: DURATION });
    const issuing = await loadOn(service, oneLot);
    const spread = await loadOn(service, lotsInTurn);
    rounds.push({ baseline, issuing, spread });
  }
  const signing = ed25519SignsPerSecond(sample["jwt"]!.length);

  console.log(`\nIssuing over HTTP on PostgreSQL, 50 concurrent clients, ${DURATION} s each, ${ROUNDS} rounds (autocannon)\n`);
  const cpu = (us: number | null) => (us === null ? "" : fmt(us));
  const pct = (r: { rps: number }, base: { rps: number }) => `${fmt((100 * r.rps) / base.rps, 1)} %`;
  console.log("| round | measurement | req/s | ÷ hello world | p50 ms | p99 ms | errors / non-2xx | server CPU µs/request | PostgreSQL CPU µs/request |");
  console.log("|---:|---|---:|---:|---:|---:|---:|---:|---:|");
  rounds.forEach(({ baseline, issuing, spread }, i) => {
    console.log(`| ${i + 1} | bare Hono hello world | ${fmt(baseline.rps)} | | ${baseline.p50} | ${baseline.p99} | ${baseline.errors} / ${baseline.non2xx} | ${cpu(baseline.cpuUsPerRequest)} | |`);
    for (const [label, r] of [["POST /v1/certificates", issuing], ["POST /v1/certificates, 50 lots in turn", spread]] as const) {
      console.log(`| ${i + 1} | ${label} | ${fmt(r.rps)} | ${pct(r, baseline)} | ${r.p50} | ${r.p99} | ${r.errors} / ${r.non2xx} | ${cpu(r.cpuUsPerRequest)} | ${cpu(r.databaseCpuUsPerRequest)} |`);
    }
  });
  console.log(`| | raw Ed25519 signing (one core, ${sample["jwt"]!.length}-byte message) | ${fmt(signing)} | | | | | ${fmt(1e6 / signing)} | |`);
  const oneLotRatio = median(rounds.map((r) => r.issuing.rps / r.baseline.rps));
  const spreadRatio = median(rounds.map((r) => r.spread.rps / r.baseline.rps));
  console.log(
    `\nissuing ÷ hello world, median of ${ROUNDS} rounds = ${fmt(oneLotRatio * 100, 1)} % on one lot, ${fmt(spreadRatio * 100, 1)} % over 50 lots (target ≥ 5 %: ${oneLotRatio >= 0.05 ? "met" : "missed"})`,
  );
  console.log(`issuing ÷ raw Ed25519 signing = ${fmt((median(rounds.map((r) => r.issuing.rps)) / signing) * 100, 1)} % (median issuing rate)`);
} finally {
  await Promise.all([hello.stop(), service.stop()]);
}
