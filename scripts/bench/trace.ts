/**
 * Trace and recall on a large genealogy (issue 7 targets), on PostgreSQL:
 *   DATABASE_URL=postgres://… npm run bench:trace            (BENCH_TRACE_LOTS=1000000 by default)
 *
 * Generates, with INSERT … SELECT generate_series, lots shaped like real chains — farm lots, buyer lots each mixed
 * from 4 farm lots, market lots each repacked from 4 buyer lots — so 1,000,000 lots carry 2,000,000 genealogy edges,
 * plus one hub farm lot feeding 100 buyer lots that feed 30,000 market lots. Then measures a full trace (both walks
 * and everything shown about the lots) from ordinary lots, and a recall through the hub lot.
 */
import { sql } from "drizzle-orm";
import type { Principal } from "../../src/auth/principal";
import { openPostgres } from "../../src/db/postgres";
import { migrate } from "../../src/db/migrate";
import type { AppDeps } from "../../src/deps";
import { gb31CodeScheme } from "../../src/domain/certificate-code";
import { walkLots } from "../../src/services/genealogy";
import { createRecall, lineageOf, liftRecall } from "../../src/services/recall";
import { traceFrom } from "../../src/services/trace";
import { fmt, freshDatabase } from "./support";

const TOTAL = Number(process.env["BENCH_TRACE_LOTS"] ?? 1_000_000);
const FARM = Math.floor(TOTAL / 2);
const BUYER = Math.floor(TOTAL * 0.3);
const MARKET = TOTAL - FARM - BUYER;
const HUB_BUYERS = 100;
const HUB_MARKETS_PER_BUYER = 300;
const SAMPLES = Number(process.env["BENCH_TRACE_SAMPLES"] ?? 500);

const FARMS = 5000;
const BUYERS = 300;
const MARKETS = 100;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summary(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s.at(-1)! };
}

async function timed<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const r = await f();
  return [performance.now() - t0, r];
}

