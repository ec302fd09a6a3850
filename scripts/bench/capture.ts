/**
 * EPCIS capture on PostgreSQL: a 10,000-event EPCISDocument through POST /capture in process (JSON parsing, the EPCIS
 * 2.0 schema check, CBV hash ids, the eventID check and the inserts in one transaction), against PostgreSQL's own
 * COPY of the same events' rows into the same table, in the same run. Rounds alternate; each sends new events.
 * Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:capture
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createApp } from "../../src/app";
import { hashSecret } from "../../src/auth/api-keys";
import { migrate } from "../../src/db/migrate";
import { openPostgres, postgresClient } from "../../src/db/postgres";
import { apiKeys, parties } from "../../src/db/schema";
import { EPCIS_CONTEXT_URL, eventHashId } from "../../src/domain/epcis";
import { fmt, freshDatabase, inProcessDeps } from "./support";

const EVENTS = Number(process.env["BENCH_EVENTS"] ?? 10_000);
const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 3);
const BENCH_KEY = "bench-capture-key-0123456789abcdef";

/** Shipping and receiving of numbered cases with a lot class and a purchase order, as a packer's system would send. */
function makeEvents(round: number): Record<string, unknown>[] {
  const t0 = Date.parse("2026-01-01T00:00:00Z") + round * 86_400_000;
  return Array.from({ length: EVENTS }, (_, i) => ({
    type: "ObjectEvent",
    eventTime: new Date(t0 + i * 1000).toISOString(),
    eventTimeZoneOffset: "+08:00",
    epcList: [`urn:epc:id:sgtin:6971234.056001.${round}${i}`],
    quantityList: [{ epcClass: `urn:epc:class:lgtin:6971234.056001.L${round}-${i % 50}`, quantity: 12.5, uom: "KGM" }],
    action: "OBSERVE",
    bizStep: i % 2 === 0 ? "shipping" : "receiving",
    disposition: i % 2 === 0 ? "in_transit" : "in_progress",
    readPoint: { id: `urn:epc:id:sgln:6971234.00001.${i % 20}` },
    bizTransactionList: [{ type: "po", bizTransaction: `urn:epcglobal:cbv:bt:6971234000016:PO${round}-${i % 100}` }],
  }));
}

const url = await freshDatabase("lotproof_bench_capture");
const handle = openPostgres(url, { max: 10 });
const raw = postgresClient(url, { max: 1 });
try {
  await migrate(handle.db);
  const now = new Date();
  const deps = inProcessDeps(handle.db);
  await handle.db.insert(parties).values({ id: "p1", kind: "buyer", name: "压测收购站", phone: "13800000000", regionCode: "330112", createdAt: now });
  await handle.db.insert(apiKeys).values({ id: "bench", partyId: "p1", role: "buyer", secretHash: hashSecret(BENCH_KEY), prefix: "bench", createdAt: now });
  const app = createApp(deps);
  const document = (events: Record<string, unknown>[]) =>
    JSON.stringify({ "@context": [EPCIS_CONTEXT_URL], type: "EPCISDocument", schemaVersion: "2.0", creationDate: now.toISOString(), epcisBody: { eventList: events } });

  async function viaCapture(round: number): Promise<number> {
    const body = document(makeEvents(round));
    const started = performance.now();
    const res = await app.request("/capture", { method: "POST", headers: { "content-type": "application/ld+json", authorization: `Bearer ${BENCH_KEY}` }, body });
    const job = (await res.json()) as { success: boolean; capturedCount: number };
    if (res.status !== 202 || !job.success || job.capturedCount !== EVENTS) throw new Error(`capture: ${res.status} ${JSON.stringify(job)}`);
    return performance.now() - started;
  }

  /** COPY of the same rows (hash ids computed beforehand, outside the timing) into the same table and indexes. */
  async function viaCopy(round: number): Promise<number> {
    const events = makeEvents(round + 1000);
    const context = { "@context": [EPCIS_CONTEXT_URL] };
    const lines = events.map((e, i) => {
      const cells = [
        `copy-${round}-${i}`,
        eventHashId(e, context),
        "ObjectEvent",
        "OBSERVE",
        String(e["bizStep"]),
        String(e["disposition"]),
        String(e["eventTime"]),
        "+08:00",
        (e["readPoint"] as { id: string }).id,
        JSON.stringify(e["quantityList"]),
        JSON.stringify(e).replace(/\\/g, "\\\\"),
        now.toISOString(),
        "p1",
        `{${(e["epcList"] as string[]).join(",")}}`,
        `{${(e["quantityList"] as { epcClass: string }[]).map((q) => q.epcClass).join(",")}}`,
      ];
      return `${cells.join("\t")}\n`;
    });
    const started = performance.now();
    const writable =
      await raw`COPY events (id, hash_id, type, action, biz_step, disposition, event_time, event_time_zone_offset, read_point, quantity_list, event, record_time, captured_by, epcs, epc_classes) FROM STDIN`.writable();
    await pipeline(Readable.from(lines), writable);
    return performance.now() - started;
  }

  const results: { copy: number; capture: number }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const copy = await viaCopy(round);
    const capture = await viaCapture(round);
    results.push({ copy, capture });
  }
  const rate = (ms: number) => (EVENTS / ms) * 1000;
  console.log(`\nEPCIS capture on PostgreSQL: one document of ${fmt(EVENTS)} events per run, ${ROUNDS} rounds (COPY of the same rows, then POST /capture in process)\n`);
  console.log("| round | COPY events/s | POST /capture events/s | capture ÷ COPY |");
  console.log("|---:|---:|---:|---:|");
  results.forEach((r, i) => console.log(`| ${i + 1} | ${fmt(rate(r.copy))} | ${fmt(rate(r.capture))} | ${fmt((r.copy / r.capture) * 100, 1)} % |`));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const copyMs = median(results.map((r) => r.copy));
  const captureMs = median(results.map((r) => r.capture));
  console.log(`\nmedian: COPY ${fmt(rate(copyMs))} events/s; POST /capture ${fmt(rate(captureMs))} events/s (target ≥ 5,000) = ${fmt((copyMs / captureMs) * 100, 1)} % of COPY`);
} finally {
  await raw.end();
  await handle.close();
}
