import { unstable_startWorker } from "wrangler";

export interface RunningWorker {
  url: string;
  /** Milliseconds from the call until workerd answered its first request (bundling included). */
  readyMs: number;
  stop(): Promise<void>;
}

/**
 * Runs src/worker.ts in workerd as `wrangler dev` does, with Hyperdrive's local connection string pointing at
 * `databaseUrl`. Hyperdrive insists on a password in that string; with trust authentication any will do.
 */
export async function startWorker(opts: { databaseUrl: string; vars: Record<string, string> }): Promise<RunningWorker> {
  const started = performance.now();
  const url = new URL(opts.databaseUrl);
  if (url.password === "") url.password = "unused";
  const saved = { ...process.env };
  // Wrangler reads the Hyperdrive override from the environment; the other two keep it off the network.
  process.env["CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE"] = url.toString();
  process.env["CLOUDFLARE_CF_FETCH_ENABLED"] = "false";
  process.env["WRANGLER_SEND_METRICS"] = "false";
  let worker: Awaited<ReturnType<typeof unstable_startWorker>>;
  try {
    worker = await unstable_startWorker({
      config: "wrangler.toml",
      // startWorker does not derive the bundler's Node.js compatibility mode from the toml as `wrangler dev` does.
      build: { nodejsCompatMode: "v2" },
      bindings: Object.fromEntries(Object.entries(opts.vars).map(([k, v]) => [k, { type: "plain_text" as const, value: v }])),
      dev: { server: { hostname: "127.0.0.1", port: 0 }, inspector: false, watch: false, persist: false, logLevel: "warn" },
    });
    await worker.ready;
  } finally {
    for (const key of ["CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE", "CLOUDFLARE_CF_FETCH_ENABLED", "WRANGLER_SEND_METRICS"]) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  }
  const base = (await worker.url).toString().replace(/\/$/, "");
  // Ready means listening; the first request also pays for workerd compiling the bundle, so count it in.
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${base}/healthz`).catch(() => null);
    if (res?.ok === true) break;
    if (attempt >= 200) throw new Error(`worker at ${base} never answered /healthz (last status ${res?.status ?? "none"})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url: base, readyMs: performance.now() - started, stop: () => worker.dispose() };
}
