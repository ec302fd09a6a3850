import { createHash } from "node:crypto";
import fc from "fast-check";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { certificates } from "../../db/schema";
import { createTestContext, type TestContext } from "../../../test/support/context";
import { TEMPLATES } from "../../domain/certificate";
import { mod31CheckChar } from "../../domain/mod31";

const NEVER_ISSUED = `0000000000${mod31CheckChar("0000000000")}`;
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82, 1, 2, 3]);

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext("buyer-certificates");
});
afterAll(() => t.close());

type Party = Awaited<ReturnType<TestContext["party"]>>;
interface Cert {
  id: string;
  code: string;
  jwt: string;
  content: Record<string, unknown>;
}

/** A farmer's certificate for `quantity` kg of 雷笋. */
async function farmerCertificate(quantity = 100) {
  const { producer, lot } = await t.producerWithLot(1000);
  const res = await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, quantity, basis: "quality_control" } });
  if (res.status !== 201) throw new Error(`issue: ${res.status} ${res.text}`);
  return { producer, lot, cert: res.json as Cert };
}

/** A buyer with a mixed lot of `quantity` kg of its own, ready to certify. */
async function buyerWithLot(quantity = 1000) {
  const buyer = await t.party("buyer");
  const product = await t.call("POST", "/v1/products", { key: buyer.key, body: { name: "雷笋", category: "蔬菜", unit: "kg" } });
  const lot = await t.call("POST", "/v1/lots", { key: buyer.key, body: { productId: product.json.id, quantity, unit: "kg", harvestedAt: "2026-11-19" } });
  if (lot.status !== 201) throw new Error(`lot: ${lot.status} ${lot.text}`);
  return { buyer, lot: lot.json as { id: string } };
}

const issue = (buyer: Party, lotId: string, quantity: number, upstream: unknown[], extra: Record<string, unknown> = {}) =>
  t.call("POST", "/v1/certificates", { key: buyer.key, body: { lotId, quantity, basis: "quality_control", upstream, ...extra } });
