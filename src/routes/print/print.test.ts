import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, createTestContext, PUBLIC_URL, type TestContext } from "../../../test/support/context";
import { BASES, TEMPLATES, type CertificateContent } from "../../domain/certificate";
import { certificates, logLeaves } from "../../db/schema";
import { labelFields } from "../../render/pdf/layout";
import { SIZE_PRESETS, sheetFor } from "../../render/pdf/presets";
import { decodeQr, pdfInfo, pdfPagePng, pdfText } from "../../render/pdf/test-support";
import { qrSvg } from "../../render/qr";
import { printRouter } from "./pdf";

let t: TestContext;
let producer: Awaited<ReturnType<TestContext["party"]>>;
let lot: { id: string; code: string };
let cert: { id: string; code: string; url: string; content: CertificateContent };

beforeAll(async () => {
  t = await createTestContext("print", { originRouters: [printRouter] });
  const made = await t.producerWithLot(1000);
  producer = made.producer;
  lot = made.lot;
  cert = (await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, quantity: 100, basis: "quality_control", copies: 2 } })).json;
});
afterAll(() => t.close());

async function fetchPdf(path: string, key?: string, init: { method?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = {};
  if (key !== undefined) headers["authorization"] = `Bearer ${key}`;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  const res = await t.app.request(path, { method: init.method ?? "GET", headers, ...(init.body !== undefined && { body: JSON.stringify(init.body) }) });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

const squash = (s: string) => s.replace(/\s+/g, "");
const DPI = 300;
const px = (pt: number) => (pt * DPI) / 72;

/** Every string a reader must find: title, each template field and its value, commitment text, the three options, code, date. */
function expectedTexts(content: CertificateContent): string[] {
  return [
    content.title,
    ...labelFields(content).flatMap((f) => [f.label, f.value]),
    content.commitmentText,
    ...BASES.map((b) => TEMPLATES[content.templateVersion].basisLabels[b]),
    content.code,
    "承诺依据",
    "开具日期",
    content.issueDate,
  ];
}

describe("GET /v1/certificates/{id}/pdf", () => {
  it.each(SIZE_PRESETS)("renders %s with every field in Chinese and a QR code that scans to the certificate", async (size) => {
    const { res, bytes } = await fetchPdf(`/v1/certificates/${cert.id}/pdf?size=${size}&copies=1`, producer.key);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toBe(`inline; filename="certificate-${cert.code}-${size}.pdf"`);
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    const text = squash(pdfText(bytes, { raw: true }));
    for (const expected of expectedTexts(cert.content)) expect(text, expected).toContain(squash(expected));
    const png = pdfPagePng(bytes, 1, DPI);
    const sheet = sheetFor(size);
    const cell = sheet.cells[0]!;
    expect(decodeQr(png, { x: px(cell.x), y: px(cell.y), width: px(sheet.label.width), height: px(sheet.label.height) })).toBe(`${PUBLIC_URL}/c/${cert.code}`);
  });

  it("fits the longest names, addresses and contacts the API accepts on every size, still scannable", async () => {
    const long = (n: number, seed: string) => Array.from({ length: n }, (_, i) => seed[i % seed.length]).join("");
    const farm = await t.party("family_farm", { name: long(100, "浙江省金华市浦江县某某果蔬专业合作社联合社"), contactName: long(40, "欧阳某某"), phone: "+86-0579-84123456", address: long(200, "黄宅镇某某村某某路八十八号") });
    const site = await t.call("POST", "/v1/sites", { key: farm.key, body: { name: long(100, "大棚"), regionCode: "330726", address: long(200, "浦江县黄宅镇某某村某某路八十八号") } });
    const product = await t.call("POST", "/v1/products", { key: farm.key, body: { name: long(60, "精品有机红心猕猴桃礼盒装特级鲜果"), category: "水果", unit: "公斤" } });
    const longLot = await t.call("POST", "/v1/lots", { key: farm.key, body: { productId: product.json.id, siteId: site.json.id, quantity: 999_999_999_999.999, unit: "公斤", harvestedAt: "2026-11-19" } });
    expect(longLot.status).toBe(201);
    const issued = await t.call("POST", "/v1/certificates", { key: farm.key, body: { lotId: longLot.json.id, basis: "quality_control", copies: 500 } });
    expect(issued.status).toBe(201);
    for (const size of SIZE_PRESETS) {
      const { res, bytes } = await fetchPdf(`/v1/certificates/${issued.json.id}/pdf?size=${size}&copies=1`, farm.key);
      expect(res.status, size).toBe(200);
      const text = squash(pdfText(bytes, { raw: true }));
      for (const expected of [issued.json.content.title, issued.json.content.commitmentText, issued.json.content.code, "999999999999.999公斤", "精品有机红心"]) expect(text, `${size}: ${expected}`).toContain(squash(expected));
      const sheet = sheetFor(size);
      const cell = sheet.cells[0]!;
      expect(decodeQr(pdfPagePng(bytes, 1, DPI), { x: px(cell.x), y: px(cell.y), width: px(sheet.label.width), height: px(sheet.label.height) }), size).toBe(issued.json.url);
    }
  });

  it("prints the certificate's position in the transparency log", async () => {
    const [leaf] = await t.deps.db.select({ idx: logLeaves.idx }).from(logLeaves).where(and(eq(logLeaves.certificateCode, cert.code), eq(logLeaves.type, "certificate.issued")));
    expect(leaf).toBeDefined();
    const { bytes } = await fetchPdf(`/v1/certificates/${cert.id}/pdf?copies=1`, producer.key);
    expect(squash(pdfText(bytes))).toContain(`日志序号#${leaf!.idx}`);
  });

  it("prints the certificate's own copies by default, each marked 第 i / N 张, and ?copies= overrides", async () => {
    const byDefault = await fetchPdf(`/v1/certificates/${cert.id}/pdf`, producer.key);
    expect(pdfInfo(byDefault.bytes).Pages).toBe("2");
    expect(squash(pdfText(byDefault.bytes))).toContain("第2/2张");
    const five = await fetchPdf(`/v1/certificates/${cert.id}/pdf?copies=5`, producer.key);
    expect(pdfInfo(five.bytes).Pages).toBe("5");
    expect(squash(pdfText(five.bytes))).toContain("第5/5张");
  });

  it("gives the same bytes for the same certificate, with title, issuer and issue time as metadata", async () => {
    const a = await fetchPdf(`/v1/certificates/${cert.id}/pdf?size=a6`, producer.key);
    const b = await fetchPdf(`/v1/certificates/${cert.id}/pdf?size=a6`, ADMIN_KEY);
    expect(a.bytes.equals(b.bytes)).toBe(true);
    const info = pdfInfo(a.bytes);
    expect(info.Title).toBe(`承诺达标合格证 ${cert.content.code}`);
    expect(info.Author).toBe(producer.name);
    expect(new Date(info.CreationDate!).toISOString()).toBe(cert.content.issuedAt);
  });

  it("renders 样式二 wording when the certificate was issued on the buyer's template", async () => {
    const other = (await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, quantity: 10, basis: "self_test" } }));
    // A basis without tests is refused by the gate; issue plainly, then give the stored row the buyer's template as a buyer's issue would.
    const issued = other.status === 201 ? other.json : (await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, quantity: 10, basis: "quality_control" } })).json;
    const buyer = TEMPLATES["2025-buyer"];
    const content: CertificateContent = { ...issued.content, templateVersion: buyer.version, commitmentText: buyer.commitmentText, basis: "entrusted_test", basisLabel: buyer.basisLabels.entrusted_test };
    await t.deps.db.update(certificates).set({ content, templateVersion: buyer.version }).where(eq(certificates.id, issued.id));
    const { res, bytes } = await fetchPdf(`/v1/certificates/${issued.id}/pdf?copies=1`, producer.key);
    expect(res.status).toBe(200);
    const text = squash(pdfText(bytes));
    expect(text).toContain(squash(buyer.commitmentText));
    expect(text).not.toContain(squash(TEMPLATES["2025-producer"].commitmentText));
  });

  it("answers 400 naming the parameter and the bound for copies or size out of range", async () => {
    for (const [query, path, message] of [
      ["copies=501", "query.copies", "at most 500"],
      ["copies=0", "query.copies", "at least 1"],
      ["copies=two", "query.copies", "whole number"],
      ["size=letter", "query.size", "must be one of label-60x80"],
    ] as const) {
      const res = await t.call("GET", `/v1/certificates/${cert.id}/pdf?${query}`, { key: producer.key });
      expect(res.status, query).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(res.json.errors[0].path).toBe(path);
      expect(res.json.errors[0].message).toContain(message);
    }
  });

  it("is readable by the owner, admins and regulators over the region, and by no one else", async () => {
    const regulator = await t.party("regulator", { regionCode: "330100" });
    const farRegulator = await t.party("regulator", { regionCode: "110000" });
    const rival = (await t.producerWithLot(10)).producer;
    const market = await t.party("market");
    const status = async (key?: string) => (await t.call("GET", `/v1/certificates/${cert.id}/pdf?copies=1`, key === undefined ? {} : { key })).status;
    expect(await status(regulator.key)).toBe(200);
    expect(await status(ADMIN_KEY)).toBe(200);
    expect(await status()).toBe(401);
    expect(await status(rival.key)).toBe(404);
    expect(await status(farRegulator.key)).toBe(404);
    expect(await status(market.key)).toBe(404);
    expect((await t.call("GET", `/v1/certificates/no-such-id/pdf`, { key: producer.key })).status).toBe(404);
  });

  it("refuses to print a revoked certificate", async () => {
    const doomed = (await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, quantity: 5, basis: "quality_control" } })).json;
    await t.call("POST", `/v1/certificates/${doomed.id}/revoke`, { key: producer.key, body: { reason: "标签印错" } });
    const res = await t.call("GET", `/v1/certificates/${doomed.id}/pdf`, { key: producer.key });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ type: "https://lotproof.dev/problems/certificate-revoked", codes: [doomed.code] });
  });
});

