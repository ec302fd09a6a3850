/**
 * The market gate's check (POST /v1/market/check) on PostgreSQL with 50 concurrent clerks, beside POST /v1/verify
 * (the public check it builds on) and a bare Hono hello world, same run, same load generator. Target: p99 < 20 ms.
 * Two loads: closed loop (each of 50 connections sends its next check the moment the last is answered: the
 * worst case, throughput-bound), and 50 clerks each checking at their own pace (independent random pauses between a
 * check's answer and the next check) at BENCH_RATE overall, default 500 checks/s: every clerk scanning 10 codes a
 * second, far above a real gate.
 * Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:gate-check
 */
import type autocannon from "autocannon";
import { withUsccCheck } from "../../src/domain/uscc";
import { fmt, freshDatabase, loadOn, pacedLoad, startChild, type LoadResult } from "./support";

const ADMIN = "bench-admin-key-0123456789abcdef";
const DURATION = Number(process.env["BENCH_SECONDS"] ?? 10);
const RATE = Number(process.env["BENCH_RATE"] ?? 500);
const CODES = 200;
/** Buyers' certificates (样式二) in the mix, each naming two of the producer's: their checks walk the upstream tree. */
const BUYER_CODES = 50;

async function api(base: string, key: string, path: string, body: unknown) {
  const res = await fetch(base + path, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, string>>;
}

const databaseUrl = await freshDatabase("lotproof_bench_gate_check");
const hello = await startChild("scripts/bench/hello-server.ts");
const service = await startChild("src/server.ts", {
  DATABASE_URL: databaseUrl,
  DEMO_DATA: "0",
  BOOTSTRAP_ADMIN_KEY: ADMIN,
  RATE_LIMIT_PER_MINUTE: "0",
  DB_POOL_SIZE: process.env["BENCH_POOL"] ?? "20",
});
try {
  const party = (kind: string, n: string) =>
    api(service.url, ADMIN, "/v1/parties", { kind, name: `压测${kind}`, creditCode: withUsccCheck(`9333011200000${n}`), phone: "13800000000", regionCode: "330112" });
  const producer = await party("cooperative", "0001");
  const market = await party("market", "0002");
  const { key: producerKey } = await api(service.url, ADMIN, `/v1/parties/${producer["id"]}/keys`, {});
  const { key: marketKey } = await api(service.url, ADMIN, `/v1/parties/${market["id"]}/keys`, {});
  const product = await api(service.url, producerKey!, "/v1/products", { name: "雷笋", category: "蔬菜", unit: "kg" });
  const lot = await api(service.url, producerKey!, "/v1/lots", { productId: product["id"], quantity: 1e9, unit: "kg", harvestedAt: new Date().toISOString().slice(0, 10) });
  // Readings on the lot, so every check also runs the cold-chain handover check on real data.
  const now = Date.now();
  await api(service.url, producerKey!, "/v1/cold-chain/readings", {
    lotId: lot["id"],
    loggerId: "bench",
    readings: Array.from({ length: 500 }, (_, i) => ({ at: new Date(now - (500 - i) * 60_000).toISOString(), celsius: 3 + (i % 3) })),
  });
  const codes: string[] = [];
  for (let i = 0; i < CODES; i++) {
    const cert = await api(service.url, producerKey!, "/v1/certificates", { lotId: lot["id"], quantity: 100, basis: "quality_control" });
    codes.push(cert["code"]!);
    if (i % 4 === 0) await api(service.url, marketKey!, "/v1/market/receipts", { code: cert["code"], sellerName: "压测供货者", quantity: 30, unit: "kg", decision: "accept" });
  }
  const buyer = await party("buyer", "0003");
  const { key: buyerKey } = await api(service.url, ADMIN, `/v1/parties/${buyer["id"]}/keys`, {});
  const buyerProduct = await api(service.url, buyerKey!, "/v1/products", { name: "雷笋", category: "蔬菜", unit: "kg" });
  const buyerLot = await api(service.url, buyerKey!, "/v1/lots", { productId: buyerProduct["id"], quantity: 1e6, unit: "kg", harvestedAt: new Date().toISOString().slice(0, 10) });
  for (let i = 0; i < BUYER_CODES; i++) {
    const upstream = [codes[(2 * i) % CODES], codes[(2 * i + 1) % CODES]].map((code) => ({ kind: "certificate", code, quantity: 10 }));
    const cert = await api(service.url, buyerKey!, "/v1/certificates", { lotId: buyerLot["id"], quantity: 20, basis: "quality_control", upstream });
    codes.push(cert["code"]!);
  }
  const sample = await api(service.url, marketKey!, "/v1/market/check", { code: codes[0] });
  if (sample["genuine"] !== (true as unknown as string)) throw new Error(`unexpected check: ${JSON.stringify(sample)}`);

  // Clerks check different certificates, as at a real gate: each request takes the next code in turn.
  const checks = (path: string, auth: boolean): autocannon.Options => {
    let next = 0;
    return {
      url: `${service.url}${path}`,
      method: "POST",
      headers: { "content-type": "application/json", ...(auth ? { authorization: `Bearer ${marketKey}` } : {}) },
      requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ code: codes[next++ % codes.length] }) }) }],
      duration: DURATION,
    };
  };
  const baseline = await loadOn(hello, { url: `${hello.url}/`, duration: DURATION });
  // A warm-up pass, so both measurements see the same warm JIT and pool.
  await loadOn(service, { ...checks("/v1/market/check", true), duration: 3 });
  const verify = await loadOn(service, checks("/v1/verify", false));
  const gate = await loadOn(service, checks("/v1/market/check", true));
  let nextPaced = 0;
  const steady = await pacedLoad(service, {
    url: `${service.url}/v1/market/check`,
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${marketKey}` },
    body: () => JSON.stringify({ code: codes[nextPaced++ % codes.length] }),
    clients: 50,
    ratePerSecond: RATE,
    seconds: DURATION,
  });

  const row = (name: string, r: LoadResult & { cpuUsPerRequest: number | null }) =>
    `| ${name} | ${fmt(r.rps)} | ${r.p50} | ${r.p99} | ${r.errors} / ${r.non2xx} | ${r.cpuUsPerRequest === null ? "" : fmt(r.cpuUsPerRequest)} |`;
  console.log(
    `\nGate check over HTTP on PostgreSQL, 50 concurrent clerks, ${CODES} producers' and ${BUYER_CODES} buyers' certificates in turn, ${DURATION} s each (autocannon)\n`,
  );
  console.log("| measurement | req/s | p50 ms | p99 ms | errors / non-2xx | server CPU µs/request |");
  console.log("|---|---:|---:|---:|---:|---:|");
  console.log(row("bare Hono hello world", baseline));
  console.log(row("POST /v1/verify (public), closed loop", verify));
  console.log(row("POST /v1/market/check, closed loop", gate));
  console.log(row(`POST /v1/market/check, 50 clerks each at their own pace, ${RATE}/s overall`, steady));
  console.log(`\ngate check ÷ hello world = ${fmt((gate.rps / baseline.rps) * 100, 1)} %; gate check ÷ verify = ${fmt((gate.rps / verify.rps) * 100, 1)} %`);
  console.log(`p99 target < 20 ms: closed loop ${gate.p99} ms ${gate.p99 < 20 ? "met" : "NOT met"}; at ${RATE}/s ${steady.p99} ms ${steady.p99 < 20 ? "met" : "NOT met"}`);
} finally {
  await Promise.all([hello.stop(), service.stop()]);
}
