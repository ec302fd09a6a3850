import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../test/support/context";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext("issuing-checks");
});
afterAll(() => t.close());

/** A producer with a plot and a lot of `crop` harvested on 2026-11-19 (the test clock reads 2026-11-20). */
async function farm(crop = "上海青") {
  const producer = await t.party("cooperative");
  const site = (await t.call("POST", "/v1/sites", { key: producer.key, body: { name: "一号棚", regionCode: "330112" } })).json;
  const product = (await t.call("POST", "/v1/products", { key: producer.key, body: { name: crop, category: "蔬菜", unit: "kg" } })).json;
  const newLot = async (harvestedAt = "2026-11-19") =>
    (await t.call("POST", "/v1/lots", { key: producer.key, body: { productId: product.id, siteId: site.id, quantity: 100, unit: "kg", harvestedAt } })).json;
  const lot = await newLot();
  const apply = async (body: Record<string, unknown>) => {
    const res = await t.call("POST", "/v1/records/applications", { key: producer.key, body: { siteId: site.id, ...body } });
    if (res.status !== 201) throw new Error(res.text);
    return res.json;
  };
  const issue = (body: Record<string, unknown> = {}, lotId = lot.id) =>
    t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId, basis: "quality_control", ...body } });
  return { producer, site, product, lot, newLot, apply, issue };
}

const abamectin = { inputName: "阿维菌素", formulation: "1.8% EC" };

describe("the issuing gate", () => {
  it("refuses a lot harvested inside the pre-harvest interval, naming input, date, interval and first allowed date", async () => {
    const f = await farm();
    const rec = await f.apply({ ...abamectin, appliedOn: "2026-11-15" });
    const res = await f.issue();
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.json.type).toBe("https://lotproof.dev/problems/issuing-refused");
    expect(res.json.violations).toHaveLength(1);
    expect(res.json.violations[0]).toMatchObject({
      kind: "interval_not_elapsed",
      applicationId: rec.id,
      input: { name: "阿维菌素", formulation: "1.8% EC" },
      appliedOn: "2026-11-15",
      intervalDays: 7,
      intervalTarget: "叶菜",
      earliestHarvestDate: "2026-11-22",
      harvestDate: "2026-11-19",
    });
    expect(res.json.detail).toBe(res.json.violations[0].messageZh);
    expect(res.json.detail).toContain("最早 2026-11-22 才能采收");
    expect(res.json.violations[0].messageEn).toContain("earliest allowed harvest date is 2026-11-22");
    expect(res.json.earliestHarvestDate).toBe("2026-11-22");
    expect((await t.call("GET", `/v1/lots/${f.lot.id}`, { key: f.producer.key })).json.certifiedQuantity).toBe(0);
  });

  it("allows harvest on the day the interval ends, not the day before", async () => {
    const f = await farm();
    await f.apply({ ...abamectin, appliedOn: "2026-11-12" });
    expect((await f.issue()).status).toBe(201);
    const g = await farm();
    await g.apply({ ...abamectin, appliedOn: "2026-11-13" });
    expect((await g.issue()).json.violations[0].earliestHarvestDate).toBe("2026-11-20");
  });

  it("refuses a banned ingredient on the crop, however long ago in the season", async () => {
    const f = await farm();
    await f.apply({ inputName: "甲胺磷", activeIngredients: ["甲胺磷"], appliedOn: "2026-09-01" });
    const res = await f.issue();
    expect(res.status).toBe(422);
    expect(res.json.violations[0]).toMatchObject({ kind: "banned_ingredient", ingredient: "甲胺磷", sources: ["农业部公告第199号"] });
    expect(res.json.detail).toContain("甲胺磷");
  });

  it("refuses more applications per season than the label allows, and a season ends when the crop is cleared", async () => {
    const f = await farm();
    await f.apply({ ...abamectin, appliedOn: "2026-10-01" });
    await f.apply({ ...abamectin, appliedOn: "2026-10-20" });
    const res = await f.issue();
    expect(res.json.violations[0]).toMatchObject({ kind: "season_cap_exceeded", maxApplications: 1, appliedOn: ["2026-10-01", "2026-10-20"] });
    await t.call("POST", "/v1/records/harvests", { key: f.producer.key, body: { siteId: f.site.id, harvestedOn: "2026-10-10", endsSeason: true } });
    expect((await f.issue()).status).toBe(201);
  });

  it("counts the plot's applications within 180 days only, and never another plot's or a fertiliser", async () => {
    const f = await farm();
    await f.apply({ ...abamectin, appliedOn: "2026-05-20" }); // 183 days before harvest
    await f.apply({ ...abamectin, appliedOn: "2026-11-01" });
    await f.apply({ inputType: "fertilizer", inputName: "甲胺磷", appliedOn: "2026-11-18" });
    const other = await farm();
    await other.apply({ ...abamectin, appliedOn: "2026-11-18" });
    expect((await f.issue()).status).toBe(201);
  });

  it("follows corrections: a corrected date or a retracted record changes the verdict", async () => {
    const f = await farm();
    const rec = await f.apply({ ...abamectin, appliedOn: "2026-11-15" });
    expect((await f.issue()).status).toBe(422);
    const fixed = (await t.call("POST", `/v1/records/applications/${rec.id}/corrections`, { key: f.producer.key, body: { appliedOn: "2026-11-16", reason: "x" } })).json;
    expect((await f.issue()).json.violations[0].appliedOn).toBe("2026-11-16");
    await t.call("POST", `/v1/records/applications/${fixed.id}/corrections`, { key: f.producer.key, body: { retract: true, reason: "没有打药" } });
    expect((await f.issue()).status).toBe(201);
  });

  it("counts applications recorded on the lot itself, and warns of those dated after its harvest", async () => {
    const f = await farm();
    const lot2 = await f.newLot("2026-11-10");
    await t.call("POST", "/v1/records/applications", { key: f.producer.key, body: { lotId: lot2.id, ...abamectin, appliedOn: "2026-11-18" } });
    const res = await f.issue({}, lot2.id);
    expect(res.status).toBe(201);
    expect(res.json.warnings.map((w: { kind: string }) => w.kind)).toEqual(["application_after_harvest"]);
    // The same spray counts for the other lot harvested later on the plot.
    expect((await f.issue()).json.violations[0].kind).toBe("interval_not_elapsed");
  });

  it("issues with warnings when the reference data cannot judge an input", async () => {
    const f = await farm("雷笋");
    await f.apply({ inputName: "某某杀虫剂", appliedOn: "2026-11-10" });
    const res = await f.issue();
    expect(res.status).toBe(201);
    expect(res.json.warnings.map((w: { kind: string }) => w.kind).sort()).toEqual(["ingredients_unknown", "no_interval_data"]);
    expect(res.json.warnings[0].messageZh).toMatch(/[\u4e00-\u9fa5]/);
    const clean = await farm();
    expect((await clean.issue()).json.warnings).toEqual([]);
  });
});

