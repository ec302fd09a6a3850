import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import autocannon from "autocannon";
import postgres from "postgres";

export interface Child {
  url: string;
  stop(): Promise<void>;
}

/** Spawns a TypeScript entry point and waits for the `health <url>/healthz` line every server here prints. */
export async function startChild(entry: string, env: Record<string, string> = {}): Promise<Child & { readyMs: number }> {
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", entry], {
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
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await once(child, "exit");
      }
    },
  };
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export async function load(opts: autocannon.Options): Promise<LoadResult> {
  const r = await autocannon({ connections: 50, duration: 10, ...opts });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}

/** A fresh database on the server named by DATABASE_URL, so every run measures the same empty start. */
export async function freshDatabase(name: string): Promise<string> {
  const base = process.env["DATABASE_URL"];
  if (base === undefined) throw new Error("set DATABASE_URL=postgres://… (a server where the bench may create databases)");
  const admin = postgres(base, { max: 1, onnotice: () => {} });
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
