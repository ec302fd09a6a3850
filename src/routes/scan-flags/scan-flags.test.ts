import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, createTestContext, type TestContext } from "../../../test/support/context";
import type { ScanPlace } from "../../domain/scans";
import { recordScans, type ScanInput } from "../../services/scans";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext("scan-flags");
});
afterAll(() => t.close());

async function issue() {
  const { producer, lot } = await t.producerWithLot(1000);
  const res = await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, quantity: 500, basis: "quality_control", copies: 500 } });
  return { code: res.json.code as string, producer };
}

const place = (region: string, city: string, lat: number | null = null, lon: number | null = null): ScanPlace => ({ country: "CN", region, city, lat, lon });
const scans = (code: string, where: ScanPlace, n: number, at = t.clock.now()): ScanInput[] =>
  Array.from({ length: n }, () => ({ code, at, place: where, agent: "wechat" as const, client: null }));

describe("GET /v1/scan-flags", () => {
  let spread: { code: string };
  let travelled: { code: string };
  beforeAll(async () => {
    spread = await issue();
    const provinces = [place("Zhejiang", "Hangzhou"), place("Jiangsu", "Suzhou"), place("Guangdong", "Guangzhou"), place("Sichuan", "Chengdu"), place("Beijing", "Beijing")];
    await recordScans(t.deps, [...provinces.flatMap((p, i) => scans(spread.code, p, 10 + i)), ...scans(spread.code, { country: null, region: null, city: null, lat: null, lon: null }, 3)]);
    travelled = await issue();
    await recordScans(t.deps, scans(travelled.code, place("Zhejiang", "Hangzhou", 30.3, 120.2), 1));
    t.clock.advance(10 * 60_000);
    await recordScans(t.deps, scans(travelled.code, place("Beijing", "Beijing", 39.9, 116.4), 1));
  });

  it("lists the flags on certificates of the regulator's region, with the case opened for each", async () => {
    const regulator = await t.party("regulator", { regionCode: "330100" });
    const res = await t.call("GET", "/v1/scan-flags?limit=200", { key: regulator.key });
    expect(res.status).toBe(200);
    const mine = res.json.items.filter((f: { certificateCode: string }) => [spread.code, travelled.code].includes(f.certificateCode));
    expect(mine).toMatchObject([
      { kind: "many_regions", certificateCode: spread.code, regionCode: "330112", caseId: expect.any(String), detail: { messageZh: expect.stringContaining("5 个省级地区") } },
      { kind: "impossible_travel", certificateCode: travelled.code, regionCode: "330112", caseId: expect.any(String), detail: { distanceKm: expect.any(Number) } },
    ]);
    const travel = await t.call("GET", "/v1/scan-flags?kind=impossible_travel&limit=200", { key: regulator.key });
    expect(travel.json.items.every((f: { kind: string }) => f.kind === "impossible_travel")).toBe(true);
    // Another district's regulator sees none of them; a producer may not list flags at all.
    const elsewhere = await t.party("regulator", { regionCode: "110101" });
    expect((await t.call("GET", "/v1/scan-flags", { key: elsewhere.key })).json.items).toEqual([]);
    expect((await t.call("GET", "/v1/scan-flags", { key: (await issue()).producer.key })).status).toBe(403);
    const badKind = await t.call("GET", "/v1/scan-flags?kind=copied", { key: regulator.key });
    expect(badKind.status).toBe(422);
    expect(badKind.json.errors.map((e: { path: string }) => e.path)).toEqual(["query.kind"]);
  });

  it("pages with the cursor", async () => {
    const first = await t.call("GET", "/v1/scan-flags?limit=1", { key: ADMIN_KEY });
    expect(first.json.items).toHaveLength(1);
    const next = await t.call("GET", `/v1/scan-flags?limit=1&cursor=${first.json.nextCursor}`, { key: ADMIN_KEY });
    expect(next.json.items[0].id > first.json.items[0].id).toBe(true);
  });

  it("shows one flag with its evidence: the scan counts and where the code was scanned, most first", async () => {
    const regulator = await t.party("regulator", { regionCode: "330112" });
    const list = await t.call("GET", "/v1/scan-flags?kind=many_regions&limit=200", { key: regulator.key });
    const flag = list.json.items.find((f: { certificateCode: string }) => f.certificateCode === spread.code);
    const res = await t.call("GET", `/v1/scan-flags/${flag.id}`, { key: regulator.key });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: flag.id, kind: "many_regions", scans: { people: 63, visits: 63 } });
    expect(res.json.places).toEqual([
      { place: "Beijing, CN", scans: 14 },
      { place: "Chengdu, Sichuan, CN", scans: 13 },
      { place: "Guangzhou, Guangdong, CN", scans: 12 },
      { place: "Suzhou, Jiangsu, CN", scans: 11 },
      { place: "Hangzhou, Zhejiang, CN", scans: 10 },
      { place: null, scans: 3 },
    ]);
    const elsewhere = await t.party("regulator", { regionCode: "110101" });
    const hidden = await t.call("GET", `/v1/scan-flags/${flag.id}`, { key: elsewhere.key });
    expect(hidden.status).toBe(404);
    expect(hidden.headers.get("content-type")).toContain("application/problem+json");
  });
});
