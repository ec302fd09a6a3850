import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../../test/support/context";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext("records");
});
afterAll(() => t.close());

describe("POST /v1/records/applications", () => {
  it("needs only the input and the plot, and dates the record today in China", async () => {
    const { producer, site } = await t.producerWithLot();
    const res = await t.call("POST", "/v1/records/applications", { key: producer.key, body: { inputName: "阿维菌素", siteId: site.id } });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      inputType: "pesticide",
      inputName: "阿维菌素",
      appliedOn: "2026-11-20",
      siteId: site.id,
      lotId: null,
      activeIngredients: [],
      corrects: null,
      retracted: false,
      history: [],
    });
    expect(res.json.rootId).toBe(res.json.id);
  });

  it("takes the lot's plot when recorded on a lot, and keeps every field", async () => {
    const { producer, site, lot } = await t.producerWithLot();
    const body = {
      lotId: lot.id,
      inputName: "啶虫脒",
      registrationNo: "PD20090001",
      formulation: "20% SP",
      activeIngredients: ["啶虫脒"],
      dose: "3000倍液",
      method: "喷雾",
      appliedOn: "2026-11-01T18:30:00Z",
      operator: "章建华",
      pest: "蚜虫",
      notes: "傍晚施药",
    };
    const res = await t.call("POST", "/v1/records/applications", { key: producer.key, body });
    expect(res.status).toBe(201);
    // 18:30 UTC is 02:30 the next day in China.
    expect(res.json).toMatchObject({ ...body, appliedOn: "2026-11-02", siteId: site.id, lotId: lot.id });
  });

  it("refuses bad input naming each field", async () => {
    const { producer, site, lot } = await t.producerWithLot();
    const other = await t.producerWithLot();
    const post = (body: Record<string, unknown>) => t.call("POST", "/v1/records/applications", { key: producer.key, body });
    const none = await post({ inputName: "阿维菌素" });
    expect(none.status).toBe(422);
    expect(none.json.errors[0].path).toBe("siteId");
    expect((await post({ siteId: site.id })).json.errors[0].path).toBe("inputName");
    expect((await post({ siteId: site.id, inputName: "阿维菌素", appliedOn: "2026-11-21" })).json.errors).toEqual([
      { path: "appliedOn", message: "is in the future (today is 2026-11-20 in China)" },
    ]);
    expect((await post({ siteId: site.id, inputName: "x", appliedOn: "2026-02-30" })).json.errors[0].path).toBe("appliedOn");
    // PostgreSQL stores no U+0000: refused with the field named, never a failed INSERT.
    expect((await post({ siteId: site.id, inputName: "阿维\u0000菌素" })).json.errors).toEqual([{ path: "inputName", message: "must not contain the NUL character (U+0000)" }]);
    expect((await post({ siteId: site.id, inputName: "x", appliedOn: "2026-11-10", stoppedOn: "2026-11-09" })).json.errors[0].path).toBe("stoppedOn");
    expect((await post({ siteId: site.id, inputName: "x", inputType: "magic" })).json.errors[0].path).toBe("inputType");
    expect((await post({ lotId: other.lot.id, inputName: "x" })).json.errors).toEqual([{ path: "lotId", message: "is not one of your lots" }]);
    expect((await post({ siteId: other.site.id, inputName: "x" })).json.errors).toEqual([{ path: "siteId", message: "is not one of your sites" }]);
    const secondSite = await t.call("POST", "/v1/sites", { key: producer.key, body: { name: "二号地块", regionCode: "330112" } });
    expect((await post({ siteId: secondSite.json.id, lotId: lot.id, inputName: "x" })).json.errors).toEqual([
      { path: "siteId", message: "the lot was harvested on another site" },
    ]);
    expect((await t.call("POST", "/v1/records/applications", { key: producer.key, body: "{not json" })).status).toBe(400);
  });

  it("is for producers", async () => {
    const { site } = await t.producerWithLot();
    const market = await t.party("market");
    const regulator = await t.party("regulator");
    expect((await t.call("POST", "/v1/records/applications", { key: market.key, body: { inputName: "x", siteId: site.id } })).status).toBe(403);
    expect((await t.call("POST", "/v1/records/applications", { key: regulator.key, body: { inputName: "x", siteId: site.id } })).status).toBe(403);
    expect((await t.call("POST", "/v1/records/applications", { body: { inputName: "x", siteId: site.id } })).status).toBe(401);
  });
});

