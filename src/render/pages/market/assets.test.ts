import { readFile } from "node:fs/promises";
import { runInNewContext } from "node:vm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildMarketAssets } from "../../../../scripts/build-market";
import { gb31CodeScheme } from "../../../domain/certificate-code";
import { MOD31_ALPHABET } from "../../../domain/mod31";
import { codeFromInput, entryMessageZh, entryState } from "./client/code-entry";

describe("the gate page's browser files", () => {
  it("are up to date in public/ (run `npm run build:market` after changing the client)", async () => {
    for (const asset of await buildMarketAssets()) {
      expect(await readFile(asset.path, "utf8"), asset.path).toBe(asset.contents);
    }
  }, 30_000);

  it("load as plain browser scripts: jsQR decodes nothing from a blank image", async () => {
    const source = await readFile("public/market.jsqr.js", "utf8");
    const sandbox: { jsQR?: (d: Uint8ClampedArray, w: number, h: number) => unknown } = {};
    runInNewContext(source, { globalThis: sandbox, Uint8ClampedArray, Math, Array, Int32Array, Uint8Array, Float32Array, Infinity, Number, Object, String, Error, Symbol });
    expect(typeof sandbox.jsQR).toBe("function");
    expect(sandbox.jsQR!(new Uint8ClampedArray(40 * 40 * 4).fill(255), 40, 40)).toBeNull();
  });
});

describe("checking the code as the clerk types", () => {
  const body = fc.array(fc.constantFrom(...MOD31_ALPHABET), { minLength: 10, maxLength: 10 }).map((cs) => cs.join(""));
  const typed = fc.tuple(body, fc.constantFrom(...MOD31_ALPHABET), fc.boolean(), fc.boolean()).map(([b, check, lower, dashes]) => {
    let s = b + check;
    if (dashes) s = `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8)}`;
    return lower ? s.toLowerCase() : s;
  });

  it("agrees with the server's code scheme on every 11-character input", () => {
    fc.assert(
      fc.property(typed, (input) => {
        const server = gb31CodeScheme.normalize(input);
        const page = entryState(input);
        expect(page.kind === "ok").toBe(server.ok);
        if (server.ok && page.kind === "ok") expect(page.code).toBe(server.code);
      }),
      { numRuns: 5000 },
    );
  });

  it("catches a single wrong character and says so in Chinese", () => {
    const code = gb31CodeScheme.generate(() => new Uint8Array(16).map((_, i) => i * 7));
    const wrong = code.slice(0, 3) + (code[3] === "A" ? "B" : "A") + code.slice(4);
    const state = entryState(wrong);
    expect(state.kind).toBe("invalid");
    expect(entryMessageZh(state)).toBe("校验位不对：编码可能输错了，请逐位核对");
    expect(entryState(code.slice(0, 7))).toEqual({ kind: "incomplete", missing: 4 });
    expect(entryMessageZh(entryState("ABCV"))).toBe("编码中不会出现字符 V");
    expect(entryState(`https://trace.test/c/${code}`)).toMatchObject({ kind: "ok", code });
    expect(codeFromInput("https://trace.test/c/AB%2DCD")).toBe("AB-CD");
  });
});
