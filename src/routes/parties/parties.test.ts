import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withUsccCheck } from "../../domain/uscc";
import { ADMIN_KEY, createTestContext, type TestContext } from "../../../test/support/context";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext("parties");
});
afterAll(() => t.close());

const coop = (overrides: Record<string, unknown> = {}) => ({
  kind: "cooperative",
  name: "临安青山雷笋专业合作社",
  creditCode: withUsccCheck("93330112MA2H4K7Q5"),
  phone: "13857101234",
  regionCode: "330112",
  ...overrides,
});

describe("POST /v1/parties", () => {
  it("registers a cooperative with a valid credit code", async () => {
    const res = await t.call("POST", "/v1/parties", { key: ADMIN_KEY, body: coop() });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ kind: "cooperative", role: "producer", creditCode: withUsccCheck("93330112MA2H4K7Q5") });
  });

  it("refuses a second party with the same credit code", async () => {
    const res = await t.call("POST", "/v1/parties", { key: ADMIN_KEY, body: coop() });
    expect(res.status).toBe(409);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });

  it("names every bad field and the rule it broke", async () => {
    const res = await t.call("POST", "/v1/parties", {
      key: ADMIN_KEY,
      body: coop({ creditCode: "93330112MA2H4K7Q5A", regionCode: "999999", phone: "12", kind: "farm" }),
    });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const byPath = Object.fromEntries(res.json.errors.map((e: { path: string; message: string }) => [e.path, e.message]));
    expect(byPath["creditCode"]).toMatch(/check character should be/);
    expect(byPath["regionCode"]).toBe("is not a known GB/T 2260 region code");
    expect(byPath["phone"]).toMatch(/mobile/);
    expect(byPath["kind"]).toMatch(/must be one of/);
  });

  it("requires a credit code for enterprises and cooperatives", async () => {
    const res = await t.call("POST", "/v1/parties", { key: ADMIN_KEY, body: coop({ creditCode: undefined }) });
    expect(res.status).toBe(422);
    expect(res.json.errors[0]).toEqual({ path: "creditCode", message: "统一社会信用代码 is required for enterprises and cooperatives" });
  });

  it("answers malformed JSON with a 400 problem, not a 500", async () => {
    const res = await t.call("POST", "/v1/parties", { key: ADMIN_KEY, body: "{not json" });
    expect(res.status).toBe(400);
    expect(res.json.type).toBeDefined();
  });

  it("needs a key, and the right role", async () => {
    expect((await t.call("POST", "/v1/parties", { body: coop() })).status).toBe(401);
    expect((await t.call("POST", "/v1/parties", { key: "lp_nonsense", body: coop() })).status).toBe(401);
    const farmer = await t.party("family_farm");
    const res = await t.call("POST", "/v1/parties", { key: farmer.key, body: coop({ creditCode: withUsccCheck("93330112MA2H4K7Q6") }) });
    expect(res.status).toBe(403);
  });

  it("lets a regulator register parties in its region only", async () => {
    const regulator = await t.party("regulator", { regionCode: "330100" });
    const inside = await t.call("POST", "/v1/parties", { key: regulator.key, body: { kind: "household", name: "王建国", phone: "13700001111", regionCode: "330112" } });
    expect(inside.status).toBe(201);
    const outside = await t.call("POST", "/v1/parties", { key: regulator.key, body: { kind: "household", name: "李四", phone: "13700001112", regionCode: "330881" } });
    expect(outside.status).toBe(403);
  });
});

describe("ID numbers of natural persons", () => {
  it("are shown to regulators and admins, never to the party's peers or the party itself", async () => {
    const farmer = await t.party("household", { idNumber: "33018519700101123X" });
    const regulator = await t.party("regulator", { regionCode: "330112" });
    const other = await t.party("family_farm");
    expect((await t.call("GET", `/v1/parties/${farmer.id}`, { key: regulator.key })).json.idNumber).toBe("33018519700101123X");
    expect((await t.call("GET", `/v1/parties/${farmer.id}`, { key: ADMIN_KEY })).json.idNumber).toBe("33018519700101123X");
    const own = await t.call("GET", `/v1/parties/${farmer.id}`, { key: farmer.key });
    expect(own.json.idNumber).toBeUndefined();
    expect(own.json.hasIdNumber).toBe(true);
    expect(own.text).not.toContain("33018519700101123X");
    expect((await t.call("GET", `/v1/parties/${farmer.id}`, { key: other.key })).status).toBe(404);
  });

  it("are only accepted for natural persons", async () => {
    const res = await t.call("POST", "/v1/parties", { key: ADMIN_KEY, body: coop({ creditCode: withUsccCheck("93330112MA2H4K7Q7"), idNumber: "33018519700101123X" }) });
    expect(res.status).toBe(422);
    expect(res.json.errors[0].path).toBe("idNumber");
  });
});

describe("API keys", () => {
  it("are shown once, hashed at rest, and stop working when revoked", async () => {
    const farmer = await t.party("family_farm");
    const second = await t.call("POST", `/v1/parties/${farmer.id}/keys`, { key: farmer.key, body: { label: "手机" } });
    expect(second.status).toBe(201);
    expect(second.json.key).toMatch(/^lp_/);
    const listed = await t.call("GET", `/v1/parties/${farmer.id}/keys`, { key: farmer.key });
    expect(listed.json.items).toHaveLength(2);
    expect(listed.text).not.toContain(second.json.key);
    expect((await t.call("GET", "/v1/sites", { key: second.json.key })).status).toBe(200);
    const revoked = await t.call("POST", `/v1/parties/${farmer.id}/keys/${second.json.id}/revoke`, { key: farmer.key });
    expect(revoked.json.revokedAt).not.toBeNull();
    expect((await t.call("GET", "/v1/sites", { key: second.json.key })).status).toBe(401);
  });

  it("of another party cannot be made or listed", async () => {
    const a = await t.party("family_farm");
    const b = await t.party("family_farm");
    expect((await t.call("POST", `/v1/parties/${b.id}/keys`, { key: a.key })).status).toBe(404);
    expect((await t.call("GET", `/v1/parties/${b.id}/keys`, { key: a.key })).status).toBe(404);
  });
});

describe("GET /v1/parties", () => {
  it("pages with a cursor and scopes regulators to their region", async () => {
    await t.party("family_farm", { regionCode: "330881" });
    const first = await t.call("GET", "/v1/parties?limit=2", { key: ADMIN_KEY });
    expect(first.json.items).toHaveLength(2);
    const second = await t.call("GET", `/v1/parties?limit=2&cursor=${first.json.nextCursor}`, { key: ADMIN_KEY });
    expect(second.json.items[0].id > first.json.items[1].id).toBe(true);
    const regulator = await t.party("regulator", { regionCode: "330112" });
    const seen = await t.call("GET", "/v1/parties?limit=200", { key: regulator.key });
    expect(seen.json.items.every((p: { regionCode: string }) => p.regionCode === "330112")).toBe(true);
    expect((await t.call("GET", "/v1/parties?limit=0", { key: ADMIN_KEY })).status).toBe(422);
  });
});
