import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { createEd25519NoteSigner, type NoteSigner } from "./note-signer";
import { ed25519VerifierKey, type NoteVerifierKey, parseVerifierKey } from "./note-verifier-key";
import { formatSignedNote, MAX_NOTE_SIGNATURES, parseSignedNote, signNote, verifyNote } from "./signed-note";
import { ed25519KeyPairFromSeed, fromBase64, readVector } from "./test-support";

const goVector = readVector<{ verifierKey: string; signerKey: string; text: string; signedNote: string }>("go-sumdb-note-vector.json");

function goVerifier(): NoteVerifierKey {
  const parsed = parseVerifierKey(goVector.verifierKey);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.key;
}

// The Go signer key string is PRIVATE+KEY+<name>+<id>+base64(0x01 ‖ seed).
async function goSigner(): Promise<NoteSigner> {
  const seed = fromBase64(goVector.signerKey.split("+").slice(4).join("+")).subarray(1);
  const { privateKey, publicKey } = await ed25519KeyPairFromSeed(seed);
  return createEd25519NoteSigner("PeterNeumann", privateKey, publicKey);
}

async function fixedKey(name: string, seedByte: number): Promise<{ signer: NoteSigner; verifier: NoteVerifierKey }> {
  const { privateKey, publicKey } = await ed25519KeyPairFromSeed(new Uint8Array(32).fill(seedByte));
  return { signer: await createEd25519NoteSigner(name, privateKey, publicKey), verifier: ed25519VerifierKey(name, publicKey) };
}

// Any note text: printable lines (empty ones allowed), each ending in a newline.
const noteTextArb = fc
  .array(
    fc.string({ unit: "grapheme", maxLength: 30 }).filter((s) => !/[\u0000-\u001f]/.test(s)),
    { minLength: 1, maxLength: 5 },
  )
  .map((lines) => lines.map((line) => `${line}\n`).join(""));