describe("corrections", () => {
  it("add a version pointing at the one corrected; the listing shows the record as it stands and its history", async () => {
    const { producer, site } = await t.producerWithLot();
    const first = (await t.call("POST", "/v1/records/applications", { key: producer.key, body: { inputName: "阿维菌素", siteId: site.id, appliedOn: "2026-11-15", dose: "2000倍液" } })).json;
    t.clock.advance(60_000);
    const fixed = await t.call("POST", `/v1/records/applications/${first.id}/corrections`, { key: producer.key, body: { appliedOn: "2026-11-05", reason: "日期填错" } });
    expect(fixed.status).toBe(201);
    expect(fixed.json).toMatchObject({ appliedOn: "2026-11-05", dose: "2000倍液", corrects: first.id, rootId: first.id, correctionReason: "日期填错" });
    expect(fixed.json.history).toHaveLength(1);
    expect(fixed.json.history[0]).toMatchObject({ id: first.id, appliedOn: "2026-11-15" });

    // Only the latest version can be corrected.
    const stale = await t.call("POST", `/v1/records/applications/${first.id}/corrections`, { key: producer.key, body: { dose: "1000倍液", reason: "x" } });
    expect(stale.status).toBe(409);
    expect(stale.json.latestId).toBe(fixed.json.id);

    const cleared = await t.call("POST", `/v1/records/applications/${fixed.json.id}/corrections`, { key: producer.key, body: { dose: null, reason: "剂量不记得" } });
    expect(cleared.json).toMatchObject({ dose: null, appliedOn: "2026-11-05" });
    expect(cleared.json.history.map((h: { id: string }) => h.id)).toEqual([fixed.json.id, first.id]);

    const list = await t.call("GET", `/v1/records/applications?siteId=${site.id}`, { key: producer.key });
    expect(list.status).toBe(200);
    expect(list.json.items).toHaveLength(1);
    expect(list.json.items[0]).toMatchObject({ id: cleared.json.id, rootId: first.id });
    expect(list.json.items[0].history).toHaveLength(2);
    const byOld = await t.call("GET", `/v1/records/applications/${first.id}`, { key: producer.key });
    expect(byOld.json.id).toBe(cleared.json.id);
    expect((await t.call("POST", `/v1/records/applications/${cleared.json.id}/corrections`, { key: producer.key, body: { dose: "1" } })).json.errors[0].path).toBe("reason");
  });

  it("let a record made in error be retracted, and never touch another party's record", async () => {
    const { producer, site } = await t.producerWithLot();
    const other = await t.producerWithLot();
    const rec = (await t.call("POST", "/v1/records/applications", { key: producer.key, body: { inputName: "阿维菌素", siteId: site.id } })).json;
    const retracted = await t.call("POST", `/v1/records/applications/${rec.id}/corrections`, { key: producer.key, body: { retract: true, reason: "记错了地块" } });
    expect(retracted.json).toMatchObject({ retracted: true, inputName: "阿维菌素" });
    expect((await t.call("POST", `/v1/records/applications/${retracted.json.id}/corrections`, { key: other.producer.key, body: { reason: "x" } })).status).toBe(404);
    expect((await t.call("GET", `/v1/records/applications/${rec.id}`, { key: other.producer.key })).status).toBe(404);
    expect((await t.call("POST", `/v1/records/harvests/${rec.id}/corrections`, { key: producer.key, body: { reason: "x" } })).status).toBe(404);
  });
});

