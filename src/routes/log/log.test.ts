import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, createTestContext, type TestContext } from "../../../test/support/context";
import { certificates } from "../../db/schema";
import { parseLeaf } from "../../domain/log/leaf";
import { hashLeaf, memoryHashSource, merkleRoot, parseVerifierKey, verifyCheckpoint, verifyConsistency, verifyInclusion } from "../../domain/merkle";
import { decodeBase64, encodeBase64 } from "../../domain/merkle/base64";
import { rowsOf } from "../../db/rows";
import { rootAt, scheduleCheckpoints } from "../../services/transparency-log";

let t: TestContext;
let producer: { key: string };
let lotId: string;

beforeAll(async () => {
  t = await createTestContext("transparency-log");
  const made = await t.producerWithLot(1000);
  producer = made.producer;
  lotId = made.lot.id;
});
afterAll(() => t.close());

const utf8 = (text: string) => new TextEncoder().encode(text);
const b64 = (text: string) => {
  const bytes = decodeBase64(text);
  if (bytes === undefined) throw new Error(`not base64: ${text}`);
  return bytes;
};

async function issue(quantity = 10) {
  const res = await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId, quantity, basis: "quality_control" } });
  if (res.status !== 201) throw new Error(`issue: ${res.status} ${res.text}`);
  return res.json as { id: string; code: string; jwt: string; kid: string };
}

async function allLeaves(): Promise<{ index: number; data: string; leafHash: string }[]> {
  const out: { index: number; data: string; leafHash: string }[] = [];
  for (let start: number | null = 0; start !== null; ) {
    const page = await t.call("GET", `/v1/log/leaves?start=${start}&end=${start + 1000}`);
    expect(page.status).toBe(200);
    out.push(...page.json.leaves);
    start = page.json.next;
  }
  return out;
}

async function trustedKey() {
  const res = await t.call("GET", "/v1/log/key");
  expect(res.status).toBe(200);
  const parsed = parseVerifierKey(res.text.trim());
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.key;
}