describe("lots that failed a test", () => {
  it("get no fresh labels: the PDF is refused in Chinese, and day jobs leave the lot out", async () => {
    const { producer: grower, lot: bad } = await t.producerWithLot(100);
    const good = (await t.call("POST", "/v1/lots", { key: grower.key, body: { productId: bad.productId, quantity: 50, unit: "kg", harvestedAt: "2026-11-19" } })).json;
    const badCert = (await t.call("POST", "/v1/certificates", { key: grower.key, body: { lotId: bad.id, quantity: 10, basis: "quality_control" } })).json;
    const goodCert = (await t.call("POST", "/v1/certificates", { key: grower.key, body: { lotId: good.id, quantity: 10, basis: "quality_control", copies: 3 } })).json;
    const test = await t.call("POST", "/v1/tests", { key: grower.key, body: { lotId: bad.id, kind: "self_test", method: "enzyme_inhibition", results: [{ value: 80, unit: "%" }] } });
    expect(test.json.verdict).toBe("fail");

    const refused = await t.call("GET", `/v1/certificates/${badCert.id}/pdf`, { key: grower.key });
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({ type: "https://lotproof.dev/problems/certificate-not-printable", certificates: [{ code: badCert.code, reason: "failed_test" }] });
    expect(refused.json.detail).toContain("该批次检测不合格");
    expect((await t.call("POST", "/v1/print", { key: grower.key, body: { certificateIds: [goodCert.id, badCert.id] } })).status).toBe(409);
    expect((await t.call("POST", "/v1/print", { key: grower.key, body: { lotId: bad.id } })).status).toBe(409);

    const day = await fetchPdf("/v1/print?from=2026-11-20", grower.key);
    expect(day.res.status).toBe(200);
    expect(day.res.headers.get("x-skipped-lots")).toBe("1");
    expect(day.res.headers.get("x-labels")).toBe("3");
    expect(squash(pdfText(day.bytes))).not.toContain(badCert.code);
  });
});