describe("concurrent corrections", () => {
  it("of the same version: one wins, the others are told which version is now the latest", async () => {
    const { producer, site } = await t.producerWithLot();
    const rec = (await t.call("POST", "/v1/records/applications", { key: producer.key, body: { inputName: "阿维菌素", siteId: site.id } })).json;
    const attempts = await Promise.all(
      Array.from({ length: 6 }, (_, i) => t.call("POST", `/v1/records/applications/${rec.id}/corrections`, { key: producer.key, body: { dose: `${i}`, reason: "并发" } })),
    );
    expect(attempts.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    const winner = attempts.find((a) => a.status === 201)!.json;
    expect(attempts.filter((a) => a.status === 409).every((a) => a.json.latestId === winner.id)).toBe(true);
  });
});

describe("listing", () => {
  it("pages by the first version's id, so corrections never move a record between pages", async () => {
    const { producer, site } = await t.producerWithLot();
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) {
      t.clock.advance(1000);
      ids.push((await t.call("POST", "/v1/records/applications", { key: producer.key, body: { inputName: `药${i}`, siteId: site.id, appliedOn: `2026-11-0${i}` } })).json.id);
    }
    await t.call("POST", `/v1/records/applications/${ids[0]}/corrections`, { key: producer.key, body: { inputName: "药1（更正）", reason: "名称" } });
    const p1 = await t.call("GET", `/v1/records/applications?siteId=${site.id}&limit=2`, { key: producer.key });
    expect(p1.json.items.map((r: { inputName: string }) => r.inputName)).toEqual(["药1（更正）", "药2"]);
    const p2 = await t.call("GET", `/v1/records/applications?siteId=${site.id}&limit=2&cursor=${p1.json.nextCursor}`, { key: producer.key });
    const p3 = await t.call("GET", `/v1/records/applications?siteId=${site.id}&limit=2&cursor=${p2.json.nextCursor}`, { key: producer.key });
    expect([...p2.json.items, ...p3.json.items].map((r: { inputName: string }) => r.inputName)).toEqual(["药3", "药4", "药5"]);
    expect(p3.json.nextCursor).toBeNull();
  });

  it("shows producers their own records and regulators those in their region", async () => {
    const { producer, site } = await t.producerWithLot();
    await t.call("POST", "/v1/records/applications", { key: producer.key, body: { inputName: "阿维菌素", siteId: site.id } });
    const other = await t.producerWithLot();
    const near = await t.party("regulator", { regionCode: "330100" });
    const far = await t.party("regulator", { regionCode: "110101" });
    const market = await t.party("market");
    expect((await t.call("GET", `/v1/records/applications?siteId=${site.id}`, { key: other.producer.key })).json.items).toHaveLength(0);
    expect((await t.call("GET", `/v1/records/applications?siteId=${site.id}`, { key: near.key })).json.items).toHaveLength(1);
    expect((await t.call("GET", `/v1/records/applications?siteId=${site.id}`, { key: far.key })).json.items).toHaveLength(0);
    expect((await t.call("GET", "/v1/records/applications", { key: market.key })).status).toBe(403);
    expect((await t.call("GET", "/v1/records/applications?limit=0", { key: producer.key })).status).toBe(422);
  });
});

describe("harvest records", () => {
  it("record, correct and list harvests", async () => {
    const { producer, site, lot } = await t.producerWithLot();
    const res = await t.call("POST", "/v1/records/harvests", { key: producer.key, body: { lotId: lot.id, quantity: 300, unit: "kg" } });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ harvestedOn: "2026-11-20", quantity: 300, unit: "kg", endsSeason: false, siteId: site.id, lotId: lot.id });
    const fixed = await t.call("POST", `/v1/records/harvests/${res.json.id}/corrections`, { key: producer.key, body: { endsSeason: true, reason: "已拉秧" } });
    expect(fixed.json).toMatchObject({ endsSeason: true, quantity: 300, corrects: res.json.id });
    const list = await t.call("GET", `/v1/records/harvests?lotId=${lot.id}`, { key: producer.key });
    expect(list.json.items).toHaveLength(1);
    expect((await t.call("POST", "/v1/records/harvests", { key: producer.key, body: { siteId: site.id, quantity: -1 } })).json.errors[0].path).toBe("quantity");
    expect((await t.call("GET", `/v1/records/harvests/${res.json.id}`, { key: producer.key })).json.id).toBe(fixed.json.id);
    expect((await t.call("GET", `/v1/records/applications/${res.json.id}`, { key: producer.key })).status).toBe(404);
  });
});