describe("the transparency log", () => {
  it("appends a canonical leaf for an issue, in the same transaction, with the token's hash", async () => {
    const before = (await t.call("GET", "/v1/log")).json.size as number;
    const cert = await issue();
    const info = await t.call("GET", "/v1/log");
    expect(info.json.size).toBe(before + 1);
    const [leaf] = (await t.call("GET", `/v1/log/leaves?start=${before}&end=${before + 1}`)).json.leaves;
    const parsed = parseLeaf(leaf.data);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.leaf).toEqual({
      type: "certificate.issued",
      at: "2026-11-20T02:00:00.000Z",
      fields: { certificate: cert.code, lot: lotId, kid: cert.kid, jwtSha256: createHash("sha256").update(cert.jwt).digest("hex") },
    });
    expect(leaf.leafHash).toBe(encodeBase64(hashLeaf(utf8(leaf.data))));
  });

  it("logs revocations with their reason escaped exactly as the documented format says", async () => {
    const cert = await issue();
    const reason = '写错了 "数量"\n第二行 \\ tab\t结束';
    const res = await t.call("POST", `/v1/certificates/${cert.id}/revoke`, { key: producer.key, body: { reason } });
    expect(res.status).toBe(200);
    const leaves = await allLeaves();
    const last = parseLeaf(leaves.at(-1)!.data);
    expect(last.ok && last.leaf).toMatchObject({ type: "certificate.revoked", fields: { certificate: cert.code, reason } });
  });

  it("logs a failed test, a recall and its lifting, each in its own canonical leaf", async () => {
    const { producer: farmer, lot } = await t.producerWithLot(50);
    const failed = await t.call("POST", "/v1/tests", { key: farmer.key, body: { lotId: lot.id, kind: "self_test", method: "enzyme_inhibition", results: [{ value: 62, unit: "%" }] } });
    expect(failed.status).toBe(201);
    const regulator = await t.party("regulator", { regionCode: "330100" });
    const recall = await t.call("POST", "/v1/recalls", { key: regulator.key, body: { lotId: lot.id, reason: "快检阳性", scope: "lot_and_descendants" } });
    expect(recall.status).toBe(201);
    expect((await t.call("POST", `/v1/recalls/${recall.json.recall.id}/lift`, { key: regulator.key, body: { reason: "复检合格" } })).status).toBe(200);
    const leaves = (await allLeaves()).slice(-3).map((l) => parseLeaf(l.data));
    expect(leaves.map((l) => l.ok && l.leaf)).toEqual([
      expect.objectContaining({ type: "lot.test_failed", fields: { test: failed.json.id, lot: lot.id, kind: "self_test" } }),
      expect.objectContaining({ type: "lot.recalled", fields: { recall: recall.json.recall.id, lot: lot.id, scope: "lot_and_descendants", reason: "快检阳性" } }),
      expect.objectContaining({ type: "lot.recall_lifted", fields: { recall: recall.json.recall.id, lot: lot.id, reason: "复检合格" } }),
    ]);
  });

  it("keeps indexes gap-free and the tree consistent under concurrent issuing", async () => {
    const before = (await t.call("GET", "/v1/log")).json.size as number;
    const certs = await Promise.all(Array.from({ length: 25 }, () => issue(1)));
    const leaves = await allLeaves();
    expect(leaves.map((l) => l.index)).toEqual(leaves.map((_, i) => i));
    expect(leaves.length).toBe(before + 25);
    const logged = new Set(leaves.slice(before).map((l) => (parseLeaf(l.data) as { ok: true; leaf: { fields: Record<string, string> } }).leaf.fields["certificate"]));
    expect(logged).toEqual(new Set(certs.map((c) => c.code)));
    // The interior nodes the triggers stored give the same roots as hashing the leaves afresh, at every size.
    const source = memoryHashSource(leaves.map((l) => hashLeaf(utf8(l.data))));
    for (let size = 0; size <= leaves.length; size++) {
      expect(encodeBase64(await rootAt(t.deps.db, size))).toBe(encodeBase64(await merkleRoot(size, source)));
    }
  });

  it("appends what a transaction queued outside a rolled-back savepoint, also when the savepoint held the first leaf", async () => {
    const before = (await t.call("GET", "/v1/log")).json.size as number;
    const note = (n: string) => sql`SELECT lotproof_log_append('test.note', now(), NULL, ${`,"n":"${n}"`})`;
    await t.deps.db.transaction(async (tx) => {
      await tx.transaction((sp) => sp.execute(note("lost-first")).then(() => sp.rollback())).catch(() => undefined);
      await tx.execute(note("a"));
      await tx.transaction((sp) => sp.execute(note("lost-later")).then(() => sp.rollback())).catch(() => undefined);
      await tx.execute(note("b"));
    });
    const leaves = await allLeaves();
    expect(leaves.slice(before).map((l) => (JSON.parse(l.data) as { n: string }).n)).toEqual(["a", "b"]);
    expect(rowsOf<{ n: number }>(await t.deps.db.execute(sql`SELECT count(*)::int AS n FROM log_pending`))[0]!.n).toBe(0);
  });

  it("appends a transaction's queued leaves in order, also when its deferred checks run before commit", async () => {
    const before = (await t.call("GET", "/v1/log")).json.size as number;
    await t.deps.db.transaction(async (tx) => {
      for (const n of ["1", "2", "3"]) await tx.execute(sql`SELECT lotproof_log_append('test.note', now(), NULL, ${`,"n":"${n}"`})`);
      await tx.execute(sql`SET CONSTRAINTS ALL IMMEDIATE`);
      for (const n of ["4", "5"]) await tx.execute(sql`SELECT lotproof_log_append('test.note', now(), NULL, ${`,"n":"${n}"`})`);
    });
    const leaves = await allLeaves();
    expect(leaves.map((l) => l.index)).toEqual(leaves.map((_, i) => i));
    expect(leaves.slice(before).map((l) => (JSON.parse(l.data) as { n: string }).n)).toEqual(["1", "2", "3", "4", "5"]);
    expect(rowsOf<{ n: number }>(await t.deps.db.execute(sql`SELECT count(*)::int AS n FROM log_pending`))[0]!.n).toBe(0);
    // Emptied within its transaction, the queue is kept out of the WAL (migration 0022): a crash leaves it empty.
    expect(rowsOf<{ p: string }>(await t.deps.db.execute(sql`SELECT relpersistence AS p FROM pg_class WHERE relname = 'log_pending'`))[0]!.p).toBe("u");
    // Its lookups never read the queue's dead rows, whatever plan statistics of an empty queue suggest (0020, 0024).
    const settings = rowsOf<{ name: string; config: string[] | null }>(
      await t.deps.db.execute(
        sql`SELECT proname AS name, proconfig AS config FROM pg_proc WHERE proname IN ('lotproof_log_drain', 'lotproof_log_append', 'lotproof_log_certificates_issued') ORDER BY 1`,
      ),
    );
    expect(settings).toEqual(["lotproof_log_append", "lotproof_log_certificates_issued", "lotproof_log_drain"].map((name) => ({ name, config: ["enable_seqscan=off"] })));
    const source = memoryHashSource(leaves.map((l) => hashLeaf(utf8(l.data))));
    for (let size = before; size <= leaves.length; size++) {
      expect(encodeBase64(await rootAt(t.deps.db, size))).toBe(encodeBase64(await merkleRoot(size, source)));
    }
  });

  it("logs every change of a mixed concurrent burst (issues, revocations, a recall) exactly once, without gaps", async () => {
    const earlier = await Promise.all(Array.from({ length: 10 }, () => issue(1)));
    const regulator = await t.party("regulator", { regionCode: "330100" });
    const { lot: other } = await t.producerWithLot(10);
    const before = (await t.call("GET", "/v1/log")).json.size as number;
    const results = await Promise.all([
      ...Array.from({ length: 15 }, () => issue(1).then(() => 201)),
      ...earlier.map((c) => t.call("POST", `/v1/certificates/${c.id}/revoke`, { key: producer.key, body: { reason: "并发作废" } }).then((r) => r.status)),
      t.call("POST", "/v1/recalls", { key: regulator.key, body: { lotId: other.id, reason: "并发召回", scope: "lot_and_descendants" } }).then((r) => r.status),
    ]);
    expect(results).toEqual([...Array(15).fill(201), ...Array(10).fill(200), 201]);
    const leaves = await allLeaves();
    expect(leaves.map((l) => l.index)).toEqual(leaves.map((_, i) => i));
    const types = leaves.slice(before).map((l) => (JSON.parse(l.data) as { type: string }).type);
    expect(types.filter((x) => x === "certificate.issued")).toHaveLength(15);
    expect(types.filter((x) => x === "certificate.revoked")).toHaveLength(10);
    expect(types.filter((x) => x === "lot.recalled")).toHaveLength(1);
    expect(types).toHaveLength(26);
  });

  it("publishes signed checkpoints that verify with the published key, and proves inclusion and consistency", async () => {
    const key = await trustedKey();
    const info = (await t.call("GET", "/v1/log")).json;
    const first = await t.call("POST", "/v1/log/checkpoint", { key: ADMIN_KEY });
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toMatch(/^text\/plain/);
    const checked1 = await verifyCheckpoint(first.text, info.origin, [key]);
    if (!checked1.ok) throw new Error(checked1.message);
    expect(checked1.checkpoint.origin).toBe("trace.test/lotproof");
    expect((await t.call("GET", "/v1/log/checkpoint")).text).toBe(first.text);

    const cert = await issue();
    const proof = await t.call("GET", `/v1/log/proof/inclusion?certificate=${cert.code}`);
    expect(proof.status).toBe(200);
    const checked2 = await verifyCheckpoint(proof.json.checkpoint, info.origin, [key]);
    if (!checked2.ok) throw new Error(checked2.message);
    expect(checked2.checkpoint.size).toBe(proof.json.treeSize);
    expect(proof.json.treeSize).toBeGreaterThan(checked1.checkpoint.size);
    const leafHash = hashLeaf(utf8(proof.json.leafData));
    expect(verifyInclusion(leafHash, proof.json.leafIndex, proof.json.treeSize, proof.json.inclusionProof.map(b64), checked2.checkpoint.rootHash)).toEqual({ ok: true });

    const byIndex = await t.call("GET", `/v1/log/proof/inclusion?leaf=0&size=${checked1.checkpoint.size}`);
    expect(byIndex.json.checkpoint).toBe(first.text);
    expect(verifyInclusion(b64(byIndex.json.leafHash), 0, checked1.checkpoint.size, byIndex.json.inclusionProof.map(b64), checked1.checkpoint.rootHash)).toEqual({ ok: true });

    const consistency = await t.call("GET", `/v1/log/proof/consistency?from=${checked1.checkpoint.size}&to=${checked2.checkpoint.size}`);
    expect(consistency.status).toBe(200);
    expect(
      verifyConsistency(checked1.checkpoint.size, checked2.checkpoint.size, consistency.json.consistencyProof.map(b64), checked1.checkpoint.rootHash, checked2.checkpoint.rootHash),
    ).toEqual({ ok: true });
  });

  it("answers bad proof requests with 4xx problems naming the field", async () => {
    const size = (await t.call("GET", "/v1/log")).json.size as number;
    const cases: [string, number, string][] = [
      ["/v1/log/proof/inclusion", 422, "query.leaf"],
      ["/v1/log/proof/inclusion?leaf=0&certificate=X", 422, "query.leaf"],
      ["/v1/log/proof/inclusion?leaf=-1", 422, "query.leaf"],
      [`/v1/log/proof/inclusion?leaf=3&size=3`, 422, "query.size"],
      [`/v1/log/proof/inclusion?leaf=0&size=${size + 1}`, 422, "query.size"],
      [`/v1/log/proof/consistency?from=${size + 1}&to=${size}`, 422, "query.from"],
      [`/v1/log/proof/consistency?from=1&to=${size + 5}`, 422, "query.to"],
      ["/v1/log/proof/consistency?from=abc", 422, "query.from"],
      ["/v1/log/leaves?start=0&end=5000", 422, "query.end"],
    ];
    for (const [path, status, field] of cases) {
      const res = await t.call("GET", path);
      expect([path, res.status]).toEqual([path, status]);
      expect(res.headers.get("content-type")).toMatch(/problem\+json/);
      expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    expect((await t.call("GET", `/v1/log/proof/inclusion?leaf=${size + 10}`)).status).toBe(404);
    expect((await t.call("GET", "/v1/log/proof/inclusion?certificate=00000000000")).status).toBe(404);
    expect((await t.call("GET", "/v1/log/proof/inclusion?certificate=0000000001")).status).toBe(422);
  });

  it("publishes on a schedule only when the log has grown", async () => {
    let tick: (() => Promise<unknown>) | undefined;
    let period = 0;
    const stop = scheduleCheckpoints(t.deps, 60_000, (err) => { throw err; }, (run, ms) => ((tick = run), (period = ms), () => (tick = undefined)));
    expect(period).toBe(60_000);
    await issue();
    await tick!();
    const after = (await t.call("GET", "/v1/log/checkpoint")).text;
    expect(after.split("\n")[1]).toBe(String((await t.call("GET", "/v1/log")).json.size));
    const stored = async () => (await t.deps.db.execute(sql`SELECT count(*)::int AS n FROM log_checkpoints`)) as unknown;
    const count = async () => {
      const r = (await stored()) as { rows?: { n: number }[] } | { n: number }[];
      return (Array.isArray(r) ? r : (r.rows ?? []))[0]!.n;
    };
    const before = await count();
    await tick!();
    expect(await count()).toBe(before);
    stop();
    expect(tick).toBeUndefined();
  });

  it("lets only admins publish on demand", async () => {
    expect((await t.call("POST", "/v1/log/checkpoint")).status).toBe(401);
    expect((await t.call("POST", "/v1/log/checkpoint", { key: producer.key })).status).toBe(403);
  });

  it("refuses to change or remove anything in the log, whoever asks", async () => {
    for (const statement of [
      "UPDATE log_leaves SET data = 'x' WHERE idx = 0",
      "DELETE FROM log_leaves WHERE idx = 0",
      "TRUNCATE log_leaves",
      "UPDATE log_nodes SET hash = '\\x00'",
      "DELETE FROM log_checkpoints",
      "UPDATE log_head SET size = 0",
      "DELETE FROM log_head",
    ]) {
      await expect(t.deps.db.execute(sql.raw(statement)), statement).rejects.toThrow();
    }
    expect((await t.call("GET", "/v1/log/leaves?start=0&end=1")).json.leaves[0].data).not.toBe("x");
  });

  it("documents its routes and the verify result's log member in the OpenAPI description", async () => {
    const spec = (await t.call("GET", "/openapi.json")).json;
    for (const path of ["/v1/log", "/v1/log/key", "/v1/log/checkpoint", "/v1/log/proof/inclusion", "/v1/log/proof/consistency", "/v1/log/leaves"]) {
      expect(spec.paths[path], path).toBeDefined();
    }
    expect(spec.components.schemas.VerifyResponse.properties.log).toBeDefined();
  });
});

