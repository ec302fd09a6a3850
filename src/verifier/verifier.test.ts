import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { serve } from "@hono/node-server";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, createTestContext, type TestContext } from "../../test/support/context";
import { signCheckpoint } from "../domain/merkle";
import { checkCertificate } from "./check-certificate";
import type { Fetch } from "./http";
import { type MonitorState, monitorOnce } from "./monitor";

let t: TestContext;
let producer: { key: string };
let lotId: string;
const BASE = "http://service.test";
const appFetch: Fetch = async (url, init) => t.app.request(url, init);

beforeAll(async () => {
  t = await createTestContext("outside-verifier");
  const made = await t.producerWithLot(1000);
  producer = made.producer;
  lotId = made.lot.id;
});
afterAll(() => t.close());

async function issue() {
  const res = await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId, quantity: 5, basis: "quality_control" } });
  if (res.status !== 201) throw new Error(`issue: ${res.status} ${res.text}`);
  return res.json as { id: string; code: string; jwt: string; url: string; displayCode: string };
}

/** The app as a real HTTP server, for the command-line tools. */
async function listening(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = serve({ fetch: t.app.fetch, port: 0, hostname: "127.0.0.1" });
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function run(script: string, args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr.on("data", (c: Buffer) => (out += c.toString()));
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, out };
}

describe("checking a certificate from outside", () => {
  it("accepts a genuine certificate by code, by display code and by token: signature, status and log proof", async () => {
    const cert = await issue();
    for (const target of [{ code: cert.code }, { code: cert.displayCode.toLowerCase() }, { jwt: cert.jwt }]) {
      const verdict = await checkCertificate({ target, baseUrl: BASE, fetch: appFetch });
      expect(verdict.checks.map((c) => [c.name, c.ok])).toEqual([
        ["signature", true],
        ["status", true],
        ["log", true],
      ]);
      expect(verdict.ok).toBe(true);
    }
  });

  it("fails a revoked certificate, and a log checkpoint not signed by the pinned key", async () => {
    const cert = await issue();
    await t.call("POST", `/v1/certificates/${cert.id}/revoke`, { key: producer.key, body: { reason: "数量填写错误" } });
    const revoked = await checkCertificate({ target: { code: cert.code }, baseUrl: BASE, fetch: appFetch });
    expect(revoked.ok).toBe(false);
    expect(revoked.checks.find((c) => c.name === "status")).toMatchObject({ ok: false, detail: expect.stringContaining("revoked") });

    const other = await issue();
    const wrongKey = "trace.test/lotproof+00000000+AQ" + "A".repeat(41) + "=";
    const pinned = await checkCertificate({ target: { code: other.code }, baseUrl: BASE, fetch: appFetch, logKey: wrongKey });
    expect(pinned.ok).toBe(false);
    expect(pinned.checks.find((c) => c.name === "log")?.ok).toBe(false);
  });

  it("fails a forged token and a network error with a clear reason", async () => {
    const cert = await issue();
    const [h, p, s] = cert.jwt.split(".");
    const forged = `${h}.${p}.${s!.slice(0, -4)}AAAA`;
    const verdict = await checkCertificate({ target: { jwt: forged }, baseUrl: BASE, fetch: appFetch });
    expect(verdict.ok).toBe(false);
    expect(verdict.checks[0]).toMatchObject({ name: "signature", ok: false });
    const down = await checkCertificate({ target: { code: cert.code }, baseUrl: BASE, fetch: async () => Promise.reject(new Error("ECONNREFUSED")) });
    expect(down).toMatchObject({ ok: false, checks: [{ name: "network", ok: false }] });
  });
});

