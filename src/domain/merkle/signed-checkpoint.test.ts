import { beforeAll, describe, expect, it } from "vitest";
import type { Checkpoint } from "./checkpoint";
import { hashLeaf } from "./hash";
import { createEd25519NoteSigner, type NoteSigner } from "./note-signer";
import { ed25519VerifierKey, type NoteVerifierKey } from "./note-verifier-key";
import { signCheckpoint, verifyCheckpoint } from "./signed-checkpoint";
import { signNote } from "./signed-note";
import { ed25519KeyPairFromSeed, toHex } from "./test-support";

const ORIGIN = "lotproof.example/log";

describe("signed checkpoints", () => {
  let signer: NoteSigner;
  let verifier: NoteVerifierKey;
  beforeAll(async () => {
    const { privateKey, publicKey } = await ed25519KeyPairFromSeed(new Uint8Array(32).fill(42));
    signer = await createEd25519NoteSigner(ORIGIN, privateKey, publicKey);
    verifier = ed25519VerifierKey(ORIGIN, publicKey);
  });

  const checkpoint: Checkpoint = { origin: ORIGIN, size: 1234, rootHash: hashLeaf(new Uint8Array([1])), extensions: [] };

  it("signs and verifies a checkpoint", async () => {
    const note = await signCheckpoint(checkpoint, [signer]);
    expect(note.startsWith(`${ORIGIN}\n1234\n`)).toBe(true);
    const verified = await verifyCheckpoint(note, ORIGIN, [verifier]);
    if (!verified.ok) throw new Error(verified.message);
    expect(verified.checkpoint.size).toBe(1234);
    expect(toHex(verified.checkpoint.rootHash)).toBe(toHex(checkpoint.rootHash));
  });

  it("rejects a tampered size, another log's checkpoint, and a signed note that is no checkpoint", async () => {
    const note = await signCheckpoint(checkpoint, [signer]);
    expect(await verifyCheckpoint(note.replace("\n1234\n", "\n1235\n"), ORIGIN, [verifier])).toMatchObject({ ok: false, problem: "bad_signature" });
    expect(await verifyCheckpoint(note, "other.example/log", [verifier])).toMatchObject({ ok: false, problem: "wrong_origin" });
    const notCheckpoint = await signNote(`${ORIGIN}\n12x\n`, [signer]);
    expect(await verifyCheckpoint(notCheckpoint, ORIGIN, [verifier])).toMatchObject({ ok: false, problem: "line_structure" });
  });
});