const verify = async (code: string) => (await t.call("POST", "/v1/verify", { body: { code } })).json;
const uploadPhoto = (key: string, bytes: Uint8Array<ArrayBuffer> = PNG, type = "image/png") =>
  t.app.request("/v1/upstream-photos?filename=paper.png", { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": type }, body: bytes });

describe("a buyer's certificate (样式二)", () => {
  it("made from three farmers' lots, scans with all three upstream certificates", async () => {
    const farms = await Promise.all([farmerCertificate(100), farmerCertificate(100), farmerCertificate(100)]);
    const { buyer, lot } = await buyerWithLot();
    const res = await issue(
      buyer,
      lot.id,
      300,
      farms.map((f) => ({ kind: "certificate", code: f.cert.code, quantity: 100 })),
    );
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      templateVersion: "2025-buyer",
      content: {
        templateVersion: "2025-buyer",
        commitmentText: TEMPLATES["2025-buyer"].commitmentText,
        quantity: { amount: 300, unit: "kg" },
        issuer: { name: buyer.name, kind: "buyer" },
      },
    });
    expect(res.json.content.commitmentText).toBe(
      "我承诺销售的食用农产品：已按规定收取并保存该批次农产品承诺达标合格证或者其他质量安全合格证明；未违规使用保鲜剂、防腐剂、添加剂等。",
    );
    expect(res.json.content.upstream).toEqual(
      farms.map((f) => ({
        kind: "certificate",
        code: f.cert.code,
        quantity: { amount: 100, unit: "kg" },
        product: "雷笋",
        issuer: { name: f.producer.name, creditCode: f.producer.creditCode },
        issueDate: "2026-11-20",
      })),
    );
    // The signed credential carries the upstream references: the token alone says what the buyer collected.
    const payload = decodeJwt(res.json.jwt) as { credentialSubject: { upstream: { code: string }[] }; credentialStatus: { statusListIndex: string }[] };
    expect(payload.credentialSubject.upstream.map((u) => u.code)).toEqual(farms.map((f) => f.cert.code));
    // Its row holds the status-list place its token names, as a producer's does.
    const [row] = await t.deps.db.select().from(certificates).where(eq(certificates.id, res.json.id));
    expect(row).toMatchObject({ statusList: 0, statusIndex: Number(payload.credentialStatus[0]!.statusListIndex) });

    const verified = await verify(res.json.code);
    expect(verified).toMatchObject({ valid: true, status: "valid", reasons: [] });
    expect(verified.upstream).toHaveLength(3);
    expect(verified.upstream[0]).toEqual({
      kind: "certificate",
      code: farms[0]!.cert.code,
      quantity: { amount: 100, unit: "kg" },
      certificateQuantity: { amount: 100, unit: "kg" },
      product: { name: "雷笋", category: "蔬菜" },
      issuer: { name: farms[0]!.producer.name, creditCode: farms[0]!.producer.creditCode, regionCode: "330112", regionName: expect.any(String) },
      issueDate: "2026-11-20",
      templateVersion: "2025-producer",
      status: "valid",
      truncated: false,
      upstream: [],
    });
    // A producer's certificate has no upstream.
    expect((await verify(farms[0]!.cert.code)).upstream).toEqual([]);
    // The scan page and its JSON carry the tree as verify answers it.
    const page = await t.app.request(`/c/${res.json.code}`, { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    const html = await page.text();
    // Each upstream certificate links to its own page, its code grouped as on the label, with where its issuer is.
    for (const f of farms) expect(html).toContain(`/c/${f.cert.code}">${t.deps.codeScheme.display(f.cert.code)}</a> · 雷笋 · ${f.producer.name} · 浙江省杭州市临安区`);
    const scanned = await t.call("GET", `/c/${res.json.code}`, { headers: { accept: "application/json" } });
    expect(scanned.json.upstream.map((u: { code: string }) => u.code)).toEqual(farms.map((f) => f.cert.code));

    // A revoked upstream certificate turns the buyer's certificate red, and the reason names it.
    await t.call("POST", `/v1/certificates/${farms[1]!.cert.id}/revoke`, { key: farms[1]!.producer.key, body: { reason: "产地填写错误" } });
    const red = await verify(res.json.code);
    expect(red).toMatchObject({ valid: false, status: "revoked" });
    expect(red.reasons).toEqual([
      expect.objectContaining({ code: "upstream_revoked", upstreamCode: farms[1]!.cert.code, path: [farms[1]!.cert.code], reason: "产地填写错误" }),
    ]);
    expect(red.reasons[0].message).toContain(t.deps.codeScheme.display(farms[1]!.cert.code));
    expect(red.upstream.map((u: { status: string }) => u.status)).toEqual(["valid", "revoked", "valid"]);
    // The gate sees it too: the clerk may not accept it.
    const market = await t.party("market");
    const gate = await t.call("POST", "/v1/market/check", { key: market.key, body: { code: res.json.code } });
    expect(gate.json).toMatchObject({ status: "revoked", verdict: { decision: "reject" }, upstream: { count: 3, onPlatform: 3, external: 0, notValid: [farms[1]!.cert.code] } });
  });

  it("reserves what it claims: the same upstream quantity cannot be claimed twice, and voiding gives it back", async () => {
    const farm = await farmerCertificate(100);
    const first = await buyerWithLot();
    const second = await buyerWithLot();
    const body = { lotId: first.lot.id, quantity: 60, basis: "quality_control", upstream: [{ kind: "certificate", code: farm.cert.code, quantity: 60 }] };
    const a = await t.call("POST", "/v1/certificates", { key: first.buyer.key, body, headers: { "idempotency-key": "buyer-retry-0001" } });
    expect(a.status).toBe(201);
    // A retry over a weak network gets the same certificate and claims nothing more.
    const retried = await t.call("POST", "/v1/certificates", { key: first.buyer.key, body, headers: { "idempotency-key": "buyer-retry-0001" } });
    expect(retried.status).toBe(200);
    expect(retried.json.code).toBe(a.json.code);
    const b = await issue(second.buyer, second.lot.id, 50, [{ kind: "certificate", code: farm.cert.code, quantity: 50, unit: "kg" }]);
    expect(b.status).toBe(422);
    expect(b.headers.get("content-type")).toContain("application/problem+json");
    expect(b.json).toMatchObject({ type: "https://lotproof.dev/problems/upstream-refused" });
    expect(b.json.errors).toEqual([{ path: "upstream.0.quantity", message: expect.stringContaining("has 40 kg left to claim; 50 kg were claimed") }]);
    // 80 斤 is 40 kg: exactly what is left.
    const c = await issue(second.buyer, second.lot.id, 40, [{ kind: "certificate", code: farm.cert.code, quantity: 80, unit: "斤" }]);
    expect(c.status).toBe(201);
    const d = await issue(second.buyer, second.lot.id, 1, [{ kind: "certificate", code: farm.cert.code, quantity: 1 }]);
    expect(d.json.errors[0]).toMatchObject({ path: "upstream.0.quantity" });
    await t.call("POST", `/v1/certificates/${a.json.id}/revoke`, { key: first.buyer.key, body: { reason: "重复开具" } });
    expect((await issue(second.buyer, second.lot.id, 60, [{ kind: "certificate", code: farm.cert.code, quantity: 60 }])).status).toBe(201);
  });

  it("uses a certificate's goods once: what markets received and what buyers claimed share its quantity", async () => {
    const farm = await farmerCertificate(100);
    const market = await t.party("market");
    const receive = (quantity: number) =>
      t.call("POST", "/v1/market/receipts", { key: market.key, body: { code: farm.cert.code, sellerName: "王老板", quantity, unit: "kg", decision: "accept" } });
    expect((await receive(30)).status).toBe(201);
    const { buyer, lot } = await buyerWithLot();
    const over = await issue(buyer, lot.id, 80, [{ kind: "certificate", code: farm.cert.code, quantity: 80 }]);
    expect(over.json.errors).toEqual([{ path: "upstream.0.quantity", message: expect.stringContaining("has 70 kg left to claim") }]);
    expect((await issue(buyer, lot.id, 70, [{ kind: "certificate", code: farm.cert.code, quantity: 70 }])).status).toBe(201);
    const check = await t.call("POST", "/v1/market/check", { key: market.key, body: { code: farm.cert.code } });
    expect(check.json).toMatchObject({ received: 30, claimed: 70, remaining: 0, verdict: { decision: "reject", reasons: [{ code: "quantity_exhausted" }] } });
    const late = await receive(1);
    expect(late.status).toBe(409);
    expect(late.json).toMatchObject({ type: "https://lotproof.dev/problems/certificate-quantity-exceeded", remaining: 0 });
  });

  it("never lets concurrent buyers and markets use more than an upstream certificate covers", async () => {
    const farm = await farmerCertificate(100);
    const markets = await Promise.all([t.party("market"), t.party("market")]);
    const buyers = await Promise.all(Array.from({ length: 3 }, () => buyerWithLot()));
    const attempts = await Promise.all(
      Array.from({ length: 30 }, (_, i) => {
        if (i % 3 === 0) {
          const market = markets[i % 2]!;
          return t.call("POST", "/v1/market/receipts", { key: market.key, body: { code: farm.cert.code, sellerName: "王老板", quantity: 9, unit: "kg", decision: "accept" } });
        }
        const b = buyers[i % buyers.length]!;
        return issue(b.buyer, b.lot.id, 9, [{ kind: "certificate", code: farm.cert.code, quantity: 9 }]);
      }),
    );
    const statuses = attempts.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(11); // 11 × 9 = 99 ≤ 100 < 108
    expect(statuses.filter((s) => s !== 201).every((s) => s === 409 || s === 422)).toBe(true);
    const check = await t.call("POST", "/v1/market/check", { key: markets[0]!.key, body: { code: farm.cert.code } });
    expect(check.json.received + check.json.claimed).toBe(99);
  });

  it("never lets concurrent buyers claim more than an upstream certificate covers", async () => {
    const farm = await farmerCertificate(100);
    const buyers = await Promise.all(Array.from({ length: 4 }, () => buyerWithLot()));
    const attempts = await Promise.all(
      Array.from({ length: 24 }, (_, i) => {
        const b = buyers[i % buyers.length]!;
        return issue(b.buyer, b.lot.id, 9, [{ kind: "certificate", code: farm.cert.code, quantity: 9 }]);
      }),
    );
    const statuses = attempts.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(11); // 11 × 9 = 99 ≤ 100 < 108
    expect(statuses.filter((s) => s === 422)).toHaveLength(13);
    for (const refused of attempts.filter((r) => r.status === 422)) expect(refused.json.errors[0].path).toBe("upstream.0.quantity");
  });

  it("names external certificates: another platform's code, and a paper certificate with its photo", async () => {
    const farm = await farmerCertificate(100);
    const { buyer, lot } = await buyerWithLot();
    const up = await uploadPhoto(buyer.key);
    expect(up.status).toBe(201);
    const photo = (await up.json()) as { id: string; sha256: string; url: string };
    expect(photo.sha256).toBe(createHash("sha256").update(PNG).digest("hex"));
    const res = await issue(buyer, lot.id, 250, [
      { kind: "certificate", code: farm.cert.code, quantity: 100 },
      { kind: "other_platform", platform: "浙江省农产品质量安全追溯平台", code: "ZJ-2026-000123", quantity: 100, unit: "kg" },
      { kind: "paper", number: "No.0088", photoId: photo.id, quantity: 100, unit: "斤" },
    ]);
    expect(res.status).toBe(201);
    expect(res.json.content.upstream.slice(1)).toEqual([
      { kind: "other_platform", platform: "浙江省农产品质量安全追溯平台", code: "ZJ-2026-000123", quantity: { amount: 100, unit: "kg" } },
      { kind: "paper", number: "No.0088", quantity: { amount: 100, unit: "斤" }, photo: { id: photo.id, sha256: photo.sha256 } },
    ]);
    // The photo is bound into the credential by its digest.
    const payload = decodeJwt(res.json.jwt) as { relatedResource: { id: string; digestSRI: string }[] };
    expect(payload.relatedResource).toEqual([{ id: photo.url, digestSRI: `sha256-${createHash("sha256").update(PNG).digest("base64")}` }]);
    const verified = await verify(res.json.code);
    expect(verified.status).toBe("valid");
    expect(verified.upstream.slice(1)).toEqual([
      { kind: "other_platform", platform: "浙江省农产品质量安全追溯平台", code: "ZJ-2026-000123", quantity: { amount: 100, unit: "kg" }, status: "unverified" },
      { kind: "paper", number: "No.0088", quantity: { amount: 100, unit: "斤" }, photoId: photo.id, status: "unverified" },
    ]);
    const market = await t.party("market");
    const gate = await t.call("POST", "/v1/market/check", { key: market.key, body: { code: res.json.code } });
    expect(gate.json.upstream).toEqual({ count: 3, onPlatform: 1, external: 2, notValid: [] });

    // The photo is the buyer's (and its regulators'), no one else's.
    const own = await t.app.request(`/v1/upstream-photos/${photo.id}`, { headers: { authorization: `Bearer ${buyer.key}` } });
    expect(own.status).toBe(200);
    expect(new Uint8Array(await own.arrayBuffer())).toEqual(PNG);
    const regulator = await t.party("regulator", { regionCode: "330100" });
    expect((await t.app.request(`/v1/upstream-photos/${photo.id}`, { headers: { authorization: `Bearer ${regulator.key}` } })).status).toBe(200);
    const other = await buyerWithLot();
    expect((await t.app.request(`/v1/upstream-photos/${photo.id}`, { headers: { authorization: `Bearer ${other.buyer.key}` } })).status).toBe(404);
    const stolen = await issue(other.buyer, other.lot.id, 10, [{ kind: "paper", number: "No.0088", photoId: photo.id, quantity: 10, unit: "kg" }]);
    expect(stolen.status).toBe(422);
    expect(stolen.json.errors).toEqual([{ path: "upstream.0.photoId", message: expect.stringContaining("was uploaded by you") }]);
  });

  it("refuses bad upstream entries with the entry and the rule", async () => {
    const farm = await farmerCertificate(100);
    const revoked = await farmerCertificate(50);
    await t.call("POST", `/v1/certificates/${revoked.cert.id}/revoke`, { key: revoked.producer.key, body: { reason: "作废" } });
    const { buyer, lot } = await buyerWithLot();
    const cases: [unknown[], number, string, string][] = [
      [[{ kind: "certificate", code: NEVER_ISSUED, quantity: 10 }], 10, "upstream.0.code", "was issued here"],
      [[{ kind: "certificate", code: "1234567890A", quantity: 10 }], 10, "upstream.0.code", ""],
      [[{ kind: "certificate", code: revoked.cert.code, quantity: 10 }], 10, "upstream.0.code", "is revoked"],
      [[{ kind: "certificate", code: farm.cert.code, quantity: 10, unit: "箱" }], 10, "upstream.0.unit", "cannot be converted"],
      [[{ kind: "certificate", code: farm.cert.code, quantity: 200 }], 200, "upstream.0.quantity", "left to claim"],
      [[{ kind: "certificate", code: farm.cert.code, quantity: 10 }], 20, "upstream", "cover 10 kg, less than the 20 kg certified"],
      [
        [
          { kind: "certificate", code: farm.cert.code, quantity: 5 },
          { kind: "certificate", code: farm.cert.code, quantity: 5 },
        ],
        10,
        "upstream.1.code",
        "names the same certificate as upstream.0",
      ],
      [[{ kind: "paper", number: "No.1", photoId: "nope", quantity: 10, unit: "kg" }], 10, "upstream.0.photoId", "no photo"],
      [[], 10, "upstream", ""],
      [[{ kind: "fax", code: "x", quantity: 1 }], 1, "upstream.0.kind", ""],
      [[{ kind: "other_platform", code: "x", quantity: 1, unit: "kg" }], 1, "upstream.0.platform", ""],
    ];
    for (const [upstream, quantity, path, message] of cases) {
      const res = await issue(buyer, lot.id, quantity, upstream);
      expect(res.status, JSON.stringify(upstream)).toBe(422);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      const found = (res.json.errors as { path: string; message: string }[]).find((e) => e.path === path);
      expect(found, `${JSON.stringify(upstream)} → ${res.text}`).toBeDefined();
      expect(found!.message).toContain(message);
    }
    // Nothing was reserved by the refused requests.
    expect((await issue(buyer, lot.id, 100, [{ kind: "certificate", code: farm.cert.code, quantity: 100 }])).status).toBe(201);
    // A buyer's certificate needs upstream certificates; a producer's may not name any.
    const none = await t.call("POST", "/v1/certificates", { key: buyer.key, body: { lotId: lot.id, quantity: 1, basis: "quality_control" } });
    expect(none.status).toBe(422);
    expect(none.json.errors[0].path).toBe("upstream");
    const producer = await t.producerWithLot(100);
    const wrong = await t.call("POST", "/v1/certificates", {
      key: producer.producer.key,
      body: { lotId: producer.lot.id, quantity: 1, basis: "quality_control", upstream: [{ kind: "certificate", code: farm.cert.code, quantity: 1 }] },
    });
    expect(wrong.status).toBe(422);
    expect(wrong.json.errors).toEqual([{ path: "upstream", message: "only a buyer's certificate (样式二) names upstream certificates" }]);
    // Another party's lot is unknown.
    const stranger = await buyerWithLot();
    expect((await issue(stranger.buyer, lot.id, 1, [{ kind: "certificate", code: farm.cert.code, quantity: 1 }])).status).toBe(404);
    const market = await t.party("market");
    expect((await issue(market, lot.id, 1, [{ kind: "certificate", code: farm.cert.code, quantity: 1 }])).status).toBe(422);
  });

  it("inherits recalls and failed tests from any depth, saying through which certificates", async () => {
    const farm = await farmerCertificate(100);
    const other = await farmerCertificate(100);
    const wholesaler = await buyerWithLot();
    const w = await issue(wholesaler.buyer, wholesaler.lot.id, 150, [
      { kind: "certificate", code: farm.cert.code, quantity: 100 },
      { kind: "certificate", code: other.cert.code, quantity: 50 },
    ]);
    expect(w.status).toBe(201);
    const retailer = await buyerWithLot();
    const r = await issue(retailer.buyer, retailer.lot.id, 20, [{ kind: "certificate", code: w.json.code, quantity: 20 }]);
    expect(r.status).toBe(201);
    const tree = await verify(r.json.code);
    expect(tree.status).toBe("valid");
    expect(tree.upstream[0]).toMatchObject({ code: w.json.code, templateVersion: "2025-buyer", upstream: [{ code: farm.cert.code }, { code: other.cert.code }] });

    // A market's rapid test fails the second farm's lot: both buyers' certificates answer failed_test.
    const market = await t.party("market");
    const test = await t.call("POST", "/v1/tests", {
      key: market.key,
      body: { lotId: other.lot.id, kind: "market_rapid", method: "enzyme_inhibition", results: [{ value: 80, unit: "%" }] },
    });
    expect(test.status).toBe(201);
    const failed = await verify(r.json.code);
    expect(failed).toMatchObject({ valid: false, status: "failed_test" });
    expect(failed.reasons).toEqual([expect.objectContaining({ code: "upstream_failed_test", upstreamCode: other.cert.code, path: [w.json.code, other.cert.code], testId: test.json.id })]);
    expect(failed.upstream[0]).toMatchObject({ status: "failed_test", upstream: [{ status: "valid" }, { status: "failed_test" }] });

    // A recall of the first farm's lot outranks the failure.
    const regulator = await t.party("regulator", { regionCode: "330100" });
    const recall = await t.call("POST", "/v1/recalls", { key: regulator.key, body: { lotId: farm.lot.id, reason: "监督抽检克百威超标", scope: "lot_and_descendants" } });
    expect(recall.status).toBe(201);
    const recalled = await verify(r.json.code);
    expect(recalled.status).toBe("recalled");
    expect(recalled.reasons.map((x: { code: string; upstreamCode: string }) => [x.code, x.upstreamCode])).toEqual([
      ["upstream_recalled", farm.cert.code],
      ["upstream_failed_test", other.cert.code],
    ]);
    expect(recalled.reasons[0]).toMatchObject({ recallId: recall.json.recall.id, reason: "监督抽检克百威超标", messageZh: expect.stringContaining("召回") });
    const gate = await t.call("POST", "/v1/market/check", { key: market.key, body: { code: r.json.code } });
    expect(gate.json).toMatchObject({ status: "recalled", verdict: { decision: "reject" } });
    expect(gate.json.recalls).toEqual([{ recallId: recall.json.recall.id, lotId: farm.lot.id, reason: "监督抽检克百威超标", recalledAt: expect.any(String), via: farm.cert.code }]);
    const direct = await t.call("POST", "/v1/market/check", { key: market.key, body: { code: farm.cert.code } });
    expect(direct.json.recalls).toEqual([expect.objectContaining({ recallId: recall.json.recall.id, via: null })]);
    // A recalled certificate can be held or rejected at the gate, never accepted.
    const accept = await t.call("POST", "/v1/market/receipts", { key: market.key, body: { code: r.json.code, sellerName: "李四", quantity: 1, unit: "kg", decision: "accept" } });
    expect(accept.status).toBe(409);
    const hold = await t.call("POST", "/v1/market/receipts", { key: market.key, body: { code: r.json.code, sellerName: "李四", quantity: 1, unit: "kg", decision: "hold", reason: "上游召回" } });
    expect(hold.status).toBe(201);
    // Nor can a buyer name it upstream any more.
    const late = await buyerWithLot();
    const refused = await issue(late.buyer, late.lot.id, 5, [{ kind: "certificate", code: w.json.code, quantity: 5 }]);
    expect(refused.json.errors).toEqual([{ path: "upstream.0.code", message: expect.stringContaining("is recalled") }]);
  });

  it("answers any upstream list with a 2xx or a 4xx problem, never a 500", async () => {
    const farm = await farmerCertificate(1000);
    const { buyer, lot } = await buyerWithLot(1e6);
    const entry = fc.oneof(
      fc.record({ kind: fc.constant("certificate"), code: fc.oneof(fc.constant(farm.cert.code), fc.string({ maxLength: 70 })), quantity: fc.double({ noNaN: false }), unit: fc.constantFrom("kg", "斤", "箱", "x") }, { requiredKeys: ["kind"] }),
      fc.record({ kind: fc.constantFrom("other_platform", "paper", "?"), platform: fc.string(), code: fc.string(), number: fc.string(), photoId: fc.string(), quantity: fc.integer(), unit: fc.string() }, { requiredKeys: [] }),
      fc.anything(),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { maxLength: 4 }), fc.oneof(fc.integer({ min: -5, max: 50 }), fc.constant(0.0001)), async (upstream, quantity) => {
        const res = await issue(buyer, lot.id, quantity, upstream);
        expect(res.status, res.text).toBeLessThan(500);
        if (res.status >= 400) expect(res.headers.get("content-type")).toContain("application/problem+json");
      }),
      { numRuns: 60 },
    );
  });

  it("documents the upstream tree in /openapi.json", async () => {
    const spec = (await t.call("GET", "/openapi.json")).json;
    const verifyResponse = spec.components.schemas.VerifyResponse;
    expect(verifyResponse.properties.upstream.items).toEqual({ $ref: "#/components/schemas/UpstreamNode" });
    expect(JSON.stringify(spec.components.schemas.UpstreamNode)).toContain("#/components/schemas/UpstreamNode");
    expect(spec.components.schemas.NewCertificate.properties.upstream).toBeDefined();
    expect(spec.paths["/v1/upstream-photos"].post).toBeDefined();
  });
});
