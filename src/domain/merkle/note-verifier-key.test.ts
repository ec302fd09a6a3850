import { describe, expect, it } from "vitest";
import { ed25519VerifierKey, formatVerifierKey, noteKeyId, parseVerifierKey } from "./note-verifier-key";
import { readVector, toHex } from "./test-support";

const goVector = readVector<{ verifierKey: string }>("go-sumdb-note-vector.json");

describe("note verifier keys", () => {
  it("parses the Go reference key and formats it back", () => {
    const parsed = parseVerifierKey(goVector.verifierKey);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.key.keyName).toBe("PeterNeumann");
    expect(parsed.key.keyId).toBe(0xc74f20a3);
    expect(noteKeyId("PeterNeumann", parsed.key.publicKey)).toBe(0xc74f20a3);
    expect(formatVerifierKey(parsed.key)).toBe(goVector.verifierKey);
  });

  it("rejects every truncation and every single-character change of the reference key", () => {
    const text = goVector.verifierKey;
    const accepted: string[] = [];
    for (let i = 0; i <= text.length; i++) {
      for (let j = i + 1; j <= text.length; j++) {
        const piece = text.slice(i, j);
        if (piece !== text && parseVerifierKey(piece).ok) accepted.push(piece);
      }
    }
    for (let i = 0; i < text.length; i++) {
      const changed = text.slice(0, i) + String.fromCharCode(text.charCodeAt(i) + 1) + text.slice(i + 1);
      if (parseVerifierKey(changed).ok) accepted.push(changed);
    }
    expect(accepted).toEqual([]);
  });

  it("names the fault", () => {
    const publicKey = new Uint8Array(32).fill(7);
    const key = ed25519VerifierKey("lotproof.example/log", publicKey);
    const [name, id, material] = formatVerifierKey(key).split("+") as [string, string, string];
    expect(parseVerifierKey(`${name}+${id}`)).toMatchObject({ ok: false, problem: "format" });
    expect(parseVerifierKey(`${name}+${id.toUpperCase()}+${material}`)).toMatchObject({ ok: false, problem: "format" });
    expect(parseVerifierKey(`lot proof+${id}+${material}`)).toMatchObject({ ok: false, problem: "key_name" });
    expect(parseVerifierKey(`+${id}+${material}`)).toMatchObject({ ok: false, problem: "key_name" });
    const ecdsa = Buffer.from([0x02, ...publicKey]).toString("base64");
    expect(parseVerifierKey(`${name}+${id}+${ecdsa}`)).toMatchObject({ ok: false, problem: "key_type" });
    const short = Buffer.from([0x01, ...publicKey.subarray(1)]).toString("base64");
    expect(parseVerifierKey(`${name}+${id}+${short}`)).toMatchObject({ ok: false, problem: "public_key" });
    expect(parseVerifierKey(`${name}+${id}+not base64`)).toMatchObject({ ok: false, problem: "public_key" });
    expect(parseVerifierKey(`${name}+00000000+${material}`)).toMatchObject({ ok: false, problem: "key_id" });
  });

  it("derives the key ID from name and key, so one key under two names has two IDs", () => {
    const publicKey = new Uint8Array(32).fill(9);
    const a = ed25519VerifierKey("a.example/log", publicKey);
    const b = ed25519VerifierKey("b.example/log", publicKey);
    expect(a.keyId).not.toBe(b.keyId);
    expect(toHex(a.publicKey)).toBe(toHex(publicKey));
    expect(() => ed25519VerifierKey("has space", publicKey)).toThrow(RangeError);
    expect(() => ed25519VerifierKey("has+plus", publicKey)).toThrow(RangeError);
    expect(() => ed25519VerifierKey("ok", new Uint8Array(31))).toThrow(RangeError);
  });
});