describe("monitoring the log", () => {
  it("follows the log run after run, checking signatures, consistency and the leaves", async () => {
    await issue();
    const first = await monitorOnce({ baseUrl: BASE, fetch: appFetch, state: null, leaves: true });
    expect(first.ok).toBe(true);
    await issue();
    await issue();
    await t.call("POST", "/v1/log/checkpoint", { key: ADMIN_KEY });
    const second = await monitorOnce({ baseUrl: BASE, fetch: appFetch, state: first.state, leaves: true });
    expect(second.report.join("\n")).toContain("consistent with the previous checkpoint");
    expect(second.ok).toBe(true);
    expect(second.state!.size).toBeGreaterThan(first.state!.size);
    const again = await monitorOnce({ baseUrl: BASE, fetch: appFetch, state: second.state, leaves: true });
    expect(again.ok).toBe(true);
  });

  it("reports a fork: a checkpoint signed by the log key that does not extend the one seen before", async () => {
    await t.call("POST", "/v1/log/checkpoint", { key: ADMIN_KEY });
    const seen = await monitorOnce({ baseUrl: BASE, fetch: appFetch, state: null });
    const state = seen.state as MonitorState;
    const signer = t.deps.logSigner!;
    const forge = async (size: number) =>
      signCheckpoint({ origin: signer.origin, size, rootHash: new Uint8Array(32).fill(7), extensions: [] }, [signer.noteSigner]);
    for (const [size, expected] of [
      [state.size, "two signed checkpoints of size"],
      [state.size - 1, "shrank"],
    ] as const) {
      const note = await forge(size);
      const forked: Fetch = async (url, init) => (url.endsWith("/v1/log/checkpoint") ? new Response(note) : appFetch(url, init));
      const run = await monitorOnce({ baseUrl: BASE, fetch: forked, state });
      expect(run.ok).toBe(false);
      expect(run.report.at(-1)).toContain(expected);
      expect(run.state).toBe(state);
    }
    // A bigger forged tree: the service cannot prove it consistent with what the monitor saw.
    await issue();
    const size = (await t.call("GET", "/v1/log")).json.size as number;
    const note = await forge(size);
    const forked: Fetch = async (url, init) => (url.endsWith("/v1/log/checkpoint") ? new Response(note) : appFetch(url, init));
    const run = await monitorOnce({ baseUrl: BASE, fetch: forked, state });
    expect(run.ok).toBe(false);
    expect(run.report.at(-1)).toContain("is not an extension");
  });

  it("refuses a checkpoint signed by another key", async () => {
    const seen = await monitorOnce({ baseUrl: BASE, fetch: appFetch, state: null });
    const stranger = await monitorOnce({ baseUrl: BASE, fetch: appFetch, state: { ...seen.state!, verifierKey: "trace.test/lotproof+00000000+AQ" + "A".repeat(41) + "=" } });
    expect(stranger.ok).toBe(false);
  });

  it("runs as commands against a running server, and catches a leaf rewritten behind the application's back", async () => {
    const cert = await issue();
    await t.call("POST", "/v1/log/checkpoint", { key: ADMIN_KEY });
    const server = await listening();
    const dir = mkdtempSync(path.join(tmpdir(), "lotproof-monitor-"));
    const statePath = path.join(dir, "state.json");
    try {
      const verified = await run("scripts/verify.ts", [cert.code, "--url", server.url]);
      expect(verified.out).toContain("VALID");
      expect(verified.code).toBe(0);
      const jwtFile = path.join(dir, "cert.jwt");
      writeFileSync(jwtFile, cert.jwt);
      expect((await run("scripts/verify.ts", [jwtFile, "--url", server.url])).code).toBe(0);
      await t.call("POST", `/v1/certificates/${cert.id}/revoke`, { key: producer.key, body: { reason: "作废" } });
      const revoked = await run("scripts/verify.ts", [cert.code, "--url", server.url]);
      expect(revoked.code).toBe(1);
      expect(revoked.out).toContain("NOT VALID");

      const clean = await run("scripts/monitor.ts", ["--url", server.url, "--state", statePath, "--leaves"]);
      expect(clean.code, clean.out).toBe(0);
      const state = JSON.parse(readFileSync(statePath, "utf8")) as MonitorState;
      expect(state.size).toBeGreaterThan(0);

      // Someone with the database's superuser rewrites an old leaf, bypassing the append-only triggers.
      await t.deps.db.transaction(async (tx) => {
        await tx.execute(sql.raw("SET LOCAL session_replication_role = replica"));
        await tx.execute(sql.raw(`UPDATE log_leaves SET data = replace(data, '"v":1', '"v":1 ') WHERE idx = 1`));
      });
      const fresh = path.join(dir, "fresh.json");
      const tampered = await run("scripts/monitor.ts", ["--url", server.url, "--state", fresh, "--leaves"]);
      expect(tampered.code).toBe(1);
      expect(tampered.out).toContain("leaf 1");
      // The follower that already saw the old leaves notices nothing wrong with what it checked, and keeps going.
      expect((await run("scripts/monitor.ts", ["--url", server.url, "--state", statePath])).code).toBe(0);
    } finally {
      await server.close();
    }
  });
});
