/**
 * The transparency log on PostgreSQL, measured side by side in one run:
 *  1. a log of 1,000,000 leaves (generated set-based: leaves, then each level of interior nodes), checked against a
 *     root computed independently in memory;
 *  2. issuing certificates with the log append (the deferred trigger) and without it (trigger disabled), alternating
 *     rounds, one client at a time and 50 at once;
 *  3. inclusion and consistency proofs at 1,000,000 leaves (one statement each), against rebuilding a root from the
 *     stored leaf hashes alone.
 * Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:log   (LOG_BENCH_LEAVES=… to change n)
 */
import { createHash, randomBytes as nodeRandomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { createApp } from "../../src/app";
import { openDatabase } from "../../src/db/client";
import { migrate } from "../../src/db/migrate";
import type { AppDeps } from "../../src/deps";
import { gb31CodeScheme } from "../../src/domain/certificate-code";
import { hashChildren, hashLeaf, type MerkleHash, verifyConsistency, verifyInclusion } from "../../src/domain/merkle";
import { withUsccCheck } from "../../src/domain/uscc";
import { ensureBootstrapAdmin } from "../../src/services/parties";
import { ensureReferenceSeeded } from "../../src/services/reference-data";
import { consistencyProofBetween, inclusionProofAt, publishCheckpoint, rootAt } from "../../src/services/transparency-log";
import { logEvidenceFor } from "../../src/services/log-evidence";
import { standingByCode } from "../../src/services/certificate-standing";
import { verifyCertificate } from "../../src/services/verify";
import { loadOrCreateSigner } from "../../src/signing/key-store";
import { loadOrCreateLogSigner } from "../../src/signing/log-key";
import { logOrigin } from "../../src/signing/log-identity";
import { fmt, freshDatabase } from "./support";

const N = Number(process.env["LOG_BENCH_LEAVES"] ?? 1_000_000);
const ADMIN = "bench-admin-key-0123456789abcdef";
const PUBLIC_URL = "https://bench.lotproof.test";

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { mean: samples.reduce((a, b) => a + b, 0) / samples.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1)! };
}