describe("basis rules", () => {
  async function record(key: string, body: Record<string, unknown>) {
    const res = await t.call("POST", "/v1/tests", { key, body });
    if (res.status !== 201) throw new Error(res.text);
    return res.json;
  }
  const enzyme = (lotId: string, rate: number, kind = "self_test") => ({ lotId, kind, method: "enzyme_inhibition", results: [{ value: rate, unit: "%" }] });

  it("needs a test that covers every ingredient used: enzyme inhibition does not see abamectin", async () => {
    const f = await farm();
    await f.apply({ ...abamectin, appliedOn: "2026-11-01" });
    const strip = await record(f.producer.key, enzyme(f.lot.id, 12));
    const res = await f.issue({ basis: "self_test", testIds: [strip.id] });
    expect(res.status).toBe(422);
    expect(res.json.type).toBe("https://lotproof.dev/problems/basis-not-met");
    expect(res.json.gaps).toEqual([expect.objectContaining({ kind: "ingredient_not_covered", ingredient: "阿维菌素" })]);
    expect(res.json.detail).toContain("请加检阿维菌素");

    const lab = await record(f.producer.key, { lotId: f.lot.id, kind: "self_test", method: "lab", results: [{ analyte: "阿维菌素", value: null, unit: "mg/kg" }] });
    const ok = await f.issue({ basis: "self_test", testIds: [strip.id, lab.id] });
    expect(ok.status).toBe(201);
    expect(ok.json.content.basisLabel).toBe("自行检测合格");
    expect(ok.json.content.tests.map((x: { id: string }) => x.id)).toEqual([strip.id, lab.id]);
  });

  it("prints the lab and report number of an entrusted test on the signed certificate", async () => {
    const f = await farm("雷笋");
    const lab = await record(f.producer.key, {
      ...enzyme(f.lot.id, 8, "entrusted_test"),
      lab: "临安区农产品质量安全检测站",
      reportNo: "LA-2026-1187",
      testedAt: "2026-11-19T08:00:00+08:00",
    });
    const res = await f.issue({ basis: "entrusted_test", testIds: [lab.id] });
    expect(res.status).toBe(201);
    expect(res.json.content.tests).toEqual([
      { id: lab.id, kind: "entrusted_test", lab: "临安区农产品质量安全检测站", reportNo: "LA-2026-1187", testedAt: "2026-11-19T00:00:00.000Z" },
    ]);
    const payload = JSON.parse(Buffer.from(res.json.jwt.split(".")[1], "base64url").toString());
    expect(JSON.stringify(payload)).toContain("LA-2026-1187");
  });

  it("refuses a test of the wrong kind, and tests of another lot", async () => {
    const f = await farm("雷笋");
    const own = await record(f.producer.key, enzyme(f.lot.id, 8));
    const wrongKind = await f.issue({ basis: "entrusted_test", testIds: [own.id] });
    expect(wrongKind.json.gaps[0].kind).toBe("no_passing_test");
    const g = await farm("雷笋");
    const foreign = await record(g.producer.key, enzyme(g.lot.id, 8));
    const res = await f.issue({ basis: "self_test", testIds: [foreign.id] });
    expect(res.status).toBe(422);
    expect(res.json.errors).toEqual([{ path: "testIds.0", message: `test ${foreign.id} was not found for this lot` }]);
  });
});