describe("verification with the log", () => {
  it("returns the issue leaf with an inclusion proof to a signed checkpoint, on verify and on the JSON view", async () => {
    const cert = await issue();
    const key = await trustedKey();
    const origin = (await t.call("GET", "/v1/log")).json.origin as string;
    for (const res of [await t.call("POST", "/v1/verify", { body: { code: cert.code } }), await t.call("GET", `/c/${cert.code}`, { headers: { accept: "application/json" } })]) {
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ valid: true, reasons: [] });
      const log = res.json.log;
      const checkpoint = await verifyCheckpoint(log.checkpoint, origin, [key]);
      if (!checkpoint.ok) throw new Error(checkpoint.message);
      expect(checkpoint.checkpoint.size).toBe(log.treeSize);
      expect(verifyInclusion(hashLeaf(utf8(log.leafData)), log.leafIndex, log.treeSize, log.inclusionProof.map(b64), checkpoint.checkpoint.rootHash)).toEqual({ ok: true });
    }
  });

  it("catches a certificate re-signed behind the application's back: the log still holds the original token", async () => {
    const cert = await issue(5);
    const [row] = await t.deps.db.select().from(certificates).where(eq(certificates.id, cert.id));
    const content = { ...row!.content, quantity: { amount: 500, unit: "kg" } };
    const payload = JSON.parse(Buffer.from(cert.jwt.split(".")[1]!, "base64url").toString("utf8"));
    payload.credentialSubject = { ...payload.credentialSubject, quantity: { amount: 500, unit: "kg" } };
    const forged = await t.deps.signer!.sign(payload, row!.issuedAt);
    await t.deps.db.update(certificates).set({ jwt: forged, content }).where(eq(certificates.id, cert.id));
    const res = await t.call("POST", "/v1/verify", { body: { code: cert.code } });
    expect(res.json.valid).toBe(false);
    expect(res.json.reasons.map((r: { code: string }) => r.code)).toContain("log_mismatch");
  });
});

