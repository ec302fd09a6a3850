import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, createTestContext, type TestContext } from "../../../test/support/context";
import { cases, certificates, scanFlags, scans, scanTotals } from "../../db/schema";
import { headerScanPlace } from "../../http/scan-place";
import { DEFAULT_COPIED_CODE_RULES } from "../../domain/scans";
import { recordScans, scanSummary } from "../../services/scans";
import { scanQueue } from "../../services/scan-queue";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext("scan-records", { responseCache: true, clientAddress: (c) => c.req.header("x-forwarded-for") });
  t.deps.scanPlace = headerScanPlace("x-client-place");
});
afterAll(() => t.close());

const PHONE = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/130 Mobile Safari/537.36 MicroMessenger/8.0";
const HANGZHOU = "country=CN; region=Zhejiang; city=Hangzhou; lat=30.274; lon=120.155";
const BEIJING = "country=CN; region=Beijing; city=Beijing; lat=39.904; lon=116.407";
const HTML = { accept: "text/html" };

async function issue(copies = 2, quantity = 100) {
  const { producer, lot } = await t.producerWithLot(1000);
  const res = await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, quantity, basis: "quality_control", copies } });
  expect(res.status).toBe(201);
  const [row] = await t.deps.db.select({ id: certificates.id }).from(certificates).where(eq(certificates.code, res.json.code));
  return { code: res.json.code as string, id: row!.id, lotId: lot.id as string, producer };
}

const scansOf = (id: string) => t.deps.db.select().from(scans).where(eq(scans.certificateId, id)).orderBy(scans.scannedAt);

