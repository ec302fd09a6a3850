import { readFile } from "node:fs/promises";
import { gunzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bitAt,
  bitstringWith,
  buildStatusListCredential,
  decodeBitstring,
  encodeBitstring,
  positionOf,
  readStatus,
  STATUS_LIST_SIZE,
  statusEntries,
} from "./status-list";

const VECTORS = `${import.meta.dirname}/../../test/vectors/vc/bitstring-status-list`;
const vector = async (name: string) => JSON.parse(await readFile(`${VECTORS}/${name}`, "utf8")) as Record<string, any>;

describe("the W3C test suite's status lists", () => {
  it("decodes the list without the multibase prefix: 200,000 bits with 201, 57444 and 94023 set", async () => {
    const list = await vector("single-purpose-ok.jsonld");
    const bits = await decodeBitstring(list.credentialSubject.encodedList);
    expect(bits.length * 8).toBe(200_000);
    const set: number[] = [];
    for (let i = 0; i < bits.length * 8; i++) if (bitAt(bits, i)) set.push(i);
    expect(set).toEqual([201, 57444, 94023]);
  });

  it("finds the credential at index 201 revoked, and reads it the same with the multibase prefix", async () => {
    const credential = await vector("should-be-revoked.jsonld");
    const list = await vector("single-purpose-ok.jsonld");
    expect(await readStatus(credential.credentialStatus, list)).toEqual({ ok: true, set: true });
    expect(await readStatus({ ...credential.credentialStatus, statusListIndex: "200" }, list)).toEqual({ ok: true, set: false });
    const prefixed = { ...list, credentialSubject: { ...list.credentialSubject, encodedList: `u${list.credentialSubject.encodedList}` } };
    expect(await readStatus(credential.credentialStatus, prefixed)).toEqual({ ok: true, set: true });
    expect(await readStatus({ ...credential.credentialStatus, statusPurpose: "suspension" }, list)).toMatchObject({ ok: false });
  });
});

describe("our encoding", () => {
  it("is multibase base64url of GZIP, at least 16 KB of bits, MSB first, readable by standard tools", async () => {
    const encoded = await encodeBitstring(bitstringWith([0, 9, STATUS_LIST_SIZE - 1]));
    expect(encoded).toMatch(/^u[A-Za-z0-9_-]+$/);
    const raw = gunzipSync(Buffer.from(encoded.slice(1), "base64url"));
    expect(raw.length).toBe(16_384);
    expect([raw[0], raw[1], raw.at(-1)]).toEqual([0x80, 0x40, 0x01]);
  });

  it("round-trips any set of bits", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 0, max: STATUS_LIST_SIZE - 1 }), { maxLength: 50 }), async (set) => {
        const bits = await decodeBitstring(await encodeBitstring(bitstringWith(set)));
        for (const i of set) expect(bitAt(bits, i)).toBe(true);
        const count = [...bits].reduce((n, b) => n + b.toString(2).replace(/0/g, "").length, 0);
        expect(count).toBe(set.length);
      }),
      { numRuns: 30 },
    );
  });

  it("refuses lists that are not base64url GZIP or too short", async () => {
    const entry = { statusPurpose: "revocation", statusListIndex: "3" };
    const list = (encodedList: string) => buildStatusListCredential({ url: "https://x/l", issuer: "https://x", purpose: "revocation", encodedList, validFrom: new Date(0) });
    expect(await readStatus(entry, list("u!!"))).toMatchObject({ ok: false });
    expect(await readStatus(entry, list(`u${Buffer.from("hello").toString("base64url")}`))).toMatchObject({ ok: false, message: "encodedList is not GZIP data" });
    expect(await readStatus(entry, list(await encodeBitstring(bitstringWith([], 800))))).toMatchObject({ ok: false });
    expect(await readStatus({ ...entry, statusListIndex: "-1" }, list(await encodeBitstring(bitstringWith([]))))).toMatchObject({ ok: false });
  });
});

describe("where a certificate's bit lives", () => {
  it("never puts two sequence numbers on the same bit", () => {
    const seen = new Set<number>();
    let outside = 0;
    for (let s = 0; s < STATUS_LIST_SIZE * 2; s++) {
      const p = positionOf(s);
      if (p.index < 0 || p.index >= STATUS_LIST_SIZE) outside++;
      seen.add(p.list * STATUS_LIST_SIZE + p.index);
    }
    expect(outside).toBe(0);
    expect(seen.size).toBe(STATUS_LIST_SIZE * 2);
    expect(positionOf(STATUS_LIST_SIZE).list).toBe(1);
  });

  it("gives a revocation and a suspension entry at the same index", () => {
    const entries = statusEntries("https://trace.test", { list: 2, index: 77 });
    expect(entries).toEqual([
      {
        id: "https://trace.test/v1/status-lists/revocation/2#77",
        type: "BitstringStatusListEntry",
        statusPurpose: "revocation",
        statusListIndex: "77",
        statusListCredential: "https://trace.test/v1/status-lists/revocation/2",
      },
      {
        id: "https://trace.test/v1/status-lists/suspension/2#77",
        type: "BitstringStatusListEntry",
        statusPurpose: "suspension",
        statusListIndex: "77",
        statusListCredential: "https://trace.test/v1/status-lists/suspension/2",
      },
    ]);
  });
});
