/**
 * What the issuing gate costs: certificates issued in turn for a lot whose plot carries 50 input records (10 of them
 * corrected, plus harvest records) and for a lot with none, in the same run and process, over PostgreSQL. The
 * difference is what the records add to one issue; target < 2 ms. The checks are also timed alone, on both lots.
 * Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:gate
 */
import { randomBytes } from "node:crypto";
import type { Principal } from "../../src/auth/principal";
import { createApp } from "../../src/app";
import { openDatabase } from "../../src/db/client";
import { migrate } from "../../src/db/migrate";
import type { AppDeps } from "../../src/deps";
import { gb31CodeScheme } from "../../src/domain/certificate-code";
import { chinaDate } from "../../src/domain/ids";
import { addDays } from "../../src/domain/production/china-date";
import type { ApplicationData } from "../../src/domain/production/stored-records";
import { withUsccCheck } from "../../src/domain/uscc";
import { createLot, createProduct, createSite } from "../../src/services/catalog";
import { runIssuingChecks } from "../../src/services/issuing-checks";
import { createParty, createPartyKey } from "../../src/services/parties";
import { correctRecord, createRecord } from "../../src/services/production-records";
import { ensureReferenceSeeded } from "../../src/services/reference-data";
import { loadOrCreateSigner } from "../../src/signing/key-store";
import { fmt, freshDatabase } from "./support";

const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 1000);
const WARMUP = 100;

const url = await freshDatabase("lotproof_bench_gate");
const handle = await openDatabase({ kind: "postgres", url, poolSize: 10 });
try {
  await migrate(handle.db);
  const clock = () => new Date();
  const random = (n: number) => new Uint8Array(randomBytes(n));
  await ensureReferenceSeeded({ db: handle.db, clock });
  const signer = await loadOrCreateSigner(handle.db, { kind: "memory", keys: new Map() }, clock, random);
  const deps: AppDeps = { db: handle.db, dbKind: handle.kind, publicUrl: "https://bench.test", clock, randomBytes: random, codeScheme: gb31CodeScheme, signer };
  const app = createApp(deps);

  const admin: Principal = { keyId: "bench", role: "admin", partyId: null, regionCode: null };
  const party = await createParty(deps, admin, { kind: "cooperative", name: "压测合作社", creditCode: withUsccCheck("93330112MA2H4K7Q5"), phone: "13800000000", regionCode: "330112" });
  const { key } = await createPartyKey(deps, admin, party.id);
  const producer: Principal = { keyId: "bench", role: "producer", partyId: party.id, regionCode: party.regionCode };
  const today = chinaDate(clock());
  const product = await createProduct(deps, producer, { name: "黄瓜", category: "蔬菜", unit: "kg" });
  const busySite = await createSite(deps, producer, { name: "记录多的大棚", regionCode: "330112" });
  const quietSite = await createSite(deps, producer, { name: "没有记录的大棚", regionCode: "330112" });
  const busy = await createLot(deps, producer, { productId: product.id, siteId: busySite.id, quantity: 1e11, unit: "kg", harvestedOn: today });
  const quiet = await createLot(deps, producer, { productId: product.id, siteId: quietSite.id, quantity: 1e11, unit: "kg", harvestedOn: today });

  // 50 applications the gate must weigh and let through: labelled inputs within their caps and intervals, and
  // inputs the reference does not know (each a warning), spread over the season; 10 corrected once.
  const base: Omit<ApplicationData, "inputName" | "appliedOn"> = {
    kind: "application", inputType: "pesticide", registrationNo: null, formulation: null, activeIngredients: [], dose: "2000倍液", method: "喷雾", stoppedOn: null, operator: "压测", pest: null, notes: null,
  };
  const labelled = [
    { inputName: "阿维菌素", formulation: "1.8% EC" },
    { inputName: "啶虫脒", formulation: "20% SP" },
  ];
  for (let i = 0; i < 50; i++) {
    const input = i < 6 ? labelled[i % 2]! : { inputName: `杀菌剂${i}号`, formulation: "50% WP", activeIngredients: ["多菌灵"] };
    const rec = await createRecord(deps, producer, i % 2 === 0 ? { siteId: busySite.id } : { lotId: busy.id }, {
      ...base,
      ...input,
      appliedOn: addDays(today, -(5 + i * 3)),
    });
    if (i >= 40) await correctRecord<ApplicationData>(deps, producer, "application", rec.id, { placement: {}, reason: "剂量更正", retract: false, data: (d) => ({ ...d, dose: "3000倍液" }) });
  }
  for (let i = 1; i <= 3; i++) {
    await createRecord(deps, producer, { siteId: busySite.id }, { kind: "harvest", harvestedOn: addDays(today, -i * 200), quantity: null, unit: null, endsSeason: true, operator: null, notes: null });
  }

  const issue = async (lotId: string) => {
    const started = performance.now();
    const res = await app.request("/v1/certificates", {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ lotId, quantity: 1, basis: "quality_control" }),
    });
    const ms = performance.now() - started;
    if (res.status !== 201) throw new Error(`issue: ${res.status} ${await res.text()}`);
    return ms;
  };
  const checks = async (lot: typeof busy) => {
    const started = performance.now();
    await runIssuingChecks(deps, lot, product.name, "quality_control", []);
    return performance.now() - started;
  };
  const sample = await app.request("/v1/certificates", {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ lotId: busy.id, quantity: 1, basis: "quality_control" }),
  });
  const warnings = ((await sample.json()) as { warnings: unknown[] }).warnings.length;

  for (let i = 0; i < WARMUP; i++) {
    await issue(busy.id);
    await issue(quiet.id);
  }
  // Interleaved so that drift (autovacuum, cache warm-up, GC) falls on both lots alike.
  const t = { busy: [] as number[], quiet: [] as number[], busyChecks: [] as number[], quietChecks: [] as number[] };
  for (let i = 0; i < ROUNDS; i++) {
    const order = i % 2 === 0 ? ([busy, quiet] as const) : ([quiet, busy] as const);
    for (const lot of order) (lot === busy ? t.busy : t.quiet).push(await issue(lot.id));
    for (const lot of order) (lot === busy ? t.busyChecks : t.quietChecks).push(await checks(lot));
  }

  const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
  const row = (label: string, xs: number[]) => `| ${label} | ${fmt(q(xs, 0.5), 3)} | ${fmt(q(xs, 0.95), 3)} |`;
  console.log(`\nIssuing gate on PostgreSQL, ${ROUNDS} certificates per lot, interleaved, in-process (app.request), one at a time\n`);
  console.log(`busy lot: 50 applications (10 corrected, ${warnings} gate warnings) and 3 harvest records on its plot; quiet lot: none\n`);
  console.log("| measurement | median ms | p95 ms |");
  console.log("|---|---:|---:|");
  console.log(row("POST /v1/certificates, lot with 50 input records", t.busy));
  console.log(row("POST /v1/certificates, lot with no records", t.quiet));
  console.log(row("issuing checks alone (3 queries + rules), 50 records", t.busyChecks));
  console.log(row("issuing checks alone, no records", t.quietChecks));
  const added = { median: q(t.busy, 0.5) - q(t.quiet, 0.5), p95: q(t.busy, 0.95) - q(t.quiet, 0.95) };
  console.log(`\nadded by 50 input records per issue: median ${fmt(added.median, 3)} ms, p95 ${fmt(added.p95, 3)} ms (target < 2 ms)`);
  console.log(`checks alone, 50 records minus none: median ${fmt(q(t.busyChecks, 0.5) - q(t.quietChecks, 0.5), 3)} ms`);
} finally {
  await handle.close();
}