async function generate(deps: AppDeps) {
  const db = deps.db;
  const step = async (label: string, q: ReturnType<typeof sql>) => {
    const [ms] = await timed(() => db.execute(q));
    console.log(`  ${label.padEnd(44)} ${fmt(ms / 1000, 1)} s`);
  };
  // Triggers (consumption, certified quantity) and foreign-key checks are for single writes; a bulk load skips them.
  await db.execute(sql`SET session_replication_role = replica`);
  await step("parties, products", sql.raw(`
    INSERT INTO parties (id, kind, name, phone, region_code, contact_name, created_at)
      SELECT 'P' || i, CASE WHEN i < ${FARMS} THEN 'cooperative' WHEN i < ${FARMS + BUYERS} THEN 'buyer' ELSE 'market' END,
             '主体' || i, '1380000' || lpad((i % 10000)::text, 4, '0'), CASE WHEN i % 2 = 0 THEN '330112' ELSE '330110' END, '联系人' || i, now()
      FROM generate_series(0, ${FARMS + BUYERS + MARKETS - 1}) i;
    INSERT INTO products (id, party_id, name, category, unit, created_at) SELECT 'PR' || i, 'P' || i, '雷笋', '蔬菜', 'kg', now() FROM generate_series(0, ${FARMS + BUYERS + MARKETS - 1}) i;
    INSERT INTO events (id, hash_id, type, event_time, event_time_zone_offset, event, record_time)
      VALUES ('E0', 'bench', 'TransformationEvent', now(), '+08:00', '{}'::jsonb, now());`));
  // Lot ids: F<i> farm, B<i> buyer, M<i> market.
  await step(`lots (${fmt(TOTAL)})`, sql.raw(`
    INSERT INTO lots (id, party_id, product_id, code, quantity, unit, harvested_on, created_at)
      SELECT 'F' || i, 'P' || (i % ${FARMS}), 'PR' || (i % ${FARMS}), 'F' || i, 1000, 'kg', DATE '2026-11-01' + (i % 20), now() FROM generate_series(0, ${FARM - 1}) i
      UNION ALL
      SELECT 'B' || i, 'P' || (${FARMS} + i % ${BUYERS}), 'PR' || (${FARMS} + i % ${BUYERS}), 'B' || i, 400, 'kg', DATE '2026-11-01', now() FROM generate_series(0, ${BUYER - 1}) i
      UNION ALL
      SELECT 'M' || i, 'P' || (${FARMS + BUYERS} + i % ${MARKETS}), 'PR' || (${FARMS + BUYERS} + i % ${MARKETS}), 'M' || i, 100, 'kg', DATE '2026-11-01', now() FROM generate_series(0, ${MARKET - 1}) i`));
  // Each buyer lot mixes 4 farm lots; farm lot F0 (the hub) feeds only the hub's 100 buyer lots, which feed only
  // the hub's 30,000 market lots, so the hub has exactly 30,100 descendants.
  await step("edges farm → buyer", sql.raw(`
    INSERT INTO lot_links (parent_lot_id, child_lot_id, quantity, kind, event_id, created_at)
      SELECT DISTINCT ON (p, c) p, c, 100, 'merge', 'E0', now() FROM (
        SELECT 'F' || (1 + ((b::bigint * 4 + k) * 7919) % ${FARM - 1}) AS p, 'B' || b AS c FROM generate_series(0, ${BUYER - 1}) b, generate_series(0, 3) k
        UNION ALL SELECT 'F0', 'B' || b FROM generate_series(0, ${HUB_BUYERS - 1}) b
      ) e`));
  await step("edges buyer → market", sql.raw(`
    INSERT INTO lot_links (parent_lot_id, child_lot_id, quantity, kind, event_id, created_at)
      SELECT DISTINCT ON (p, c) p, c, 25, 'merge', 'E0', now() FROM (
        SELECT CASE WHEN k = 0 AND m < ${HUB_BUYERS * HUB_MARKETS_PER_BUYER} THEN 'B' || (m / ${HUB_MARKETS_PER_BUYER})
                    ELSE 'B' || (${HUB_BUYERS} + ((m::bigint * 4 + k) * 104729) % ${BUYER - HUB_BUYERS}) END AS p,
               'M' || m AS c
        FROM generate_series(0, ${MARKET - 1}) m, generate_series(0, 3) k
      ) e`));
  await step("certificates (one per farm lot, 1 in 10)", sql.raw(`
    INSERT INTO certificates (id, code, party_id, lot_id, template_version, basis, quantity, unit, lot_quantity, content, jwt, kid, issued_at)
      SELECT 'C' || i, 'CODE' || i, 'P' || (i % ${FARMS}), 'F' || i, '2025-producer', 'quality_control', 10, 'kg', 10, '{}'::jsonb, 'x', 'k', now()
      FROM generate_series(0, ${FARM - 1}, 10) i`));
  await step("certificates (every hub market lot)", sql.raw(`
    INSERT INTO certificates (id, code, party_id, lot_id, template_version, basis, quantity, unit, lot_quantity, content, jwt, kid, issued_at)
      SELECT 'CM' || m, 'CODEM' || m, 'P' || (${FARMS + BUYERS} + m % ${MARKETS}), 'M' || m, '2025-buyer', 'quality_control', 10, 'kg', 10, '{}'::jsonb, 'x', 'k', now()
      FROM generate_series(0, ${HUB_BUYERS * HUB_MARKETS_PER_BUYER - 1}) m`));
  await step("shipments buyer → market (one per market lot)", sql.raw(`
    INSERT INTO events (id, hash_id, type, event_time, event_time_zone_offset, event, record_time)
      SELECT 'ES' || m, 'bench-s' || m, 'ObjectEvent', now(), '+08:00', '{}'::jsonb, now() FROM generate_series(0, ${MARKET - 1}) m;
    INSERT INTO shipments (id, lot_id, from_party_id, to_party_id, quantity, unit, lot_quantity, status, shipped_at, ship_event_id, received_at, received_lot_id, created_at)
      SELECT 'S' || m, l.parent_lot_id, b.party_id, 'P' || (${FARMS + BUYERS} + m % ${MARKETS}), 25, 'kg', 25, 'received', now(), 'ES' || m, now(), 'M' || m, now()
      FROM generate_series(0, ${MARKET - 1}) m
      JOIN LATERAL (SELECT parent_lot_id FROM lot_links WHERE child_lot_id = 'M' || m ORDER BY parent_lot_id LIMIT 1) l ON true
      JOIN lots b ON b.id = l.parent_lot_id`));
  await db.execute(sql`SET session_replication_role = origin`);
  // What autovacuum does soon after a bulk load: statistics, and the visibility map that lets index-only scans skip
  // the table.
  await step("vacuum and analyze", sql`VACUUM (ANALYZE)`);
  const [counts] = (await db.execute(sql`SELECT (SELECT count(*) FROM lots)::int AS lots, (SELECT count(*) FROM lot_links)::int AS edges`)) as unknown as { lots: number; edges: number }[];
  return counts!;
}

