import { gunzipSync } from "node:zlib";
import { createLocalJWKSet, decodeJwt, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../../test/support/context";
import { eq } from "drizzle-orm";
import { pgError, UNIQUE_VIOLATION } from "../../db/errors";
import { certificates } from "../../db/schema";
import { readStatus, STATUS_LIST_SIZE } from "../../domain/status-list";
import { createStatusAllocator } from "../../services/status-lists";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext("status-lists", { responseCache: true });
});
afterAll(() => t.close());

type Entry = { statusPurpose: string; statusListIndex: string; statusListCredential: string };

async function issue(key: string, lotId: string, quantity = 10) {
  const res = await t.call("POST", "/v1/certificates", { key, body: { lotId, quantity, basis: "quality_control" } });
  if (res.status !== 201) throw new Error(`issue: ${res.status} ${res.text}`);
  return res.json as { id: string; code: string; jwt: string };
}

const entriesOf = (jwt: string) => decodeJwt(jwt)["credentialStatus"] as Entry[];

/** What any verifier does: fetch the list the entry names (as vc+jwt), check its signature with the JWKS, read the bit. */
async function genericStatus(jwt: string): Promise<Record<string, boolean>> {
  const jwks = createLocalJWKSet((await t.call("GET", "/.well-known/jwks.json")).json);
  const out: Record<string, boolean> = {};
  for (const entry of entriesOf(jwt)) {
    const path = new URL(entry.statusListCredential).pathname;
    const res = await t.call("GET", path, { headers: { accept: "application/vc+jwt" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vc+jwt");
    const { payload, protectedHeader } = await jwtVerify(res.text, jwks, { typ: "vc+jwt" });
    expect(protectedHeader.alg).toBe("EdDSA");
    const read = await readStatus(entry, payload);
    if (!read.ok) throw new Error(read.message);
    out[entry.statusPurpose] = read.set;
  }
  return out;
}

const verify = async (code: string) => (await t.call("POST", "/v1/verify", { body: { code } })).json as { status: string; valid: boolean };

describe("credentialStatus on issued certificates", () => {
  it("names a revocation and a suspension list at the same index, distinct for every certificate", async () => {
    const { producer, lot } = await t.producerWithLot(1000);
    const issued = await Promise.all(Array.from({ length: 20 }, () => issue(producer.key, lot.id, 5)));
    const seen = new Set<string>();
    for (const cert of issued) {
      const [revocation, suspension] = entriesOf(cert.jwt);
      expect(revocation).toMatchObject({ type: "BitstringStatusListEntry", statusPurpose: "revocation", statusListCredential: "https://trace.test/v1/status-lists/revocation/0" });
      expect(suspension).toMatchObject({ statusPurpose: "suspension", statusListIndex: revocation!.statusListIndex, statusListCredential: "https://trace.test/v1/status-lists/suspension/0" });
      seen.add(revocation!.statusListIndex);
    }
    expect(seen.size).toBe(20);
    // The row carries the place its token names: that is the bit a revocation sets.
    for (const cert of issued) {
      const [row] = await t.deps.db.select().from(certificates).where(eq(certificates.id, cert.id));
      const [revocation] = entriesOf(cert.jwt);
      expect(row).toMatchObject({ statusList: 0, statusIndex: Number(revocation!.statusListIndex) });
    }
  });

  it("cannot store two certificates on one bit: the database refuses the second INSERT", async () => {
    const { producer, lot } = await t.producerWithLot(100);
    const first = await issue(producer.key, lot.id);
    const [row] = await t.deps.db.select().from(certificates).where(eq(certificates.id, first.id));
    const copy = { ...row!, id: `${row!.id}x`, code: `${row!.code}X`, idempotencyKey: null };
    const err = await t.deps.db.insert(certificates).values(copy).then(() => null, (e: unknown) => e);
    expect(pgError(err)).toMatchObject({ code: UNIQUE_VIOLATION, constraint: "certificates_status_place_key" });
  });

  it("hands out distinct places to allocators racing over the same database (as separate processes would)", async () => {
    const a = createStatusAllocator(t.deps.db);
    const b = createStatusAllocator(t.deps.db);
    const places = await Promise.all(Array.from({ length: 300 }, (_, i) => (i % 2 === 0 ? a() : b())));
    expect(new Set(places.map((p) => `${p.list}:${p.index}`)).size).toBe(300);
  });
});

describe("GET /v1/status-lists/{purpose}/{list}", () => {
  it("agrees with verify for valid, revoked, recalled and failed certificates", async () => {
    const { producer, lot } = await t.producerWithLot(1000);
    const valid = await issue(producer.key, lot.id);
    const revoked = await issue(producer.key, lot.id);
    await t.call("POST", `/v1/certificates/${revoked.id}/revoke`, { key: producer.key, body: { reason: "数量填写错误" } });

    const recalledLot = await t.producerWithLot(100);
    const recalled = await issue(recalledLot.producer.key, recalledLot.lot.id);
    // A lot split from the recalled one is recalled too.
    const split = await t.call("POST", `/v1/lots/${recalledLot.lot.id}/split`, { key: recalledLot.producer.key, body: { children: [{ quantity: 50, unit: "kg" }] } });
    const child = await issue(recalledLot.producer.key, split.json.lots[0].id);
    const regulator = await t.party("regulator", { regionCode: "330112" });
    const recall = await t.call("POST", "/v1/recalls", { key: regulator.key, body: { lotId: recalledLot.lot.id, reason: "监督抽检不合格" } });
    expect(recall.status).toBe(201);

    const failedLot = await t.producerWithLot(100);
    const failed = await issue(failedLot.producer.key, failedLot.lot.id);
    const test = await t.call("POST", "/v1/tests", {
      key: failedLot.producer.key,
      body: { lotId: failedLot.lot.id, kind: "self_test", method: "enzyme_inhibition", results: [{ value: 80, unit: "%" }] },
    });
    expect(test.json.verdict).toBe("fail");

    const cases = [
      [valid, "valid", { revocation: false, suspension: false }],
      [revoked, "revoked", { revocation: true, suspension: false }],
      [recalled, "recalled", { revocation: false, suspension: true }],
      [child, "recalled", { revocation: false, suspension: true }],
      [failed, "failed_test", { revocation: false, suspension: true }],
    ] as const;
    for (const [cert, status, bits] of cases) {
      expect((await verify(cert.code)).status).toBe(status);
      expect(await genericStatus(cert.jwt)).toEqual(bits);
    }

    // Lifting the recall clears the suspension bits (the cached list was purged by the change).
    const lifted = await t.call("POST", `/v1/recalls/${recall.json.recall.id}/lift`, { key: regulator.key, body: { reason: "复检合格" } });
    expect(lifted.status).toBe(200);
    for (const cert of [recalled, child]) {
      expect((await verify(cert.code)).status).toBe("valid");
      expect(await genericStatus(cert.jwt)).toEqual({ revocation: false, suspension: false });
    }
  });

  it("serves JSON by default: GZIP base64url with the multibase prefix, 131,072 bits, cacheable briefly", async () => {
    const { producer, lot } = await t.producerWithLot(100);
    const cert = await issue(producer.key, lot.id);
    await t.call("POST", `/v1/certificates/${cert.id}/revoke`, { key: producer.key, body: { reason: "重复开具" } });
    const index = Number(entriesOf(cert.jwt)[0]!.statusListIndex);
    const res = await t.call("GET", "/v1/status-lists/revocation/0");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=30, stale-while-revalidate=30");
    expect(res.headers.get("etag")).toMatch(/^"/);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.json).toMatchObject({
      id: "https://trace.test/v1/status-lists/revocation/0",
      type: ["VerifiableCredential", "BitstringStatusListCredential"],
      issuer: "https://trace.test",
      credentialSubject: { type: "BitstringStatusList", statusPurpose: "revocation" },
    });
    const bits = gunzipSync(Buffer.from((res.json.credentialSubject.encodedList as string).slice(1), "base64url"));
    expect(bits.length * 8).toBe(STATUS_LIST_SIZE);
    expect((bits[index >> 3]! >> (7 - (index % 8))) & 1).toBe(1);
    expect((await t.call("GET", "/v1/status-lists/revocation/0?format=jwt")).text.split(".")).toHaveLength(3);
    const again = await t.call("GET", "/v1/status-lists/revocation/0");
    expect(again.headers.get("x-cache")).toBe("hit");
  });

  it("answers bad input with problem+json naming the field, and an unused list with 404", async () => {
    const bad = await t.call("GET", "/v1/status-lists/expiry/0");
    expect(bad.status).toBe(422);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    expect(bad.json.errors[0].path).toBe("param.purpose");
    expect((await t.call("GET", "/v1/status-lists/revocation/-1")).json.errors[0].path).toBe("param.list");
    expect((await t.call("GET", "/v1/status-lists/revocation/0?format=xml")).json.errors[0].path).toBe("query.format");
    const unused = await t.call("GET", "/v1/status-lists/revocation/99");
    expect(unused.status).toBe(404);
    expect(unused.headers.get("content-type")).toContain("application/problem+json");
  });
});
