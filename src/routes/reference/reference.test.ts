import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_REFERENCE } from "../../domain/production/seed-reference";
import { ADMIN_KEY, createTestContext, type TestContext } from "../../../test/support/context";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext("reference");
});
afterAll(() => t.close());

async function postCsv(key: string, csv: string, query = "") {
  const res = await t.app.request(`/v1/reference/phi-csv${query}`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "text/csv; charset=utf-8" }, body: csv });
  return { status: res.status, json: (await res.json()) as any };
}

/** A lot of 上海青 harvested 2026-11-19 with abamectin sprayed on `appliedOn`; returns the issuing answer. */
async function issueAfterAbamectin(appliedOn: string) {
  const producer = await t.party("cooperative");
  const site = (await t.call("POST", "/v1/sites", { key: producer.key, body: { name: "棚", regionCode: "330112" } })).json;
  const product = (await t.call("POST", "/v1/products", { key: producer.key, body: { name: "上海青", category: "蔬菜", unit: "kg" } })).json;
  const lot = (await t.call("POST", "/v1/lots", { key: producer.key, body: { productId: product.id, siteId: site.id, quantity: 10, unit: "kg", harvestedAt: "2026-11-19" } })).json;
  await t.call("POST", "/v1/records/applications", { key: producer.key, body: { siteId: site.id, inputName: "阿维菌素", formulation: "1.8% EC", appliedOn } });
  return t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, basis: "quality_control" } });
}

describe("reference data", () => {
  it("starts from the shipped set, readable by every role", async () => {
    const producer = await t.party("family_farm");
    const res = await t.call("GET", "/v1/reference", { key: producer.key });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ version: "seed-2026.1", source: "seed", effectiveFrom: "2026-02-01" });
    expect(res.json.document.bans.length).toBe(SEED_REFERENCE.bans.length);
    expect((await t.call("GET", "/v1/reference")).status).toBe(401);
  });

  it("publishes a new version after checking it, and the gate uses it", async () => {
    const regulator = await t.party("regulator", { regionCode: "330100" });
    expect((await issueAfterAbamectin("2026-11-10")).status).toBe(201);
    const products = SEED_REFERENCE.products.map((p) =>
      p.id === "abamectin-1.8-ec" ? { ...p, intervals: p.intervals.map((i) => (i.target === "叶菜" ? { ...i, days: 14 } : i)) } : p,
    );
    const document = { ...SEED_REFERENCE, version: "district-2026.2", products };
    const res = await t.call("POST", "/v1/reference", { key: regulator.key, body: { document, note: "区农业农村局核定" } });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ version: "district-2026.2", source: "json", note: "区农业农村局核定" });
    expect((await t.call("GET", "/v1/reference", { key: ADMIN_KEY })).json.version).toBe("district-2026.2");
    const refused = await issueAfterAbamectin("2026-11-10");
    expect(refused.json.violations[0]).toMatchObject({ intervalDays: 14, earliestHarvestDate: "2026-11-24" });
    expect(refused.json.referenceVersion).toBe("district-2026.2");
    expect((await t.call("POST", "/v1/reference", { key: regulator.key, body: { document } })).status).toBe(409);
    const versions = await t.call("GET", "/v1/reference/versions", { key: regulator.key });
    expect(versions.json.items.map((v: { version: string }) => v.version)).toEqual(["seed-2026.1", "district-2026.2"]);
  });

  it("refuses an inconsistent set naming each problem, and edits by producers", async () => {
    const bad = { ...SEED_REFERENCE, version: "bad", bans: [{ ingredient: "不存在的农药", scope: { kind: "targets", targets: ["月球菜"] }, source: "x", note: null }] };
    const res = await t.call("POST", "/v1/reference", { key: ADMIN_KEY, body: { document: bad } });
    expect(res.status).toBe(422);
    expect(res.json.errors).toEqual([
      { path: "document.bans[0]", message: "unknown ingredient 不存在的农药" },
      { path: "document.bans[0]", message: "unknown crop or group 月球菜" },
    ]);
    const shape = await t.call("POST", "/v1/reference", { key: ADMIN_KEY, body: { document: { ...SEED_REFERENCE, version: "x", effectiveFrom: "soon" } } });
    expect(shape.json.errors[0].path).toBe("document.effectiveFrom");
    const producer = await t.party("cooperative");
    expect((await t.call("POST", "/v1/reference", { key: producer.key, body: { document: { ...SEED_REFERENCE, version: "mine" } } })).status).toBe(403);
  });

  it("governs from its effective date only", async () => {
    const future = { ...SEED_REFERENCE, version: "future-2027.1", effectiveFrom: "2026-11-22" };
    expect((await t.call("POST", "/v1/reference", { key: ADMIN_KEY, body: { document: future } })).status).toBe(201);
    expect((await t.call("GET", "/v1/reference", { key: ADMIN_KEY })).json.version).not.toBe("future-2027.1");
    t.clock.advance(2 * 86_400_000);
    expect((await t.call("GET", "/v1/reference", { key: ADMIN_KEY })).json.version).toBe("future-2027.1");
  });
});