describe("QR codes as SVG", () => {
  it("serves /c/{code}/qr.svg publicly, cacheable, encoding the scan URL", async () => {
    const res = await t.app.request(`/c/${cert.code.toLowerCase()}/qr.svg`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("public, max-age=86400");
    expect(await res.text()).toBe(qrSvg(`${PUBLIC_URL}/c/${cert.code}`, { scale: 8, margin: 4 }));
    const scaled = await t.app.request(`/c/${cert.code}/qr.svg?scale=2&margin=1`);
    expect(await scaled.text()).toBe(qrSvg(`${PUBLIC_URL}/c/${cert.code}`, { scale: 2, margin: 1 }));
  });

  it("answers 404 for unknown codes and codes failing their check character, and 4xx for bad options", async () => {
    const wrong = cert.code.slice(0, 10) + (cert.code[10] === "A" ? "B" : "A");
    expect((await t.app.request(`/c/${wrong}/qr.svg`)).status).toBe(404);
    expect((await t.app.request(`/c/${cert.code}/qr.svg?scale=1000`)).status).toBe(422);
  });

  it("serves /v1/certificates/{id}/qr.svg to whoever may read the certificate", async () => {
    const rival = (await t.producerWithLot(10)).producer;
    const ok = await t.app.request(`/v1/certificates/${cert.id}/qr.svg`, { headers: { authorization: `Bearer ${producer.key}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe(qrSvg(`${PUBLIC_URL}/c/${cert.code}`, { scale: 8, margin: 4 }));
    expect((await t.call("GET", `/v1/certificates/${cert.id}/qr.svg`, { key: rival.key })).status).toBe(404);
    expect((await t.call("GET", `/v1/certificates/${cert.id}/qr.svg`)).status).toBe(401);
  });
});

describe("batch printing", () => {
  let farmer: Awaited<ReturnType<TestContext["party"]>>;
  let farmLot: { id: string; code: string };
  const issued: { id: string; code: string }[] = [];

  beforeAll(async () => {
    const made = await t.producerWithLot(5000);
    farmer = made.producer;
    farmLot = made.lot;
    for (let i = 0; i < 4; i++) {
      issued.push((await t.call("POST", "/v1/certificates", { key: farmer.key, body: { lotId: farmLot.id, quantity: 10, basis: "quality_control", copies: i + 1 } })).json);
    }
  });

  it("prints named certificates in the given order as one streamed PDF", async () => {
    const ids = [issued[2]!.id, issued[0]!.id];
    const { res, bytes } = await fetchPdf("/v1/print", farmer.key, { method: "POST", body: { certificateIds: ids, size: "a4", copies: 2 } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("x-certificates")).toBe("2");
    expect(res.headers.get("x-labels")).toBe("4");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="certificates-2-a4\.pdf"$/);
    const text = squash(pdfText(bytes));
    expect(text.indexOf(issued[2]!.code)).toBeLessThan(text.indexOf(issued[0]!.code));
    expect(text.split(issued[2]!.code)).toHaveLength(3);
    const png = pdfPagePng(bytes, 1, DPI);
    const sheet = sheetFor("a4");
    const cell = sheet.cells[3]!;
    expect(decodeQr(png, { x: px(cell.x), y: px(cell.y), width: px(sheet.label.width), height: px(sheet.label.height) })).toBe(`${PUBLIC_URL}/c/${issued[0]!.code}`);
  });

  it("prints a day's certificates with each certificate's own copies, by POST or by link", async () => {
    const day = issued[0] && "2026-11-20";
    const post = await fetchPdf("/v1/print", farmer.key, { method: "POST", body: { from: day, size: "label-60x80" } });
    expect(post.res.status).toBe(200);
    expect(post.res.headers.get("x-labels")).toBe("10");
    expect(pdfInfo(post.bytes).Pages).toBe("10");
    expect(post.res.headers.get("content-disposition")).toBe(`attachment; filename="certificates-2026-11-20-label-60x80.pdf"`);
    const link = await fetchPdf(`/v1/print?from=${day}&to=${day}&size=label-60x80`, farmer.key);
    expect(link.bytes.equals(post.bytes)).toBe(true);
    const byLot = await fetchPdf(`/v1/print?lotId=${farmLot.id}&size=a4&copies=1`, farmer.key);
    expect(byLot.res.headers.get("x-labels")).toBe("4");
    expect(pdfInfo(byLot.bytes).Pages).toBe("1");
    const otherDay = await t.call("POST", "/v1/print", { key: farmer.key, body: { from: "2026-11-19" } });
    expect(otherDay.status).toBe(404);
  });

  it("refuses revoked, unknown and other parties' certificates, and jobs beyond the label bound", async () => {
    const rival = (await t.producerWithLot(10)).producer;
    const unknown = await t.call("POST", "/v1/print", { key: farmer.key, body: { certificateIds: [issued[0]!.id, "nope"] } });
    expect(unknown.status).toBe(404);
    expect(unknown.json.detail).toContain("nope");
    expect((await t.call("POST", "/v1/print", { key: rival.key, body: { certificateIds: [issued[0]!.id] } })).status).toBe(404);
    expect((await t.call("POST", "/v1/print", { key: rival.key, body: { lotId: farmLot.id } })).status).toBe(404);
    expect((await t.call("POST", "/v1/print", { body: { lotId: farmLot.id } })).status).toBe(401);

    const extra = (await t.call("POST", "/v1/certificates", { key: farmer.key, body: { lotId: farmLot.id, quantity: 1, basis: "quality_control" } })).json;
    await t.call("POST", `/v1/certificates/${extra.id}/revoke`, { key: farmer.key, body: { reason: "作废" } });
    const revoked = await t.call("POST", "/v1/print", { key: farmer.key, body: { certificateIds: [extra.id] } });
    expect(revoked.status).toBe(409);
    // Revoked certificates are left out of lot and day jobs.
    expect((await fetchPdf(`/v1/print?lotId=${farmLot.id}&copies=1`, farmer.key)).res.headers.get("x-certificates")).toBe("4");

    const ids = [];
    for (let i = 0; i < 21; i++) ids.push((await t.call("POST", "/v1/certificates", { key: farmer.key, body: { lotId: farmLot.id, quantity: 1, basis: "quality_control" } })).json.id);
    const tooMany = await t.call("POST", "/v1/print", { key: farmer.key, body: { certificateIds: ids, copies: 500 } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json).toMatchObject({ type: "https://lotproof.dev/problems/too-many-labels", labels: 10_500, max: 10_000 });
  });

  it("validates the selection", async () => {
    const none = await t.call("POST", "/v1/print", { key: farmer.key, body: { size: "a4" } });
    expect(none.status).toBe(422);
    expect(none.json.errors[0]).toMatchObject({ path: "certificateIds" });
    const mixed = await t.call("POST", "/v1/print", { key: farmer.key, body: { certificateIds: [issued[0]!.id], lotId: farmLot.id } });
    expect(mixed.status).toBe(422);
    const longRange = await t.call("POST", "/v1/print", { key: farmer.key, body: { from: "2026-01-01", to: "2026-11-20" } });
    expect(longRange.status).toBe(422);
    expect(longRange.json.errors[0]).toMatchObject({ path: "to" });
    const backwards = await t.call("POST", "/v1/print", { key: farmer.key, body: { from: "2026-11-20", to: "2026-11-19" } });
    expect(backwards.status).toBe(422);
    const badQuery = await t.call("GET", "/v1/print?from=2026-11-20&copies=9999", { key: farmer.key });
    expect(badQuery.status).toBe(400);
    expect((await t.call("POST", "/v1/print", { key: ADMIN_KEY, body: { from: "2026-11-20" } })).status).toBe(422);
  });

  it("lets an admin print a lot it does not own", async () => {
    const res = await fetchPdf(`/v1/print?lotId=${farmLot.id}&copies=1&size=a4`, ADMIN_KEY);
    expect(res.res.status).toBe(200);
  });
});