describe("signing keys", () => {
  it("rotates: new certificates carry the new key, old ones keep verifying and the JWKS keeps both; both changes are logged", async () => {
    const old = await issue();
    const rotated = await t.call("POST", "/v1/admin/keys/rotate", { key: ADMIN_KEY });
    expect(rotated.status).toBe(200);
    expect(rotated.json.retiredKid).toBe(old.kid);
    const fresh = await issue();
    expect(fresh.kid).toBe(rotated.json.kid);
    expect(fresh.kid).not.toBe(old.kid);
    for (const code of [old.code, fresh.code]) {
      expect((await t.call("POST", "/v1/verify", { body: { code } })).json).toMatchObject({ valid: true, reasons: [] });
    }
    const jwks = (await t.call("GET", "/.well-known/jwks.json")).json.keys.map((k: { kid: string }) => k.kid);
    expect(jwks).toEqual(expect.arrayContaining([old.kid, fresh.kid]));
    const types = (await allLeaves()).map((l) => JSON.parse(l.data) as { type: string; kid?: string });
    expect(types).toEqual(expect.arrayContaining([expect.objectContaining({ type: "key.added", kid: fresh.kid }), expect.objectContaining({ type: "key.retired", kid: old.kid })]));
    expect((await t.call("POST", "/v1/admin/keys/rotate", { key: producer.key })).status).toBe(403);
  });

  it("marks a key compromised from a time: what it signed before still verifies, what it signed after fails", async () => {
    const before = await issue();
    t.clock.advance(3600_000);
    const after = await issue();
    const compromisedAt = new Date(t.clock.now().getTime() - 1800_000).toISOString();
    const res = await t.call("POST", `/v1/admin/keys/${after.kid}/compromise`, { key: ADMIN_KEY, body: { compromisedAt, reason: "服务器被入侵" } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ kid: after.kid, compromisedAt, current: false });
    expect((await t.call("POST", "/v1/verify", { body: { code: before.code } })).json).toMatchObject({ valid: true, reasons: [] });
    const bad = (await t.call("POST", "/v1/verify", { body: { code: after.code } })).json;
    expect(bad.valid).toBe(false);
    expect(bad.reasons).toEqual([expect.objectContaining({ code: "key_compromised", kid: after.kid })]);
    // The compromised key was the current one: it was rotated out, so new certificates are fine.
    const next = await issue();
    expect(next.kid).not.toBe(after.kid);
    expect((await t.call("POST", "/v1/verify", { body: { code: next.code } })).json.valid).toBe(true);
    const leaves = (await allLeaves()).map((l) => JSON.parse(l.data) as { type: string; kid?: string });
    expect(leaves).toContainEqual(expect.objectContaining({ type: "key.compromised", kid: after.kid, compromisedAt: compromisedAt.replace(/\.\d+Z$|Z$/, (m) => (m === "Z" ? ".000Z" : m)) }));
  });

  it("refuses bad compromise requests with field-level problems", async () => {
    const kid = (await issue()).kid;
    const future = new Date(t.clock.now().getTime() + 86400_000).toISOString();
    expect((await t.call("POST", `/v1/admin/keys/${kid}/compromise`, { key: ADMIN_KEY, body: { compromisedAt: future, reason: "x" } })).json.errors[0].path).toBe("compromisedAt");
    expect((await t.call("POST", `/v1/admin/keys/${kid}/compromise`, { key: ADMIN_KEY, body: { compromisedAt: "yesterday", reason: "x" } })).status).toBe(422);
    expect((await t.call("POST", `/v1/admin/keys/nope/compromise`, { key: ADMIN_KEY, body: { compromisedAt: t.clock.now().toISOString(), reason: "x" } })).status).toBe(404);
    expect((await t.call("POST", `/v1/admin/keys/${kid}/compromise`, { key: producer.key, body: { compromisedAt: t.clock.now().toISOString(), reason: "x" } })).status).toBe(403);
  });
});
