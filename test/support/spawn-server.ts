import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";

export interface RunningServer {
  url: string;
  output: () => string;
  /** Milliseconds from spawn until the server printed that it is running. */
  readyMs: number;
  stop(): Promise<void>;
}

/**
 * Starts `tsx src/server.ts` as `npm start` does and resolves once it prints its banner (the banner is printed from
 * the listen callback, so the port is open by then). Fails with the server's output if it exits first.
 */
export async function spawnServer(env: Record<string, string>, timeoutMs = 60_000): Promise<RunningServer> {
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server not ready after ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /health\s+(http:\/\/\S+)\/healthz/.exec(out);
      if (match !== null) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  const url = await ready;
  return {
    url,
    output: () => out,
    readyMs: performance.now() - started,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}
