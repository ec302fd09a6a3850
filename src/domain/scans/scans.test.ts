import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  agentClass,
  coarsePlace,
  copiedCodeFindings,
  DEFAULT_COPIED_CODE_RULES,
  distanceKm,
  explainedScans,
  placeFromHeader,
  placeLabel,
  type ScanPoint,
} from ".";

const HANGZHOU = { lat: 30.3, lon: 120.2 };
const BEIJING = { lat: 39.9, lon: 116.4 };
const XIAOSHAN = { lat: 30.2, lon: 120.3 };
const at = (iso: string, where: { lat: number; lon: number } | null, place: string | null = null): ScanPoint => ({
  at: new Date(iso),
  lat: where?.lat ?? null,
  lon: where?.lon ?? null,
  place,
});
const base = { visits: 3, copies: 10, quantity: { amount: 500, unit: "kg" }, regions: [] };

describe("coarse places", () => {
  it("rounds coordinates to 0.1° and keeps both or neither", () => {
    expect(coarsePlace({ country: "cn", region: "Zhejiang", city: "Hangzhou", latitude: "30.27415", longitude: "120.15515" })).toEqual({
      country: "CN",
      region: "Zhejiang",
      city: "Hangzhou",
      lat: 30.3,
      lon: 120.2,
    });
    expect(coarsePlace({ latitude: "30.2", longitude: "abc" })).toMatchObject({ lat: null, lon: null });
    expect(coarsePlace({ latitude: 91, longitude: 10 })).toMatchObject({ lat: null, lon: null });
  });

  it("drops names that are empty, long, carry markup or are not text", () => {
    expect(coarsePlace({ region: "<script>", city: "x".repeat(65), country: " " })).toMatchObject({ region: null, city: null, country: null });
    expect(coarsePlace({ region: "Zhe\ud800jiang", city: "杭州 \ud83c\udf4a" })).toMatchObject({ region: null, city: "杭州 \ud83c\udf4a" });
  });

  it("reads the trusted proxy header, percent-encoded names included", () => {
    expect(placeFromHeader("country=CN; region=%E6%B5%99%E6%B1%9F; city=Hangzhou; lat=30.27; lon=120.15; asn=1")).toEqual({
      country: "CN",
      region: "浙江",
      city: "Hangzhou",
      lat: 30.3,
      lon: 120.2,
    });
    expect(placeFromHeader(undefined)).toMatchObject({ country: null, lat: null });
    expect(placeFromHeader("region=%E6%B5")).toMatchObject({ region: null });
  });

  it("labels a place from the most specific name, without repeats", () => {
    expect(placeLabel({ city: "Beijing", region: "Beijing", country: "CN" })).toBe("Beijing, CN");
    expect(placeLabel({ city: null, region: null, country: null })).toBeNull();
  });
});

describe("client classes", () => {
  it.each([
    ["Mozilla/5.0 (iPhone) AppleWebKit Mobile MicroMessenger/8.0.49", "wechat"],
    ["Mozilla/5.0 (Linux; Android 13) AlipayClient/10.5", "alipay"],
    ["Mozilla/5.0 (Linux; Android 14) Chrome/130 Mobile Safari/537.36", "browser"],
    ["Googlebot/2.1", "bot"],
    ["curl/8.5.0", "bot"],
    ["SomeScanner/1.0", "other"],
    [undefined, "other"],
  ])("%s → %s", (ua, want) => {
    expect(agentClass(ua)).toBe(want);
  });
});