async function main() {
  const url = await freshDatabase("lotproof_bench_trace");
  const handle = openPostgres(url, { max: 10 });
  const deps: AppDeps = {
    db: handle.db,
    dbKind: "postgres",
    publicUrl: "https://bench.test",
    clock: () => new Date(),
    randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
    codeScheme: gb31CodeScheme,
  };
  await migrate(deps.db);
  console.log(`generating ${fmt(TOTAL)} lots on ${new URL(url).host}`);
  const [genMs, counts] = await timed(() => generate(deps));
  console.log(`generated ${fmt(counts.lots)} lots and ${fmt(counts.edges)} genealogy edges in ${fmt(genMs / 1000, 1)} s\n`);

  let seed = 42;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const ordinary = (prefix: string, n: number, skip: number) => `${prefix}${skip + rand(n - skip)}`;
  const groups = [
    { label: "from a market lot (back 2 generations)", pick: () => ordinary("M", MARKET, HUB_BUYERS * HUB_MARKETS_PER_BUYER) },
    { label: "from a buyer lot (back and forward)", pick: () => ordinary("B", BUYER, HUB_BUYERS) },
    { label: "from a farm lot (forward 2 generations)", pick: () => ordinary("F", FARM, 1) },
  ];
  // Warm the caches the way a running service has them.
  for (let i = 0; i < 200; i++) await traceFrom(deps, { lotId: groups[i % 3]!.pick(), certificateId: null, code: null }, "full", 20, null);

  console.log("trace, ordinary lots (full answer: both walks, lots, parties, edges, certificates, shipments, tests, inputs, recalls)");
  const all: number[] = [];
  for (const g of groups) {
    const times: number[] = [];
    let nodes = 0;
    for (let i = 0; i < SAMPLES; i++) {
      const [ms, trace] = await timed(() => traceFrom(deps, { lotId: g.pick(), certificateId: null, code: null }, "full", 20, null));
      times.push(ms);
      nodes += trace.nodes.length;
    }
    all.push(...times);
    const s = summary(times);
    console.log(`  ${g.label.padEnd(42)} p50 ${fmt(s.p50, 2)} ms  p95 ${fmt(s.p95, 2)} ms  p99 ${fmt(s.p99, 2)} ms  (mean ${fmt(nodes / SAMPLES, 1)} lots)`);
  }
  const overall = summary(all);
  console.log(`  ${"all".padEnd(42)} p50 ${fmt(overall.p50, 2)} ms  p95 ${fmt(overall.p95, 2)} ms  (target p95 < 5 ms)`);

  const walkTimes: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const id = groups[i % 3]!.pick();
    const [ms] = await timed(() => Promise.all([walkLots(deps.db, [id], "up", 20), walkLots(deps.db, [id], "down", 20)]));
    walkTimes.push(ms);
  }
  const w = summary(walkTimes);
  console.log(`  ${"walks only (up and down in parallel)".padEnd(42)} p50 ${fmt(w.p50, 2)} ms  p95 ${fmt(w.p95, 2)} ms`);

  const lineage: number[] = [];
  for (let i = 0; i < SAMPLES; i++) lineage.push((await timed(() => lineageOf(deps, groups[0]!.pick())))[0]);
  const l = summary(lineage);
  console.log(`  ${"verify's lineage + recall lookup".padEnd(42)} p50 ${fmt(l.p50, 2)} ms  p95 ${fmt(l.p95, 2)} ms\n`);

  const admin: Principal = { keyId: "bench", role: "admin", partyId: null, regionCode: null };
  const purged: string[] = [];
  const recallDeps: AppDeps = { ...deps, onCertificateChanged: (code) => void purged.push(code) };
  const recallTimes: number[] = [];
  let last = { lots: 0, certificates: 0, receivers: 0 };
  for (let i = 0; i < 7; i++) {
    purged.length = 0;
    const [ms, r] = await timed(() => createRecall(recallDeps, admin, { lotId: "F0", reason: "bench", scope: "lot_and_descendants" }));
    recallTimes.push(ms);
    last = { lots: r.affected.lotIds.length, certificates: purged.length, receivers: r.affected.receivers.length };
    await liftRecall(recallDeps, admin, r.recall.id, "bench");
  }
  const r = summary(recallTimes);
  console.log(`recall through the hub lot: ${fmt(last.lots)} lots, ${fmt(last.certificates)} certificates purged, ${fmt(last.receivers)} receivers listed`);
  console.log(`  median ${fmt(r.p50, 1)} ms  max ${fmt(r.max, 1)} ms over ${recallTimes.length} recalls (target < 150 ms)`);
  await handle.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