const url = await freshDatabase("lotproof_bench_log");
const handle = await openDatabase({ kind: "postgres", url, poolSize: 10 });
const db = handle.db;
try {
  await migrate(db);

  // 1. A million leaves, set-based. The data imitates an issue leaf's length; the nodes are built level by level,
  //    each level one INSERT … SELECT joining the pairs of the level below.
  let started = performance.now();
  await db.execute(sql.raw(`
    INSERT INTO log_leaves (idx, type, certificate_code, data, leaf_hash, at)
    SELECT i, 'bench', NULL, d, sha256(decode('00', 'hex') || convert_to(d, 'UTF8')), now()
    FROM generate_series(0, ${N - 1}) AS i,
         LATERAL (SELECT '{"v":1,"type":"bench","at":"2026-11-28T00:00:00.000Z","n":' || i || ',"jwtSha256":"' || md5(i::text) || md5(i::text) || '"}' AS d) AS leaf`));
  const leavesMs = performance.now() - started;
  started = performance.now();
  await db.execute(sql.raw(`
    INSERT INTO log_nodes (level, position, hash)
    SELECT 1, a.idx / 2, sha256(decode('01', 'hex') || a.leaf_hash || b.leaf_hash)
    FROM log_leaves a JOIN log_leaves b ON b.idx = a.idx + 1 WHERE a.idx % 2 = 0`));
  for (let level = 2; 2 ** level <= N; level++) {
    await db.execute(sql.raw(`
      INSERT INTO log_nodes (level, position, hash)
      SELECT ${level}, a.position / 2, sha256(decode('01', 'hex') || a.hash || b.hash)
      FROM log_nodes a JOIN log_nodes b ON b.level = a.level AND b.position = a.position + 1
      WHERE a.level = ${level - 1} AND a.position % 2 = 0`));
  }
  // The head grows only over stored leaves, checked by a trigger; the bench sets it once, as the database owner,
  // without that trigger counting a million leaves.
  await db.transaction(async (tx) => {
    await tx.execute(sql.raw("SET LOCAL session_replication_role = replica"));
    await tx.execute(sql.raw(`UPDATE log_head SET size = ${N}`));
  });
  await db.execute(sql.raw("ANALYZE log_leaves; ANALYZE log_nodes"));
  const nodesMs = performance.now() - started;

  // Independent check: the same leaves hashed in memory from their definition.
  started = performance.now();
  const leafHashes: MerkleHash[] = [];
  for (let i = 0; i < N; i++) {
    const hex = createHash("md5").update(String(i)).digest("hex");
    leafHashes.push(hashLeaf(new TextEncoder().encode(`{"v":1,"type":"bench","at":"2026-11-28T00:00:00.000Z","n":${i},"jwtSha256":"${hex}${hex}"}`)));
  }
  let level = leafHashes;
  while (level.length > 1) {
    const up: MerkleHash[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) up.push(hashChildren(level[i]!, level[i + 1]!));
    if (level.length % 2 === 1) up.push(level.at(-1)!); // RFC 9162: an unpaired right node moves up as it is
    level = up;
  }
  const memoryRoot = level[0]!;
  const memoryMs = performance.now() - started;
  const storedRoot = await rootAt(db, N);
  if (Buffer.compare(Buffer.from(storedRoot), Buffer.from(memoryRoot)) !== 0) throw new Error("the stored tree's root differs from the root computed in memory");

  // 2. Issuing with and without the log append.
  const clock = () => new Date();
  const randomBytes = (n: number) => new Uint8Array(nodeRandomBytes(n));
  const vault = { kind: "memory" as const, keys: new Map() };
  const deps: AppDeps = {
    db,
    dbKind: "postgres",
    publicUrl: PUBLIC_URL,
    clock,
    randomBytes,
    codeScheme: gb31CodeScheme,
    signer: await loadOrCreateSigner(db, vault, clock, randomBytes),
    logSigner: await loadOrCreateLogSigner(db, vault, logOrigin(PUBLIC_URL), clock, randomBytes),
  };
  await ensureBootstrapAdmin(deps, ADMIN);
  await ensureReferenceSeeded(deps);
  const app = createApp(deps);
  const post = async (key: string, path: string, body: unknown) => {
    const res = await app.request(path, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, string>;
  };
  const party = await post(ADMIN, "/v1/parties", { kind: "cooperative", name: "压测合作社", creditCode: withUsccCheck("93330112MA2H4K7Q5"), phone: "13800000000", regionCode: "330112" });
  const { key } = await post(ADMIN, `/v1/parties/${party["id"]}/keys`, {});
  const product = await post(key!, "/v1/products", { name: "雷笋", category: "蔬菜", unit: "kg" });
  const lots = await Promise.all(Array.from({ length: 50 }, () => post(key!, "/v1/lots", { productId: product["id"], quantity: 1e11, unit: "kg", harvestedAt: new Date().toISOString().slice(0, 10) })));
  const issueOne = (i: number) => post(key!, "/v1/certificates", { lotId: lots[i % lots.length]!["id"], quantity: 1, basis: "quality_control" });
  const setLog = (on: boolean) => db.execute(sql.raw(`ALTER TABLE certificates ${on ? "ENABLE" : "DISABLE"} TRIGGER certificates_log_issued`));

  const ROUNDS = 6;
  const SEQUENTIAL = 150;
  const CONCURRENT = 500;
  const seq = { with: [] as number[], without: [] as number[] };
  const conc = { with: [] as number[], without: [] as number[] };
  for (let i = 0; i < 40; i++) await issueOne(i); // warm-up: JIT, prepared statements, pool
  for (let round = 0; round < ROUNDS; round++) {
    for (const on of round % 2 === 0 ? [true, false] : [false, true]) {
      await setLog(on);
      for (let i = 0; i < SEQUENTIAL; i++) {
        const t0 = performance.now();
        await issueOne(i);
        (on ? seq.with : seq.without).push(performance.now() - t0);
      }
      const t0 = performance.now();
      // 50 clients, each issuing in turn until CONCURRENT certificates are out.
      let next = 0;
      await Promise.all(Array.from({ length: 50 }, async () => {
        while (next < CONCURRENT) await issueOne(next++);
      }));
      (on ? conc.with : conc.without).push(CONCURRENT / ((performance.now() - t0) / 1000));
    }
  }
  await setLog(true);

  // The append alone, in SQL: one autocommitted statement that appends a leaf, against one that does nothing.
  const appendSql: number[] = [];
  const emptySql: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < 200; i++) {
      let t0 = performance.now();
      await db.execute(sql`SELECT lotproof_log_append('bench', now(), NULL, ',"n":"x"')`);
      appendSql.push(performance.now() - t0);
      t0 = performance.now();
      await db.execute(sql`SELECT 1`);
      emptySql.push(performance.now() - t0);
    }
  }

  // What the log adds to each verify: the issue leaf and its proof, read the first time a process sees a certificate
  // (two statements) and from its memory afterwards; beside the whole verify.
  const fresh: string[] = [];
  for (let i = 0; i < 200; i++) fresh.push((await issueOne(i))["code"]!);
  await publishCheckpoint(deps);
  const rowsOf = await Promise.all(fresh.map((code) => standingByCode(deps, code)));
  const evidenceCold: number[] = [];
  const evidenceWarm: number[] = [];
  const verifyWarm: number[] = [];
  for (const [i, standing] of rowsOf.entries()) {
    let t0 = performance.now();
    await logEvidenceFor(deps, standing!.row);
    evidenceCold.push(performance.now() - t0);
    t0 = performance.now();
    await logEvidenceFor(deps, standing!.row);
    evidenceWarm.push(performance.now() - t0);
    t0 = performance.now();
    await verifyCertificate(deps, { code: fresh[i]! });
    verifyWarm.push(performance.now() - t0);
  }

  // 3. Proofs at N leaves.
  const size = N; // proofs against the tree of exactly N leaves, the bench's own ones
  const inclusion: number[] = [];
  const route: number[] = [];
  const consistency: number[] = [];
  for (let i = 0; i < 300; i++) {
    const index = Math.floor(Math.random() * size);
    let t0 = performance.now();
    const proof = await inclusionProofAt(db, index, size);
    inclusion.push(performance.now() - t0);
    if (!verifyInclusion(leafHashes[index]!, index, size, proof, memoryRoot).ok) throw new Error(`inclusion proof for ${index} does not verify`);
    t0 = performance.now();
    const res = await app.request(`/v1/log/proof/inclusion?leaf=${index}&size=${size}`);
    await res.json();
    route.push(performance.now() - t0);
    const from = 1 + Math.floor(Math.random() * (size - 1));
    t0 = performance.now();
    const cproof = await consistencyProofBetween(db, from, size);
    consistency.push(performance.now() - t0);
    if (from === size - 1 && !verifyConsistency(from, size, cproof, await rootAt(db, from), memoryRoot).ok) throw new Error("consistency proof does not verify");
  }
  started = performance.now();
  const fetched = await db.execute(sql.raw(`SELECT leaf_hash FROM log_leaves WHERE idx < ${N} ORDER BY idx`));
  const rows = (Array.isArray(fetched) ? fetched : (fetched as { rows: unknown[] }).rows) as { leaf_hash: Uint8Array }[];
  let rebuilt: MerkleHash[] = rows.map((r) => new Uint8Array(r.leaf_hash));
  while (rebuilt.length > 1) {
    const up: MerkleHash[] = [];
    for (let i = 0; i + 1 < rebuilt.length; i += 2) up.push(hashChildren(rebuilt[i]!, rebuilt[i + 1]!));
    if (rebuilt.length % 2 === 1) up.push(rebuilt.at(-1)!);
    rebuilt = up;
  }
  const rebuildMs = performance.now() - started;

  const s = { seqWith: stats(seq.with), seqWithout: stats(seq.without), inc: stats(inclusion), route: stats(route), cons: stats(consistency) };
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(`\nTransparency log on PostgreSQL, ${fmt(N)} leaves (shared 2-CPU machine: figures are noisy)\n`);
  console.log(`generating: ${fmt(leavesMs / 1000, 1)} s for the leaves, ${fmt(nodesMs / 1000, 1)} s for the interior nodes; root checked against an in-memory computation (${fmt(memoryMs / 1000, 1)} s)\n`);
  console.log("| issuing (in-process app, PostgreSQL, pool 10) | with log append | without | difference |");
  console.log("|---|---:|---:|---:|");
  console.log(`| one client, mean ms per certificate (${ROUNDS / 2}×${SEQUENTIAL} each, rounds alternated) | ${fmt(s.seqWith.mean, 3)} | ${fmt(s.seqWithout.mean, 3)} | ${fmt(s.seqWith.mean - s.seqWithout.mean, 3)} |`);
  console.log(`| one client, p50 ms | ${fmt(s.seqWith.p50, 3)} | ${fmt(s.seqWithout.p50, 3)} | ${fmt(s.seqWith.p50 - s.seqWithout.p50, 3)} |`);
  console.log(`| SQL alone: one append vs SELECT 1, mean ms per autocommitted statement (${appendSql.length} each) | ${fmt(mean(appendSql), 3)} | ${fmt(mean(emptySql), 3)} | ${fmt(mean(appendSql) - mean(emptySql), 3)} |`);
  console.log(`| SQL alone, p50 ms | ${fmt(stats(appendSql).p50, 3)} | ${fmt(stats(emptySql).p50, 3)} | ${fmt(stats(appendSql).p50 - stats(emptySql).p50, 3)} |`);
  console.log(`| 50 clients, certificates/s (mean of ${ROUNDS / 2} runs of ${CONCURRENT}) | ${fmt(mean(conc.with))} | ${fmt(mean(conc.without))} | ${fmt((mean(conc.with) / mean(conc.without)) * 100, 1)} % |`);
  console.log("\n| verify (one client, 200 certificates) | mean ms | p50 ms | p99 ms |");
  console.log("|---|---:|---:|---:|");
  for (const [name, xs] of [["log evidence, first time the process sees the certificate", evidenceCold], ["log evidence, again (leaf and proof kept in memory)", evidenceWarm], ["the whole verify, with warm log evidence", verifyWarm]] as const) {
    const st = stats([...xs]);
    console.log(`| ${name} | ${fmt(st.mean, 3)} | ${fmt(st.p50, 3)} | ${fmt(st.p99, 3)} |`);
  }
  console.log("\n| proof at " + fmt(N) + " leaves (300 random) | mean ms | p50 ms | p99 ms | max ms |");
  console.log("|---|---:|---:|---:|---:|");
  console.log(`| inclusion proof (service function, one statement) | ${fmt(s.inc.mean, 2)} | ${fmt(s.inc.p50, 2)} | ${fmt(s.inc.p99, 2)} | ${fmt(s.inc.max, 2)} |`);
  console.log(`| GET /v1/log/proof/inclusion (in-process request) | ${fmt(s.route.mean, 2)} | ${fmt(s.route.p50, 2)} | ${fmt(s.route.p99, 2)} | ${fmt(s.route.max, 2)} |`);
  console.log(`| consistency proof (random old size) | ${fmt(s.cons.mean, 2)} | ${fmt(s.cons.p50, 2)} | ${fmt(s.cons.p99, 2)} | ${fmt(s.cons.max, 2)} |`);
  console.log(`| root rebuilt from the stored leaf hashes alone (no interior nodes) | ${fmt(rebuildMs, 0)} | | | |`);
  console.log(`\nlog append adds ${fmt(s.seqWith.p50 - s.seqWithout.p50, 3)} ms (p50) per certificate for one client over HTTP, ${fmt(stats(appendSql).p50 - stats(emptySql).p50, 3)} ms (p50) in SQL alone (target < 1 ms); inclusion proof p99 ${fmt(s.inc.p99, 2)} ms (target < 10 ms), ${fmt(rebuildMs / s.inc.mean)}× faster than rebuilding from the leaves`);
} finally {
  await handle.close();
}
