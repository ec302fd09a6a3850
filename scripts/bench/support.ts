import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import autocannon from "autocannon";
import { postgresClient } from "../../src/db/postgres";
import type { Database } from "../../src/db/client";
import type { AppDeps } from "../../src/deps";
import { gb31CodeScheme } from "../../src/domain/certificate-code";

export interface Child {
  url: string;
  /** CPU time (user + system) the child has used so far in ms, from /proc; null where there is no /proc. */
  cpuMs(): number | null;
  stop(): Promise<void>;
}

/** Spawns a TypeScript entry point and waits for the `health <url>/healthz` line every server here prints. */
export async function startChild(entry: string, env: Record<string, string> = {}, nodeArgs: readonly string[] = []): Promise<Child & { readyMs: number }> {
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, "--import", "tsx", entry], {
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /health\s+(http:\/\/\S+)\/healthz/.exec(out);
      if (m) resolve(m[1]!);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${entry} exited ${code}\n${out}`)));
  });
  return {
    url,
    readyMs: performance.now() - started,
    cpuMs: () => processCpuMs(child.pid),
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await once(child, "exit");
      }
    },
  };
}

/**
 * CPU time in ms of every process on this machine named postgres: the database's share of a load when the server runs
 * here (null where there is no /proc). Backends that exit during a load take their time with them, so a load should
 * keep its connections open.
 */
export function postgresCpuMs(): number | null {
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((d) => /^[0-9]+$/.test(d));
  } catch {
    return null;
  }
  let ms = 0;
  for (const pid of pids) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "postgres") ms += processCpuMs(Number(pid)) ?? 0;
    } catch {
      // The process ended while we looked.
    }
  }
  return ms;
}

/** utime + stime of a process in ms (Linux counts them in ticks of 1/100 s). */
function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

export interface LoadResult {
  rps: number;
  /** Requests completed. */
  total: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** Mean bytes received per response, headers included (0 where the load did not count them). */
  bytesPerResponse: number;
}

export async function load(opts: autocannon.Options): Promise<LoadResult> {
  const r = await autocannon({ connections: 50, duration: 10, ...opts });
  const bytesPerResponse = r.requests.total === 0 ? 0 : r.throughput.total / r.requests.total;
  return { rps: r.requests.average, total: r.requests.total, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx, bytesPerResponse };
}

/** A fresh database on the server named by DATABASE_URL, so every run measures the same empty start. */
export async function freshDatabase(name: string): Promise<string> {
  const base = process.env["DATABASE_URL"];
  if (base === undefined) throw new Error("set DATABASE_URL=postgres://… (a server where the bench may create databases)");
  const admin = postgresClient(base, { max: 1 });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/**
 * Runs a load and adds the CPU time per request (µs) of the server and of a local PostgreSQL, which shared-machine
 * noise moves less than req/s.
 */
export async function loadOn(server: Child, opts: autocannon.Options): Promise<LoadResult & { cpuUsPerRequest: number | null; databaseCpuUsPerRequest: number | null }> {
  const before = server.cpuMs();
  const databaseBefore = postgresCpuMs();
  const result = await load(opts);
  const after = server.cpuMs();
  const databaseAfter = postgresCpuMs();
  const perRequest = (from: number | null, to: number | null) => (from === null || to === null || result.total === 0 ? null : ((to - from) * 1000) / result.total);
  return { ...result, cpuUsPerRequest: perRequest(before, after), databaseCpuUsPerRequest: perRequest(databaseBefore, databaseAfter) };
}

/**
 * People working at their own pace: `clients` keep-alive connections, each sending a request, waiting for its answer,
 * then pausing for an exponentially distributed think time (mean `clients / ratePerSecond` s), so arrivals are
 * independent and average `ratePerSecond` overall. autocannon's own rate limit instead sends each connection's quota
 * for the second back to back at the start of every second, a burst of the whole rate at once.
 */
export async function pacedLoad(
  server: Child,
  opts: { url: string; method?: string; headers?: Record<string, string>; body?: () => string; clients: number; ratePerSecond: number; seconds: number },
): Promise<LoadResult & { cpuUsPerRequest: number | null }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.clients });
  const meanThinkMs = (1000 * opts.clients) / opts.ratePerSecond;
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  const send = () =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      const req = http.request(opts.url, { method: opts.method ?? "GET", headers: opts.headers, agent }, (res) => {
        res.resume();
        res.on("end", () => {
          latencies.push(performance.now() - started);
          if ((res.statusCode ?? 0) >= 300) non2xx++;
          resolve();
        });
      });
      req.on("error", () => {
        errors++;
        resolve();
      });
      req.end(opts.body?.());
    });
  const before = server.cpuMs();
  const started = performance.now();
  const endAt = started + opts.seconds * 1000;
  await Promise.all(
    Array.from({ length: opts.clients }, async () => {
      while (performance.now() < endAt) {
        await new Promise((resolve) => setTimeout(resolve, -meanThinkMs * Math.log(1 - Math.random())));
        if (performance.now() >= endAt) break;
        await send();
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const after = server.cpuMs();
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => (latencies.length === 0 ? 0 : Math.round(10 * latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!) / 10);
  const total = latencies.length;
  return {
    rps: total / elapsed,
    total,
    bytesPerResponse: 0,
    p50: at(0.5),
    p99: at(0.99),
    errors,
    non2xx,
    cpuUsPerRequest: before === null || after === null || total === 0 ? null : ((after - before) * 1000) / total,
  };
}

/** What an in-process benchmark's services need: the database, real time and randomness, no signer or caches. */
export function inProcessDeps(db: Database): AppDeps {
  return { db, dbKind: "postgres", publicUrl: "http://bench", clock: () => new Date(), randomBytes: (n) => new Uint8Array(randomBytes(n)), codeScheme: gb31CodeScheme };
}
