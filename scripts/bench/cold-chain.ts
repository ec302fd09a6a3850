/**
 * Temperature ingest on PostgreSQL: 200,000 readings through the service's ingest path (batches of 50,000, as the
 * API takes them, excursions recomputed in the same transaction) against PostgreSQL's own COPY of the same rows into
 * the same table, in the same run. Rounds alternate so neither side always meets the larger index.
 * Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:cold-chain
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createApp } from "../../src/app";
import type { Principal } from "../../src/auth/principal";
import { migrate } from "../../src/db/migrate";
import { openPostgres, postgresClient } from "../../src/db/postgres";
import { apiKeys, coldChainStreams, lots, parties, products } from "../../src/db/schema";
import { hashSecret } from "../../src/auth/api-keys";
import type { ParsedReading } from "../../src/domain/cold-chain";
import { ingestReadings } from "../../src/services/cold-chain";
import { fmt, freshDatabase, inProcessDeps } from "./support";

const ROWS = Number(process.env["BENCH_ROWS"] ?? 200_000);
const BATCH = 50_000;
const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 3);
const BENCH_KEY = "bench-cold-chain-key-0123456789abcdef";
const T0 = Date.parse("2024-01-01T00:00:00Z");

/** 10-minute logging of chilled goods at 2–4 °C, with a one-hour rise to 9 °C every ~7 days: realistic excursion count. */
function makeReadings(n: number): ParsedReading[] {
  return Array.from({ length: n }, (_, i) => ({
    loggerId: "BENCH-1",
    at: T0 + i * 600_000,
    celsius: i % 1000 >= 500 && i % 1000 < 507 ? 9 : 2 + ((i * 7) % 20) / 10,
  }));
}

const url = await freshDatabase("lotproof_bench_cold_chain");
const handle = openPostgres(url, { max: 10 });
const raw = postgresClient(url, { max: 1 });
try {
  await migrate(handle.db);
  const now = new Date();
  const deps = inProcessDeps(handle.db);
  await handle.db.insert(parties).values({ id: "p1", kind: "cooperative", name: "压测合作社", phone: "13800000000", regionCode: "330112", createdAt: now });
  await handle.db.insert(products).values({ id: "pr1", partyId: "p1", name: "冷鲜肉", category: "畜禽", unit: "kg", createdAt: now });
  const principal: Principal = { keyId: "bench", role: "producer", partyId: "p1", regionCode: "330112" };
  await handle.db.insert(apiKeys).values({ id: "bench", partyId: "p1", role: "producer", secretHash: hashSecret(BENCH_KEY), prefix: "bench", createdAt: now });
  let lotSeq = 0;
  const newLot = async () => {
    const id = `lot-${++lotSeq}`;
    await handle.db.insert(lots).values({ id, partyId: "p1", productId: "pr1", code: id, quantity: 1000, unit: "kg", harvestedOn: "2024-01-01", createdAt: now });
    return id;
  };
  const readings = makeReadings(ROWS);

  /** The service path: what POST /v1/cold-chain/readings does after parsing, batch by batch. */
  async function viaService(): Promise<{ ms: number; excursions: number }> {
    const lotId = await newLot();
    const started = performance.now();
    let excursions = 0;
    for (let i = 0; i < readings.length; i += BATCH) {
      const r = await ingestReadings(deps, principal, { lotId }, readings.slice(i, i + BATCH));
      if (r.inserted !== Math.min(BATCH, readings.length - i)) throw new Error(`inserted ${r.inserted}`);
      excursions = r.openExcursions.length;
    }
    return { ms: performance.now() - started, excursions };
  }

  /** The same, over HTTP in-process (no socket): JSON text in, parsing and row checks included. */
  const app = createApp(deps);
  const bodies = Array.from({ length: Math.ceil(ROWS / BATCH) }, (_, b) =>
    readings.slice(b * BATCH, (b + 1) * BATCH).map((r) => ({ at: new Date(r.at).toISOString(), celsius: r.celsius })),
  );
  async function viaHttp(): Promise<number> {
    const lotId = await newLot();
    const texts = bodies.map((rows) => JSON.stringify({ lotId, loggerId: "BENCH-1", readings: rows }));
    const started = performance.now();
    for (const body of texts) {
      const res = await app.request("/v1/cold-chain/readings", { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${BENCH_KEY}` }, body });
      if (res.status !== 200) throw new Error(`HTTP ${res.status} ${await res.text()}`);
    }
    return performance.now() - started;
  }

  /** PostgreSQL's COPY FROM STDIN of the same rows into the same table (own stream, same indexes and foreign key). */
  async function viaCopy(): Promise<number> {
    const lotId = await newLot();
    const [stream] = await handle.db
      .insert(coldChainStreams)
      .values({ subject: `lot:${lotId}`, lotId, partyId: "p1", loggerId: "BENCH-1", createdAt: now })
      .returning({ id: coldChainStreams.id });
    const started = performance.now();
    const writable = await raw`COPY cold_chain_readings (stream_id, at, celsius) FROM STDIN`.writable();
    const chunkRows = 5_000;
    async function* lines() {
      for (let i = 0; i < readings.length; i += chunkRows) {
        let chunk = "";
        for (const r of readings.slice(i, i + chunkRows)) chunk += `${stream!.id}\t${new Date(r.at).toISOString()}\t${r.celsius}\n`;
        yield chunk;
      }
    }
    await pipeline(Readable.from(lines()), writable);
    return performance.now() - started;
  }

  const results: { copy: number; service: number; http: number; excursions: number }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const copy = await viaCopy();
    const service = await viaService();
    const http = await viaHttp();
    results.push({ copy, service: service.ms, http, excursions: service.excursions });
  }
  const rate = (ms: number) => (ROWS / ms) * 1000;
  console.log(`\nTemperature ingest on PostgreSQL: ${fmt(ROWS)} readings per run, ${ROUNDS} rounds (COPY, the service path, then HTTP in-process)\n`);
  console.log("| round | COPY rows/s | ingest service rows/s | service ÷ COPY | HTTP JSON rows/s | HTTP ÷ COPY | open excursions found |");
  console.log("|---:|---:|---:|---:|---:|---:|---:|");
  results.forEach((r, i) =>
    console.log(
      `| ${i + 1} | ${fmt(rate(r.copy))} | ${fmt(rate(r.service))} | ${fmt((r.copy / r.service) * 100, 1)} % | ${fmt(rate(r.http))} | ${fmt((r.copy / r.http) * 100, 1)} % | ${r.excursions} |`,
    ),
  );
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const copyMs = median(results.map((r) => r.copy));
  const serviceMs = median(results.map((r) => r.service));
  const httpMs = median(results.map((r) => r.http));
  console.log(
    `\nmedian: COPY ${fmt(rate(copyMs))} rows/s; ingest service ${fmt(rate(serviceMs))} rows/s = ${fmt((copyMs / serviceMs) * 100, 1)} % of COPY (target ≥ 20 %); ` +
      `over HTTP with JSON parsing ${fmt(rate(httpMs))} rows/s = ${fmt((copyMs / httpMs) * 100, 1)} %`,
  );
} finally {
  await raw.end();
  await handle.close();
}
