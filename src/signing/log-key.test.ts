import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../test/support/database";
import type { DatabaseHandle } from "../db/client";
import { formatVerifierKey, signNote, verifyNote } from "../domain/merkle";
import type { PrivateKeyVault } from "./key-store";
import { logIdentity, logOrigin } from "./log-identity";
import { loadOrCreateLogSigner } from "./log-key";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(() => handle.close());

describe("the log's note key", () => {
  it("is made once, named after the origin, and reloaded from the vault on the next start", async () => {
    const vault: PrivateKeyVault = { kind: "memory", keys: new Map() };
    const clock = () => new Date("2026-11-20T00:00:00Z");
    const random = (n: number) => new Uint8Array(n).fill(1);
    const first = await loadOrCreateLogSigner(handle.db, vault, logOrigin("https://trace.example.cn"), clock, random);
    expect(first.origin).toBe("trace.example.cn/lotproof");
    // A later start under another PUBLIC_URL keeps the log's identity.
    const again = await loadOrCreateLogSigner(handle.db, vault, logOrigin("https://elsewhere.example"), clock, random);
    expect(again.origin).toBe("trace.example.cn/lotproof");
    expect(formatVerifierKey(again.verifierKey)).toBe(formatVerifierKey(first.verifierKey));
    const note = await signNote("hello\n", [again.noteSigner]);
    expect(await verifyNote(note, [first.verifierKey])).toMatchObject({ ok: true });
    // Runtimes without the private key read the same identity from the database.
    const stored = await logIdentity(handle.db);
    expect(stored && formatVerifierKey(stored.verifierKey)).toBe(formatVerifierKey(first.verifierKey));
  });
});