describe("scan records", () => {
  it("records every scan with its time, coarse place, client class and a hashed visitor, never the address", async () => {
    const cert = await issue();
    const res = await t.call("GET", `/c/${cert.code}`, { headers: { ...HTML, "user-agent": PHONE, "x-client-place": HANGZHOU, "x-forwarded-for": "203.0.113.7" } });
    expect(res.status).toBe(200);
    const rows = await scansOf(cert.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ country: "CN", region: "Zhejiang", city: "Hangzhou", lat: 30.3, lon: 120.2, agent: "wechat", scannedAt: t.clock.now() });
    expect(rows[0]!.client).toMatch(/^[0-9a-f]{24}$/);
    expect(JSON.stringify(rows)).not.toContain("203.0.113.7");
  });

  it("counts a visitor who scans again the same day once towards the volume rule, and again the next day", async () => {
    const cert = await issue();
    const visit = (address: string) => t.call("GET", `/c/${cert.code}`, { headers: { ...HTML, "user-agent": PHONE, "x-forwarded-for": address } });
    const totals = async () => (await t.deps.db.select().from(scanTotals).where(eq(scanTotals.certificateId, cert.id)))[0];
    for (let i = 0; i < 5; i++) await visit("203.0.113.7");
    await visit("198.51.100.9");
    expect(await totals()).toMatchObject({ people: 6, visits: 2 });
    const clients = new Set((await scansOf(cert.id)).map((r) => r.client));
    expect(clients.size).toBe(2);
    // A new China day draws a new salt: the same phone is a new visit, and its ids cannot be linked to yesterday's.
    t.clock.advance(24 * 3_600_000);
    await visit("203.0.113.7");
    expect(await totals()).toMatchObject({ people: 7, visits: 3 });
    expect(clients.has((await scansOf(cert.id)).at(-1)!.client)).toBe(false);
    // Without a known address each scan is a visit of its own.
    await t.call("GET", `/c/${cert.code}`, { headers: HTML });
    await t.call("GET", `/c/${cert.code}`, { headers: HTML });
    expect(await totals()).toMatchObject({ people: 9, visits: 5 });
  });

  it("counts scans answered from the cache and with 304, but not unknown codes or other methods", async () => {
    const cert = await issue();
    const first = await t.call("GET", `/c/${cert.code}`, { headers: { accept: "application/json" } });
    const hit = await t.call("GET", `/c/${cert.code}`, { headers: { accept: "application/json" } });
    expect(hit.headers.get("x-cache")).toBe("hit");
    const notModified = await t.call("GET", `/c/${cert.code}`, { headers: { accept: "application/json", "if-none-match": first.headers.get("etag")! } });
    expect(notModified.status).toBe(304);
    await t.app.request(`/c/${cert.code}`, { method: "HEAD" });
    await t.call("GET", "/c/0000000000X");
    expect(await scansOf(cert.id)).toHaveLength(3);
  });

  it("shows the count and the places on the page, leaving bots out", async () => {
    const cert = await issue();
    await t.call("GET", `/c/${cert.code}`, { headers: { ...HTML, "x-client-place": HANGZHOU } });
    await t.call("GET", `/c/${cert.code}`, { headers: { ...HTML, "user-agent": "Googlebot/2.1" } });
    t.clock.advance(60_000);
    const page = await t.call("GET", `/c/${cert.code}?lang=zh`, { headers: { ...HTML, "x-client-place": HANGZHOU } });
    expect(page.text).toMatch(/data-scans="2"/);
    expect(page.text).toContain("本码已被扫描 2 次");
    expect(page.text).toContain("Hangzhou, Zhejiang, CN: 2");
  });

  it("says no scan is recorded yet, rather than a count of 0, where the first scan is stored after its answer", async () => {
    const cert = await issue();
    const queue = scanQueue(t.deps, { windowMs: 3_600_000 });
    t.deps.waitUntil = () => undefined;
    t.deps.recordScan = queue.record;
    try {
      const zh = await t.call("GET", `/c/${cert.code}?lang=zh`, { headers: HTML });
      const en = await t.call("GET", `/c/${cert.code}?lang=en`, { headers: HTML });
      expect(zh.text).toMatch(/data-scans="0"/);
      expect(zh.text).toContain("尚无扫描记录");
      expect(en.text).toContain("No scans recorded yet");
      await queue.flush();
    } finally {
      delete t.deps.waitUntil;
      delete t.deps.recordScan;
    }
  });

  it("lists the eight most frequent places and counts the rest as elsewhere, from the running total", async () => {
    const cert = await issue(500, 500);
    const at = t.clock.now();
    const batch = Array.from({ length: 12 }, (_, i) =>
      Array.from({ length: 12 - i }, () => ({
        code: cert.code,
        at,
        place: { country: "CN", region: "Zhejiang", city: `City${String(i).padStart(2, "0")}`, lat: null, lon: null },
        agent: "browser" as const,
        client: null,
      })),
    ).flat();
    await recordScans(t.deps, batch);
    const summary = await scanSummary(t.deps, cert.code);
    expect(summary.total).toBe(78);
    expect(summary.places.map((p) => [p.place, p.count])).toEqual(Array.from({ length: 8 }, (_, i) => [`City${String(i).padStart(2, "0")}, Zhejiang, CN`, 12 - i]));
    expect(summary.elsewhere).toBe(4 + 3 + 2 + 1);
  });

  it("counts the place of every scan, however often the code was scanned", async () => {
    const cert = await issue(500, 500);
    const scan = (city: string, at: Date) => ({
      code: cert.code,
      at,
      place: { country: "CN", region: "Zhejiang", city, lat: null, lon: null },
      agent: "browser" as const,
      client: null,
    });
    const start = t.clock.now().getTime();
    await recordScans(t.deps, Array.from({ length: 1_000 }, (_, i) => scan("Hangzhou", new Date(start + i))));
    await recordScans(t.deps, Array.from({ length: 200 }, (_, i) => scan("Ningbo", new Date(start + 1_000 + i))));
    await recordScans(t.deps, [{ ...scan("Ningbo", new Date(start + 2_000)), agent: "bot" }]);
    const summary = await scanSummary(t.deps, cert.code);
    expect(summary).toMatchObject({ total: 1_200, elsewhere: 0 });
    expect(summary.places).toEqual([
      { place: "Hangzhou, Zhejiang, CN", count: 1_000 },
      { place: "Ningbo, Zhejiang, CN", count: 200 },
    ]);
  });

  it("warns on the page, at once, when a market was offered more goods under the code than it had left", async () => {
    const cert = await issue(2, 100);
    const market = await t.party("market");
    const receive = (quantity: number) =>
      t.call("POST", "/v1/market/receipts", { key: market.key, body: { code: cert.code, sellerName: "王老板", quantity, unit: "kg", decision: "accept" } });
    const cached = await t.call("GET", `/c/${cert.code}?lang=zh`, { headers: HTML });
    expect(cached.text).not.toContain("data-flag");
    expect((await receive(60)).status).toBe(201);
    expect((await receive(50)).status).toBe(409);
    const zh = await t.call("GET", `/c/${cert.code}?lang=zh`, { headers: HTML });
    expect(zh.headers.get("x-cache")).not.toBe("hit");
    expect(zh.text).toContain('data-flag="quantity_exceeded"');
    expect(zh.text).toContain("凭本证进场的货物多于本证剩余数量（剩余 40\u00a0kg，来货 50\u00a0kg）");
    expect(zh.text).toContain("请核对手中产品");
    t.clock.advance(60_000);
    expect((await receive(45)).status).toBe(409);
    const en = await t.call("GET", `/c/${cert.code}?lang=en`, { headers: HTML });
    expect(en.text).toContain("a market was offered more goods under it than it had left (45\u00a0kg with 40\u00a0kg left, 2 times)");
    const json = await t.call("GET", `/c/${cert.code}`, { headers: { accept: "application/json" } });
    expect(json.json.flags).toEqual([
      { kind: "quantity_exceeded", raisedAt: expect.any(String), message: expect.stringContaining("2 times"), messageZh: expect.stringContaining("共 2 次") },
    ]);
    // Counted once however often it was refused; dated from the first refusal.
    expect(new Date(json.json.flags[0].raisedAt).getTime()).toBe(t.clock.now().getTime() - 60_000);
  });

  it("flags a code scanned in two far places too fast, opens a case for the issuer's district and warns on the page", async () => {
    const cert = await issue();
    await t.call("GET", `/c/${cert.code}`, { headers: { ...HTML, "user-agent": PHONE, "x-client-place": HANGZHOU } });
    t.clock.advance(20 * 60_000);
    await t.call("GET", `/c/${cert.code}`, { headers: { ...HTML, "user-agent": PHONE, "x-client-place": BEIJING } });
    const flags = await t.deps.db.select().from(scanFlags).where(eq(scanFlags.certificateId, cert.id));
    expect(flags).toMatchObject([{ kind: "impossible_travel", regionCode: "330112", caseId: expect.any(String) }]);
    const [opened] = await t.deps.db.select().from(cases).where(eq(cases.id, flags[0]!.caseId!));
    expect(opened).toMatchObject({ lotId: cert.lotId, regionCode: "330112", source: "flag", flagId: flags[0]!.id, stage: "open" });
    // The district's regulator sees it among its cases.
    const regulator = await t.party("regulator", { regionCode: "330112" });
    const listed = await t.call("GET", `/v1/cases?lotId=${cert.lotId}`, { key: regulator.key });
    expect(listed.json.items.map((c: { id: string }) => c.id)).toContain(opened!.id);
    // A third scan raises nothing new: one flag per kind. The page cached before the flag was purged with it.
    t.clock.advance(1_000);
    const page = await t.call("GET", `/c/${cert.code}`, { headers: { ...HTML, "user-agent": PHONE, "x-client-place": HANGZHOU } });
    expect(await t.deps.db.select().from(scanFlags).where(eq(scanFlags.certificateId, cert.id))).toHaveLength(1);
    expect(page.text).toContain('data-flag="impossible_travel"');
    expect(page.text).toContain("疑似复制码");
    // Once, whatever the number of flags: how the consumer can check the goods in hand.
    expect(page.text.split("请核对手中产品的品名、产地和销售者是否与本页一致").length - 1).toBe(1);
    const json = await t.call("GET", `/c/${cert.code}`, { headers: { accept: "application/json" } });
    expect(json.json.flags).toMatchObject([{ kind: "impossible_travel" }]);
    expect((await t.call("GET", `/v1/cases/${opened!.id}`, { key: ADMIN_KEY })).json.summary).toContain(cert.code);
  });

  it("flags a code scanned often in more regions than one lot reaches, opening a case and warning on the page", async () => {
    const cert = await issue(500, 500);
    const scans = (region: string, n: number) =>
      Array.from({ length: n }, () => ({
        code: cert.code,
        at: t.clock.now(),
        place: { country: "CN", region, city: null, lat: null, lon: null },
        agent: "browser" as const,
        client: null,
      }));
    const flags = () => t.deps.db.select().from(scanFlags).where(eq(scanFlags.certificateId, cert.id));
    // Four busy regions (a distribution centre's), and single scans from many others (phones placed in their home
    // provinces): nothing.
    await recordScans(t.deps, [...scans("Zhejiang", 30), ...scans("Shanghai", 12), ...scans("Jiangsu", 10), ...scans("Anhui", 10)]);
    for (const region of ["Henan", "Sichuan", "Hunan", "Gansu", "Yunnan"]) await recordScans(t.deps, scans(region, 9));
    expect(await flags()).toEqual([]);
    // A fifth region reaches ten scans, over two batches.
    await recordScans(t.deps, scans("Henan", 1));
    const [flag] = await flags();
    expect(flag).toMatchObject({ kind: "many_regions", regionCode: "330112", caseId: expect.any(String) });
    expect(flag!.detail).toMatchObject({
      regions: [
        { place: "Zhejiang, CN", scans: 30 },
        { place: "Shanghai, CN", scans: 12 },
        { place: "Anhui, CN", scans: 10 },
        { place: "Henan, CN", scans: 10 },
        { place: "Jiangsu, CN", scans: 10 },
      ],
    });
    const page = await t.call("GET", `/c/${cert.code}?lang=zh`, { headers: HTML });
    expect(page.text).toContain('data-flag="many_regions"');
    expect(page.text).toContain("在 5 个省级地区各被扫描 10 次以上（Zhejiang, CN 30 次、Shanghai, CN 12 次、Anhui, CN 10 次、Henan, CN 10 次、Jiangsu, CN 10 次）");
    // Raised once.
    await recordScans(t.deps, scans("Sichuan", 1));
    expect(await flags()).toHaveLength(1);
  });

  it("flags more scans than the certificate's quantity explains (rule thresholds are data)", async () => {
    const cert = await issue(1, 2);
    const rules = { ...DEFAULT_COPIED_CODE_RULES, scansPerLabel: 1, scansPerUnit: 1, minScans: 3 };
    const at = t.clock.now();
    const scan = { code: cert.code, at, place: { country: null, region: null, city: null, lat: null, lon: null }, agent: "browser" as const, client: null };
    await recordScans(t.deps, [scan, scan, scan], rules);
    expect(await t.deps.db.select().from(scanFlags).where(eq(scanFlags.certificateId, cert.id))).toEqual([]);
    await recordScans(t.deps, [scan], rules);
    const flags = await t.deps.db.select().from(scanFlags).where(eq(scanFlags.certificateId, cert.id));
    expect(flags).toMatchObject([{ kind: "excess_scans", detail: { scans: 4, explained: 3 } }]);
    // Bots never count towards it.
    const bots = await issue(1, 2);
    await recordScans(t.deps, Array.from({ length: 6 }, () => ({ ...scan, code: bots.code, agent: "bot" as const })), rules);
    expect(await t.deps.db.select().from(scanFlags).where(eq(scanFlags.certificateId, bots.id))).toEqual([]);
  });

  it("does not delay the answer where the runtime can finish work later, and stores queued scans together", async () => {
    const cert = await issue();
    const pending: Promise<unknown>[] = [];
    const queue = scanQueue(t.deps, { windowMs: 3_600_000 });
    t.deps.waitUntil = (work) => void pending.push(work);
    t.deps.recordScan = queue.record;
    try {
      const answers = await Promise.all([1, 2, 3].map(() => t.call("GET", `/c/${cert.code}`, { headers: { accept: "application/json" } })));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
      expect(pending).toHaveLength(3);
      // Answered, and still queued: nothing is written before the window closes or the queue is flushed.
      expect(await scansOf(cert.id)).toHaveLength(0);
      await queue.flush();
      await Promise.all(pending);
      expect(await scansOf(cert.id)).toHaveLength(3);
    } finally {
      delete t.deps.waitUntil;
      delete t.deps.recordScan;
    }
  });

  it("stores a full batch at once, without waiting for the window", async () => {
    const cert = await issue();
    const queue = scanQueue(t.deps, { windowMs: 3_600_000, maxBatch: 2 });
    const scan = { code: cert.code, at: t.clock.now(), place: { country: null, region: null, city: null, lat: null, lon: null }, agent: "browser" as const, client: null };
    const first = [queue.record(scan), queue.record(scan)];
    const third = queue.record(scan);
    await Promise.all(first);
    expect(await scansOf(cert.id)).toHaveLength(2);
    await queue.flush();
    await third;
    expect(await scansOf(cert.id)).toHaveLength(3);
  });

  it("logs a batch that cannot be stored once, and still answers its scans", async () => {
    const cert = await issue();
    const failing = { ...t.deps, db: { execute: () => Promise.reject(new Error("database away")) } as unknown as typeof t.deps.db };
    const queue = scanQueue(failing, { windowMs: 3_600_000 });
    t.deps.recordScan = queue.record;
    t.deps.waitUntil = () => undefined;
    const errors: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      const answers = await Promise.all([1, 2, 3].map(() => t.call("GET", `/c/${cert.code}`, { headers: { accept: "application/json" } })));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
      await queue.flush();
      expect(errors.map((e) => e[0])).toEqual(["storing 3 scans failed"]);
    } finally {
      console.error = original;
      delete t.deps.recordScan;
      delete t.deps.waitUntil;
    }
  });

  it("never fails a scan because recording failed", async () => {
    const cert = await issue();
    t.deps.recordScan = () => Promise.reject(new Error("database away"));
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      const res = await t.call("GET", `/c/${cert.code}`, { headers: { accept: "application/json" } });
      expect(res.status).toBe(200);
      expect(errors).toHaveLength(1);
    } finally {
      console.error = original;
      delete t.deps.recordScan;
    }
  });
});