describe("signed notes", () => {
  let log: { signer: NoteSigner; verifier: NoteVerifierKey };
  let witness: { signer: NoteSigner; verifier: NoteVerifierKey };
  beforeAll(async () => {
    log = await fixedKey("lotproof.example/log", 1);
    witness = await fixedKey("witness.example/w1", 2);
  });

  it("verifies the Go reference note", async () => {
    expect(await verifyNote(goVector.signedNote, [goVerifier()])).toMatchObject({ ok: true, text: goVector.text });
    const altered = goVector.signedNote.replace("cryptography", "cryptographY");
    expect(await verifyNote(altered, [goVerifier()])).toMatchObject({ ok: false, problem: "bad_signature" });
  });

  it("reproduces the Go reference signature byte for byte", async () => {
    expect(await signNote(goVector.text, [await goSigner()])).toBe(goVector.signedNote);
  });

  it("round-trips sign and verify, and rejects any altered byte", async () => {
    await fc.assert(
      fc.asyncProperty(noteTextArb, fc.nat(), fc.integer({ min: 1, max: 255 }), async (text, at, xor) => {
        const note = await signNote(text, [log.signer]);
        expect(await verifyNote(note, [log.verifier])).toEqual({ ok: true, text, verifiedBy: [log.verifier] });
        const bytes = new TextEncoder().encode(note);
        bytes[at % bytes.length] = (bytes[at % bytes.length] ?? 0) ^ xor;
        const altered = new TextDecoder().decode(bytes);
        fc.pre(altered !== note);
        expect((await verifyNote(altered, [log.verifier])).ok).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it("ignores signatures from unknown keys but needs one from a known key", async () => {
    const note = await signNote("hello\n", [witness.signer, log.signer]);
    expect(await verifyNote(note, [log.verifier])).toMatchObject({ ok: true, verifiedBy: [log.verifier] });
    expect(await verifyNote(note, [log.verifier, witness.verifier])).toMatchObject({ ok: true, verifiedBy: [witness.verifier, log.verifier] });
    const unknown = await fixedKey("someone.example", 3);
    expect(await verifyNote(note, [unknown.verifier])).toMatchObject({ ok: false, problem: "unverified" });
    // Same name but another key (so another ID), or same ID under another name: not the key that signed.
    const sameName = ed25519VerifierKey("lotproof.example/log", unknown.verifier.publicKey);
    expect(await verifyNote(note, [sameName])).toMatchObject({ ok: false, problem: "unverified" });
    expect(await verifyNote(note, [{ ...unknown.verifier, keyId: log.verifier.keyId }])).toMatchObject({ ok: false, problem: "unverified" });
  });

  it("rejects the whole note when a known key's signature fails", async () => {
    const note = await signNote("hello\n", [log.signer]);
    const parsed = parseSignedNote(note);
    if (!parsed.ok) throw new Error(parsed.message);
    const [good] = parsed.note.signatures;
    if (good === undefined) throw new Error("no signature");
    const forged = { ...good, signature: new Uint8Array(64).fill(5) };
    const twice = formatSignedNote({ text: "hello\n", signatures: [good, forged] });
    expect(await verifyNote(twice, [log.verifier])).toMatchObject({ ok: false, problem: "bad_signature" });
  });

  it("refuses trusted keys that share both name and ID", async () => {
    const note = await signNote("hello\n", [log.signer]);
    const impostor = { ...witness.verifier, keyName: log.verifier.keyName, keyId: log.verifier.keyId };
    expect(await verifyNote(note, [log.verifier, impostor])).toMatchObject({ ok: false, problem: "ambiguous_verifiers" });
  });

  it("splits text from signatures at the last blank line", async () => {
    const text = "first\n\nsecond after a blank line\n";
    const note = await signNote(text, [log.signer]);
    expect(await verifyNote(note, [log.verifier])).toMatchObject({ ok: true, text });
  });

  const sig = `${Buffer.alloc(68, 1).toString("base64")}`;
  const malformed: [string, string][] = [
    ["no final newline", `text\n\n— k ${sig}`],
    ["no blank line", `text\n— k ${sig}\n`],
    ["no signatures", "text\n\n"],
    ["hyphen for em dash", `text\n\n- k ${sig}\n`],
    ["two spaces", `text\n\n—  k ${sig}\n`],
    ["trailing space", `text\n\n— k ${sig} \n`],
    ["plus in key name", `text\n\n— k+x ${sig}\n`],
    ["signature of only a key ID", `text\n\n— k ${Buffer.alloc(4, 1).toString("base64")}\n`],
    ["non-canonical base64", `text\n\n— k ${sig.slice(0, -2)}x=\n`],
    ["control character", `te\u0007xt\n\n— k ${sig}\n`],
    ["CRLF", `text\r\n\r\n— k ${sig}\r\n`],
    ["a text line among signatures", `text\n\n— k ${sig}\nmore\n`],
    ["too many signatures", `text\n\n${`— k ${sig}\n`.repeat(MAX_NOTE_SIGNATURES + 1)}`],
  ];
  for (const [name, note] of malformed) {
    it(`rejects a note with ${name}`, async () => {
      expect(parseSignedNote(note).ok).toBe(false);
      expect(await verifyNote(note, [log.verifier])).toMatchObject({ ok: false, problem: "malformed" });
    });
  }

  it("accepts up to the signature limit", () => {
    expect(parseSignedNote(`text\n\n${`— k ${sig}\n`.repeat(MAX_NOTE_SIGNATURES)}`).ok).toBe(true);
  });

  it("refuses to sign text the format cannot carry", async () => {
    await expect(signNote("no newline", [log.signer])).rejects.toThrow(RangeError);
    await expect(signNote("tab\there\n", [log.signer])).rejects.toThrow(RangeError);
    await expect(signNote("text\n", [])).rejects.toThrow(RangeError);
  });

  it("refuses a signing key that does not match its public key", async () => {
    const { privateKey } = await ed25519KeyPairFromSeed(new Uint8Array(32).fill(1));
    await expect(createEd25519NoteSigner("lotproof.example/log", privateKey, witness.verifier.publicKey)).rejects.toThrow(RangeError);
    await expect(createEd25519NoteSigner("bad name", privateKey, log.verifier.publicKey)).rejects.toThrow(RangeError);
  });
});
