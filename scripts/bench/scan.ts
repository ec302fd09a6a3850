/**
 * Scanning (issue 3 targets) on PostgreSQL: GET /c/{code} as JSON with 50 concurrent clients, beside a bare Hono hello
 * world in the same run with the same load generator. Targets: with the response cache warm, at least 50 % of hello
 * world's requests per second; with the cache off (RESPONSE_CACHE=0), at least 20 %. p99 reported for both.
 * Every scan is recorded (queued after the answer and stored with the others of its 200 ms), so both figures include
 * that. Requests carry the Accept-Encoding of Chrome on Android unless BENCH_ACCEPT_ENCODING says otherwise. A third
 * run starts with the cache empty and no warm-up, so the 50 connections miss on each code together.
 * Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:scan
 */
import type autocannon from "autocannon";
import { withUsccCheck } from "../../src/domain/uscc";
import { fmt, freshDatabase, loadOn, startChild, type Child, type LoadResult } from "./support";

const ADMIN = "bench-admin-key-0123456789abcdef";
const DURATION = Number(process.env["BENCH_SECONDS"] ?? 10);
const CODES = 100;
/** Statements an uncached scan waits on in sequence: the certificate's standing, then its trace read in parallel. */
const UNCACHED_ROUND_TRIPS = 2;

