import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { serve, type ServerType } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pageCounter, parsePrintArgs, progressBar } from "../../scripts/print-job";
import { printRouter } from "../../src/routes/print/pdf";
import { pdfInfo, pdfText } from "../../src/render/pdf/test-support";
import { createTestContext, type TestContext } from "../support/context";

const run = promisify(execFile);

describe("npm run print", () => {
  let t: TestContext;
  let server: ServerType;
  let base: string;
  let dir: string;
  let key: string;
  const codes: string[] = [];

  beforeAll(async () => {
    t = await createTestContext("print-cli", { originRouters: [printRouter] });
    server = serve({ fetch: t.app.fetch, hostname: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { producer, lot } = await t.producerWithLot(1000);
    key = producer.key;
    for (let i = 0; i < 3; i++) codes.push((await t.call("POST", "/v1/certificates", { key, body: { lotId: lot.id, quantity: 10, basis: "quality_control", copies: 4 } })).json.code);
    dir = await mkdtemp(path.join(tmpdir(), "lotproof-print-"));
  }, 60_000);

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await t?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it("writes a day's certificates to a PDF file with a progress bar on stderr", async () => {
    const out = path.join(dir, "day.pdf");
    const { stderr } = await run(process.execPath, ["--import", "tsx", "scripts/print.ts", "--url", base, "--key", key, "--date", "2026-11-20", "--size", "a4", "--out", out], {
      env: { ...process.env, PUBLIC_URL: "" },
    });
    expect(stderr).toContain("printing 3 certificates, 12 labels (a4)");
    expect(stderr).toMatch(/\[#{30}\] 100%\s+2\/2 pages/);
    const pdf = await readFile(out);
    expect(pdfInfo(pdf).Pages).toBe("2");
    const text = pdfText(pdf).replace(/\s+/g, "");
    for (const code of codes) expect(text.split(code)).toHaveLength(5);
  }, 60_000);

  it("says what the service refused and exits non-zero", async () => {
    const failed = await run(process.execPath, ["--import", "tsx", "scripts/print.ts", "--url", base, "--key", key, "--date", "2026-11-19"]).catch((e: { code: number; stderr: string }) => e);
    expect("code" in failed && failed.code).toBe(1);
    expect((failed as { stderr: string }).stderr).toContain("the service refused the job (404): no valid certificate matches the selection");
  }, 60_000);
});

describe("the print command's pieces", () => {
  it("reads flags and environment into a request", () => {
    expect(parsePrintArgs(["--key", "k", "--date", "2026-11-20"], { PUBLIC_URL: "https://x.test/" })).toEqual({
      url: "https://x.test",
      key: "k",
      body: { size: "label-60x80", from: "2026-11-20", to: "2026-11-20" },
      size: "label-60x80",
      out: undefined,
    });
    expect(parsePrintArgs(["--ids", "a, b", "--copies", "2", "--size", "a4"], { LOTPROOF_API_KEY: "k" })).toMatchObject({ body: { certificateIds: ["a", "b"], copies: 2, size: "a4" } });
    expect(parsePrintArgs(["--date", "2026-11-20"], {})).toEqual({ error: "--key (or LOTPROOF_API_KEY) is required" });
    expect(parsePrintArgs(["--key", "k"], {})).toMatchObject({ error: expect.stringContaining("say what to print") });
    expect(parsePrintArgs(["--key", "k", "--bogus"], {})).toMatchObject({ error: expect.stringContaining("bogus") });
  });

  it("counts page objects across chunk boundaries, never the page tree", () => {
    const pdf = Buffer.from("1 0 obj\n<<\n/Type /Pages\n/Count 2\n>>\n2 0 obj\n<<\n/Type /Page\n/Parent 1 0 R\n>>\n3 0 obj\n<<\n/Type /Page\n>>\n");
    for (let cut = 1; cut < pdf.length; cut++) {
      const count = pageCounter();
      count(pdf.subarray(0, cut));
      expect(count(pdf.subarray(cut)), `cut at ${cut}`).toBe(2);
    }
    expect(progressBar(5, 10, 2 ** 20, 10)).toBe("[#####-----]  50%  5/10 pages  1.00 MB");
  });
});