describe("PHI import from CSV", () => {
  it("builds a new version from the current one, replacing or adding intervals", async () => {
    const csv = "登记证号,产品名称,剂型,作物,安全间隔期,每季最多使用次数,来源\n,阿维菌素,1.8% EC,上海青,10,2,标签\n,啶虫脒,,豇豆,5,3,标签\n";
    const res = await postCsv(ADMIN_KEY, csv, "?version=csv-test-1");
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ version: "csv-test-1", source: "csv", effectiveFrom: "2026-11-22" });
    const abamectin = res.json.document.products.find((p: { id: string }) => p.id === "abamectin-1.8-ec");
    expect(abamectin.intervals.find((i: { target: string }) => i.target === "上海青")).toMatchObject({ days: 10, maxApplicationsPerSeason: 2, source: "标签" });
    // No formulation given: both 啶虫脒 products get the row.
    const acetamiprid = res.json.document.products.filter((p: { name: string }) => p.name === "啶虫脒");
    expect(acetamiprid.every((p: { intervals: { target: string }[] }) => p.intervals.some((i) => i.target === "豇豆"))).toBe(true);
    const refused = await issueAfterAbamectin("2026-11-10");
    expect(refused.json.violations[0]).toMatchObject({ intervalDays: 10, intervalTarget: "上海青" });
  });

  it("imports nothing when any row is wrong, and names line and column", async () => {
    const before = (await t.call("GET", "/v1/reference/versions", { key: ADMIN_KEY })).json.items.length;
    const res = await postCsv(ADMIN_KEY, "产品名称,作物,安全间隔期\n阿维菌素,上海青,七天\n阿维菌素,月球菜,3\n");
    expect(res.status).toBe(422);
    expect(res.json.type).toBe("https://lotproof.dev/problems/csv-invalid");
    expect(res.json.errors[0].path).toBe("line 2, 安全间隔期");
    const unmapped = await postCsv(ADMIN_KEY, "产品名称,作物,安全间隔期\n阿维菌素,月球菜,3\n");
    expect(unmapped.json.errors).toEqual([{ path: "line 2", message: "crop 月球菜 is not in the crop map (作物分类表); add it to the reference set first" }]);
    const unknown = await postCsv(ADMIN_KEY, "产品名称,作物,安全间隔期\n神奇药水,上海青,3\n");
    expect(unknown.json.errors[0].message).toContain("神奇药水 is unknown");
    const notCsv = await t.call("POST", "/v1/reference/phi-csv", { key: ADMIN_KEY, body: { rows: [] } });
    expect(notCsv.status).toBe(422);
    expect((await t.call("GET", "/v1/reference/versions", { key: ADMIN_KEY })).json.items.length).toBe(before);
    expect((await postCsv((await t.party("market")).key, "产品名称,作物,安全间隔期\n阿维菌素,上海青,3\n")).status).toBe(403);
  });
});