describe("copied-code rule", () => {
  it("measures great-circle distance", () => {
    expect(distanceKm(HANGZHOU, BEIJING)).toBeGreaterThan(1100);
    expect(distanceKm(HANGZHOU, BEIJING)).toBeLessThan(1200);
    expect(distanceKm(HANGZHOU, HANGZHOU)).toBe(0);
  });

  it("flags scans too far apart for the time between them", () => {
    const findings = copiedCodeFindings({
      ...base,
      scans: [at("2026-11-20T02:00:00Z", HANGZHOU, "Hangzhou"), at("2026-11-20T02:30:00Z", BEIJING, "Beijing")],
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: "impossible_travel", from: { place: "Hangzhou" }, to: { place: "Beijing" }, hours: 0.5 });
  });

  it("accepts the same journey at a plausible speed, and nearby scans at any speed", () => {
    expect(copiedCodeFindings({ ...base, scans: [at("2026-11-20T02:00:00Z", HANGZHOU), at("2026-11-20T05:00:00Z", BEIJING)] })).toEqual([]);
    expect(copiedCodeFindings({ ...base, scans: [at("2026-11-20T02:00:00Z", HANGZHOU), at("2026-11-20T02:00:00Z", XIAOSHAN)] })).toEqual([]);
  });

  it("flags two far places at the same instant, whatever order the scans come in", () => {
    const findings = copiedCodeFindings({ ...base, scans: [at("2026-11-20T02:10:00Z", BEIJING), at("2026-11-20T02:10:00Z", HANGZHOU), at("2026-11-20T01:00:00Z", null)] });
    expect(findings.map((f) => f.kind)).toEqual(["impossible_travel"]);
  });

  it("ignores scans without coordinates for travel", () => {
    expect(copiedCodeFindings({ ...base, scans: [at("2026-11-20T02:00:00Z", null), at("2026-11-20T02:01:00Z", null)] })).toEqual([]);
  });

  it("flags many scans in more regions than one lot's goods reach, not single scans scattered by phones' home provinces", () => {
    const { maxRegions, minScansPerRegion } = DEFAULT_COPIED_CODE_RULES;
    const busy = ["Zhejiang, CN", "Beijing, CN", "Guangdong, CN", "Sichuan, CN", "Hubei, CN", "Henan, CN"].map((place, i) => ({ place, scans: minScansPerRegion + 10 - i }));
    const scattered = ["Anhui, CN", "Jiangxi, CN", "Hunan, CN", "Gansu, CN", "Yunnan, CN"].map((place) => ({ place, scans: minScansPerRegion - 1 }));
    expect(copiedCodeFindings({ ...base, scans: [], regions: [...busy.slice(0, maxRegions), ...scattered] })).toEqual([]);
    const [finding] = copiedCodeFindings({ ...base, scans: [], regions: [...scattered, ...busy] });
    expect(finding).toMatchObject({ kind: "many_regions", regions: busy });
    expect(finding!.messageZh).toBe(
      `在 6 个省级地区各被扫描 ${minScansPerRegion} 次以上（Zhejiang, CN 20 次、Beijing, CN 19 次、Guangdong, CN 18 次、Sichuan, CN 17 次、Hubei, CN 16 次 等），一批货难以同时销往这么多地方，疑似被复制`,
    );
    expect(finding!.message).toContain(`scanned ${minScansPerRegion} times or more in each of 6 regions (Zhejiang, CN (20), Beijing, CN (19), `);
    expect(copiedCodeFindings({ ...base, scans: [], regions: busy.slice(0, maxRegions + 1) })[0]!.messageZh).not.toContain("等");
  });

  it("flags more scans than the labels or the quantity explain", () => {
    const explained = explainedScans({ copies: 40, quantity: { amount: 300, unit: "kg" } });
    expect(explained).toBe(Math.max(DEFAULT_COPIED_CODE_RULES.minScans, 40 * DEFAULT_COPIED_CODE_RULES.scansPerLabel, 300 * DEFAULT_COPIED_CODE_RULES.scansPerUnit));
    const input = { scans: [], copies: 40, quantity: { amount: 300, unit: "kg" }, regions: [] };
    expect(copiedCodeFindings({ ...input, visits: explained })).toEqual([]);
    expect(copiedCodeFindings({ ...input, visits: explained + 1 })).toMatchObject([{ kind: "excess_scans", scans: explained + 1, explained }]);
  });

  it("converts mass units and counts count units as they are", () => {
    expect(explainedScans({ copies: 1, quantity: { amount: 1, unit: "t" } })).toBe(1000 * DEFAULT_COPIED_CODE_RULES.scansPerUnit);
    expect(explainedScans({ copies: 1, quantity: { amount: 150, unit: "箱" } })).toBe(300);
    expect(explainedScans({ copies: 0, quantity: { amount: 1, unit: "kg" } })).toBe(DEFAULT_COPIED_CODE_RULES.minScans);
  });

  it("never flags volume at or below the floor, and always above what is explained", () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.double({ min: 0.001, max: 10_000, noNaN: true }), fc.nat(100_000), (copies, amount, total) => {
        const explained = explainedScans({ copies, quantity: { amount, unit: "kg" } });
        const flagged = copiedCodeFindings({ scans: [], visits: total, copies, quantity: { amount, unit: "kg" }, regions: [] }).length > 0;
        expect(explained).toBeGreaterThanOrEqual(DEFAULT_COPIED_CODE_RULES.minScans);
        expect(flagged).toBe(total > explained);
      }),
    );
  });

  it("depends on when scans happened, not on the order they are listed in", () => {
    const points = fc.record({
      minutes: fc.integer({ min: 0, max: 60 * 48 }),
      lat: fc.double({ min: 18, max: 50, noNaN: true }),
      lon: fc.double({ min: 75, max: 130, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(points, { selector: (p) => p.minutes, maxLength: 8 }), (pts) => {
        const scans = pts.map((p) => at(new Date(Date.UTC(2026, 10, 20) + p.minutes * 60_000).toISOString(), p));
        const forward = copiedCodeFindings({ ...base, scans }).length;
        const backward = copiedCodeFindings({ ...base, scans: [...scans].reverse() }).length;
        expect(forward).toBe(backward);
      }),
    );
  });
});
