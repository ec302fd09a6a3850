import { request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { getRequestListener } from "@hono/node-server";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../test/support/context";
import { certificates, scans } from "../db/schema";
import { placeFromHeader } from "../domain/scans";
import { nodeClientAddress } from "../runtime";
import { gzipped } from "./gzip";
import { headerScanPlace } from "./scan-place";
import { nodeCacheHits, serverWithCacheHits } from "./node-cache-hits";

const PHONE = {
  accept: "application/json",
  "accept-encoding": "gzip, deflate, br, zstd",
  "accept-language": "zh-CN,zh;q=0.9,en;q=0.8",
  "user-agent": "Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36",
};
const PLAIN = { ...PHONE, "accept-encoding": "identity" };

let t: TestContext;
let server: Server;
let base: string;

beforeAll(async () => {
  t = await createTestContext("node-cache-hits", {
    responseCache: true,
    rateLimit: { perMinute: 60, burst: 30 },
    clientAddress: nodeClientAddress,
  });
  t.deps.gzip = gzipped;
  t.deps.scanPlace = headerScanPlace("x-client-place");
  const hits = nodeCacheHits(t.deps, { place: (req) => placeFromHeader(req.headers["x-client-place"]?.toString()) });
  server = serverWithCacheHits(hits, getRequestListener(t.app.fetch));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

/** A raw GET over the socket: fetch would add its own negotiation headers and undo the gzip. */
function get(path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(base + path, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers as Record<string, string>, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

async function issued() {
  const { producer, lot } = await t.producerWithLot(1000);
  const res = await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId: lot.id, quantity: 10, basis: "quality_control" } });
  if (res.status !== 201) throw new Error(`issue: ${res.status} ${res.text}`);
  const [row] = await t.deps.db.select({ id: certificates.id }).from(certificates).where(eq(certificates.code, res.json.code));
  return { producer, id: res.json.id as string, code: res.json.code as string, rowId: row!.id };
}

describe("cache hits answered by the Node origin before the app", () => {
  it("sends what the app would send for the same hit, header for header and byte for byte", async () => {
    const cert = await issued();
    const miss = await get(`/c/${cert.code}`, PLAIN);
    expect(miss.headers["x-cache"]).toBe("miss");
    const hit = await get(`/c/${cert.code}`, PLAIN);
    expect(hit.headers["x-cache"]).toBe("hit");
    expect(hit.body.equals(miss.body)).toBe(true);
    expect(JSON.parse(hit.body.toString()).status).toBe("valid");

    const inApp = await t.app.request(`/c/${cert.code}`, { headers: PLAIN });
    expect(inApp.headers.get("x-cache")).toBe("hit");
    for (const [name, value] of inApp.headers) expect(hit.headers[name], name).toBe(value);
    expect(Number(hit.headers["content-length"])).toBe(hit.body.byteLength);
    expect(Buffer.from(await inApp.arrayBuffer()).equals(hit.body)).toBe(true);
  });

  it("sends the gzip body to a phone that accepts it, with its own tag, and 304 for the tag it already has", async () => {
    const cert = await issued();
    const plain = await get(`/c/${cert.code}`, PLAIN);
    await get(`/c/${cert.code}`, PHONE);
    const zipped = await get(`/c/${cert.code}`, PHONE);
    expect(zipped.headers["x-cache"]).toBe("hit");
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(zipped.headers["etag"]).toBe(plain.headers["etag"]!.replace(/"$/, '-gz"'));
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);

    const again = await get(`/c/${cert.code}`, { ...PHONE, "if-none-match": zipped.headers["etag"]! });
    expect(again.status).toBe(304);
    expect(again.body.byteLength).toBe(0);
    expect(again.headers["etag"]).toBe(zipped.headers["etag"]);
  });

  it("records every scan it answers, with the place from the trusted header and no address", async () => {
    const cert = await issued();
    const hangzhou = "country=CN; region=Zhejiang; city=Hangzhou; lat=30.274; lon=120.155";
    for (let i = 0; i < 3; i++) expect((await get(`/c/${cert.code}`, { ...PHONE, "x-client-place": hangzhou })).status).toBe(200);
    const rows = await t.deps.db.select().from(scans).where(eq(scans.certificateId, cert.rowId));
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.city === "Hangzhou" && r.agent === "browser" && /^[0-9a-f]{24}$/.test(r.client ?? ""))).toBe(true);
    expect(new Set(rows.map((r) => r.client)).size).toBe(1);
    expect(JSON.stringify(rows)).not.toContain("127.0.0.1");
  });

  it("never answers a revoked certificate from before the revocation", async () => {
    const cert = await issued();
    await get(`/c/${cert.code}`, PLAIN);
    expect((await get(`/c/${cert.code}`, PLAIN)).headers["x-cache"]).toBe("hit");
    expect((await t.call("POST", `/v1/certificates/${cert.id}/revoke`, { key: cert.producer.key, body: { reason: "标签印错" } })).status).toBe(200);
    const after = await get(`/c/${cert.code}`, PLAIN);
    expect(after.headers["x-cache"]).toBe("miss");
    expect(JSON.parse(after.body.toString()).status).toBe("revoked");
  });

  it("leaves requests with credentials, percent-encoded paths and misses to the app", async () => {
    const cert = await issued();
    await get(`/c/${cert.code}`, PLAIN);
    const withKey = await get(`/c/${cert.code}`, { ...PLAIN, authorization: `Bearer ${cert.producer.key}` });
    expect(withKey.status).toBe(200);
    expect(withKey.headers["x-cache"]).toBeUndefined();
    const encoded = await get(`/c/${encodeURIComponent(cert.code.slice(0, 4))}%2D${cert.code.slice(4)}`, PLAIN);
    expect(encoded.status).toBe(200);
    expect(encoded.body.equals((await get(`/c/${cert.code}`, PLAIN)).body)).toBe(true);
    const unknown = await get(`/c/${cert.code.slice(0, -1)}`, PLAIN);
    expect(unknown.status).toBeGreaterThanOrEqual(400);
  });

  it("answers a hit within the turn it arrived in when the scan is recorded in the background", async () => {
    const cert = await issued();
    await get(`/c/${cert.code}`, PHONE);
    await get(`/c/${cert.code}`, PLAIN);
    expect((await get(`/c/${cert.code}`, PHONE)).headers["x-cache"]).toBe("hit");
    const recorded: string[] = [];
    const background = nodeCacheHits({ ...t.deps, recordScan: async (scan) => void recorded.push(scan.code), waitUntil: (work) => void work });
    const written: { status: number; headers: Record<string, string>; body: Uint8Array | null }[] = [];
    const res = {
      writeHead(status: number, headers: Record<string, string>) {
        written.push({ status, headers, body: null });
      },
      end(body: Uint8Array | null) {
        written[written.length - 1]!.body = body;
      },
    };
    const req = (headers: Record<string, string>) => ({ method: "GET", url: `/c/${cert.code}`, headers, socket: { remoteAddress: "10.0.0.1" } });
    for (let i = 0; i < 2; i++) expect(background(req(PHONE) as never, res as never)).toBe(true);
    expect(background(req(PLAIN) as never, res as never)).toBe(true);
    expect(recorded).toEqual([cert.code, cert.code, cert.code]);
    const [first, second, plain] = written;
    expect(second).toEqual(first);
    expect(first!.headers["content-encoding"]).toBe("gzip");
    expect(Number(first!.headers["content-length"])).toBe(first!.body!.byteLength);
    expect(gunzipSync(first!.body!).equals(Buffer.from(plain!.body!))).toBe(true);
    expect(plain!.headers["content-encoding"]).toBeUndefined();
    expect(Number(plain!.headers["content-length"])).toBe(plain!.body!.byteLength);
  });

  it("refuses a flood from one client with 429 and Retry-After, as the app does", async () => {
    const cert = await issued();
    let refused: Awaited<ReturnType<typeof get>> | undefined;
    for (let i = 0; i < 40 && refused === undefined; i++) {
      const res = await get(`/c/${cert.code}`, PLAIN);
      if (res.status === 429) refused = res;
    }
    expect(refused).toBeDefined();
    expect(refused!.headers["content-type"]).toBe("application/problem+json; charset=utf-8");
    expect(Number(refused!.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(refused!.body.toString())).toMatchObject({ status: 429, title: "Too many requests" });
  });
});