async function api(base: string, key: string, path: string, body: unknown) {
  const res = await fetch(base + path, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, string>>;
}

const databaseUrl = await freshDatabase("lotproof_bench_scan");
const serviceEnv = { DATABASE_URL: databaseUrl, DEMO_DATA: "0", BOOTSTRAP_ADMIN_KEY: ADMIN, RATE_LIMIT_PER_MINUTE: "0", DB_POOL_SIZE: process.env["BENCH_POOL"] ?? "20" };

/** Certificates on one lot with cold-chain readings, so each uncached scan reads a realistic trace. */
async function seed(base: string): Promise<string[]> {
  const producer = await api(base, ADMIN, "/v1/parties", { kind: "cooperative", name: "压测合作社", creditCode: withUsccCheck("93330112000000001"), phone: "13800000000", regionCode: "330112" });
  const { key } = await api(base, ADMIN, `/v1/parties/${producer["id"]}/keys`, {});
  const site = await api(base, key!, "/v1/sites", { name: "一号地块", regionCode: "330112", address: "太湖源镇" });
  const product = await api(base, key!, "/v1/products", { name: "雷笋", category: "蔬菜", unit: "kg" });
  const lot = await api(base, key!, "/v1/lots", { productId: product["id"], siteId: site["id"], quantity: 1e9, unit: "kg", harvestedAt: new Date().toISOString().slice(0, 10) });
  const now = Date.now();
  await api(base, key!, "/v1/cold-chain/readings", {
    lotId: lot["id"],
    loggerId: "bench",
    readings: Array.from({ length: 500 }, (_, i) => ({ at: new Date(now - (500 - i) * 60_000).toISOString(), celsius: 3 + (i % 3) })),
  });
  const codes: string[] = [];
  for (let i = 0; i < CODES; i++) codes.push((await api(base, key!, "/v1/certificates", { lotId: lot["id"], quantity: 100, basis: "quality_control", copies: 20 }))["code"]!);
  return codes;
}

/** What Chrome on Android sends over HTTPS; BENCH_ACCEPT_ENCODING=identity measures uncompressed answers. */
const ACCEPT_ENCODING = process.env["BENCH_ACCEPT_ENCODING"] ?? "gzip, deflate, br, zstd";

/** A phone's request headers. The cache keeps one answer per Accept and Accept-Language, so every request sends the same. */
const PHONE = {
  accept: "application/json",
  "accept-encoding": ACCEPT_ENCODING,
  "accept-language": "zh-CN,zh;q=0.9,en;q=0.8",
  "user-agent": "Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36",
};

/**
 * Consumers scan different crates: each connection asks for the codes in turn. The requests are built once, as the
 * hello world's is: rebuilding one per request (autocannon's setupRequest) costs the load generator more than a
 * cached scan costs the server, and the generator shares the machine.
 */
function scans(base: string, codes: readonly string[]): autocannon.Options {
  return {
    url: `${base}/c/${codes[0]}`,
    headers: PHONE,
    requests: codes.map((code) => ({ path: `/c/${code}`, headers: PHONE })),
    duration: DURATION,
  };
}

type Measured = LoadResult & { cpuUsPerRequest: number | null; databaseCpuUsPerRequest: number | null };

async function measure(service: Child, codes: readonly string[], warmUp = true): Promise<Measured> {
  // One pass over every code first: the cached run then measures a warm cache, the uncached one warm connections.
  if (warmUp) for (const code of codes) await (await fetch(`${service.url}/c/${code}`, { headers: PHONE })).arrayBuffer();
  return loadOn(service, scans(service.url, codes));
}

function line(label: string, r: Measured, base?: LoadResult) {
  const ratio = base === undefined ? "" : `  ${fmt((100 * r.rps) / base.rps, 1)} % of hello world`;
  const cpu =
    (r.cpuUsPerRequest === null ? "" : `  server CPU ${fmt(r.cpuUsPerRequest)} µs/req`) +
    (r.databaseCpuUsPerRequest === null || base === undefined ? "" : `  PostgreSQL CPU ${fmt(r.databaseCpuUsPerRequest)} µs/req`);
  console.log(
    `  ${label.padEnd(34)} ${fmt(r.rps).padStart(7)} req/s  p50 ${fmt(r.p50)} ms  p99 ${fmt(r.p99)} ms  errors ${r.errors}  non-2xx ${r.non2xx}  ${fmt(r.bytesPerResponse)} B/response${cpu}${ratio}`,
  );
}

// BENCH_PROFILE_DIR=dir writes each service's CPU profile there (node --cpu-prof), the cached one's first.
const profile = process.env["BENCH_PROFILE_DIR"];
const profiling = profile === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${profile}`];
const hello = await startChild("scripts/bench/hello-server.ts", { DATABASE_URL: databaseUrl, DB_POOL_SIZE: serviceEnv.DB_POOL_SIZE });
let cached = await startChild("src/server.ts", serviceEnv, profiling);
try {
  const codes = await seed(cached.url);
  console.log(`scan JSON, 50 connections, ${DURATION} s each, ${CODES} certificates, Accept-Encoding: ${ACCEPT_ENCODING}, PostgreSQL ${new URL(databaseUrl).host}`);
  const baseline = await loadOn(hello, { url: `${hello.url}/`, duration: DURATION });
  // What the size of the answer alone costs: a bare Hono app sending a JSON body as long as the plain scan's.
  const plainBytes = (await (await fetch(`${cached.url}/c/${codes[0]}`, { headers: { accept: "application/json", "accept-encoding": "identity" } })).arrayBuffer()).byteLength;
  const sized = await loadOn(hello, { url: `${hello.url}/bytes/${plainBytes}`, duration: DURATION });
  // The floor under any uncached read: trivial queries in sequence, as many as an uncached scan waits on, and one.
  const oneQuery = await loadOn(hello, { url: `${hello.url}/db/1`, duration: DURATION });
  const twoQueries = await loadOn(hello, { url: `${hello.url}/db/${UNCACHED_ROUND_TRIPS}`, duration: DURATION });
  const warm = await measure(cached, codes);
  await cached.stop();
  // An empty cache under the same load: the connections reach each code together, as scans do after an entry expires
  // or a recall purges it, and only the first miss of each reads the database.
  cached = await startChild("src/server.ts", serviceEnv);
  const emptyCache = await measure(cached, codes, false);
  await cached.stop();
  const uncachedService = await startChild("src/server.ts", { ...serviceEnv, RESPONSE_CACHE: "0" }, profiling);
  cached = uncachedService;
  const cold = await measure(uncachedService, codes);
  const baseline2 = await loadOn(hello, { url: `${hello.url}/`, duration: DURATION });
  const base = { ...baseline, rps: (baseline.rps + baseline2.rps) / 2 };
  line("hello world (before)", baseline);
  line("hello world (after)", baseline2);
  line(`static ${fmt(plainBytes)}-byte JSON`, sized, base);
  line("hello world + 1 trivial query", oneQuery, base);
  line(`hello world + ${UNCACHED_ROUND_TRIPS} trivial queries`, twoQueries, base);
  line("scan JSON, cache warm", warm, base);
  line("scan JSON, cache empty at the start", emptyCache, base);
  line("scan JSON, cache off", cold, base);
  console.log(`  targets: cache warm ≥ 50 % (${warm.rps / base.rps >= 0.5 ? "met" : "missed"}), cache off ≥ 20 % (${cold.rps / base.rps >= 0.2 ? "met" : "missed"})`);
} finally {
  await cached.stop();
  await hello.stop();
}
