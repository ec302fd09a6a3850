import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signingKeys } from "../db/schema";
import { openTestDatabase } from "../../test/support/database";
import { seededRandomBytes } from "../../test/support/deterministic";
import { loadOrCreateSigner } from "./key-store";

const clock = () => new Date("2026-11-20T00:00:00Z");
let handle: Awaited<ReturnType<typeof openTestDatabase>>;
beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(() => handle.close());

describe("signing keys", () => {
  it("are sealed in the database with KEY_ENCRYPTION_KEY and reopen only with it", async () => {
    const kek = seededRandomBytes("kek")(32);
    const first = await loadOrCreateSigner(handle.db, { kind: "sealed", keyEncryptionKey: kek }, clock, seededRandomBytes("a"));
    const [row] = await handle.db.select().from(signingKeys);
    expect(row?.sealedPrivateJwk).toMatch(/^v1\./);
    expect(row?.sealedPrivateJwk).not.toContain('"d"');
    expect(row?.publicJwk).not.toHaveProperty("d");
    const again = await loadOrCreateSigner(handle.db, { kind: "sealed", keyEncryptionKey: kek }, clock, seededRandomBytes("b"));
    expect(again.kid).toBe(first.kid);
    const token = await again.sign({ hello: "world" }, clock());
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: "EdDSA", typ: "vc+jwt", kid: first.kid });
    const wrong = seededRandomBytes("other")(32);
    await expect(loadOrCreateSigner(handle.db, { kind: "sealed", keyEncryptionKey: wrong }, clock, seededRandomBytes("c"))).rejects.toThrow();
    await handle.db.delete(signingKeys);
  });

  it("live in DATA_DIR readable by the owner only when no encryption key is given", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "lotproof-keys-"));
    try {
      const keys = path.join(dir, "keys");
      const first = await loadOrCreateSigner(handle.db, { kind: "files", dir: keys }, clock, seededRandomBytes("d"));
      const files = await readdir(keys);
      expect(files).toEqual([`${first.kid}.jwk`]);
      expect((await stat(keys)).mode & 0o777).toBe(0o700);
      expect((await stat(path.join(keys, files[0]!))).mode & 0o777).toBe(0o600);
      const [row] = await handle.db.select().from(signingKeys);
      expect(row?.sealedPrivateJwk).toBeNull();
      expect((await loadOrCreateSigner(handle.db, { kind: "files", dir: keys }, clock, seededRandomBytes("e"))).kid).toBe(first.kid);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
