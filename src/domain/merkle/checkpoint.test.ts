import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Checkpoint, formatCheckpoint, parseCheckpoint } from "./checkpoint";
import { emptyTreeRoot } from "./hash";
import { toHex } from "./test-support";

// The example in C2SP tlog-checkpoint.
const SPEC_EXAMPLE = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
const ROOT_LINE = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";

// One line of printable text: what origins and extension lines may hold.
const lineArb = fc
  .string({ unit: "grapheme", minLength: 1, maxLength: 40 })
  .filter((s) => !/[\u0000-\u001f]/.test(s));

const checkpointArb: fc.Arbitrary<Checkpoint> = fc.record({
  origin: lineArb,
  size: fc.oneof(fc.nat(), fc.constant(0), fc.constant(Number.MAX_SAFE_INTEGER)),
  rootHash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  extensions: fc.array(lineArb, { maxLength: 3 }),
});

describe("checkpoints", () => {
  it("parses the specification's example and formats it back byte for byte", () => {
    const parsed = parseCheckpoint(SPEC_EXAMPLE);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.checkpoint.origin).toBe("example.com/behind-the-sofa");
    expect(parsed.checkpoint.size).toBe(20852163);
    expect(parsed.checkpoint.extensions).toEqual([]);
    expect(formatCheckpoint(parsed.checkpoint)).toBe(SPEC_EXAMPLE);
  });

  it("writes an empty tree as size 0 with the empty root", () => {
    const text = formatCheckpoint({ origin: "lotproof.example/log", size: 0, rootHash: emptyTreeRoot(), extensions: [] });
    expect(text).toBe("lotproof.example/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n");
  });

  it("round-trips any valid checkpoint", () => {
    fc.assert(
      fc.property(checkpointArb, (checkpoint) => {
        const text = formatCheckpoint(checkpoint);
        const parsed = parseCheckpoint(text);
        if (!parsed.ok) throw new Error(parsed.message);
        expect({ ...parsed.checkpoint, rootHash: toHex(parsed.checkpoint.rootHash) }).toEqual({ ...checkpoint, rootHash: toHex(checkpoint.rootHash) });
        expect(formatCheckpoint(parsed.checkpoint)).toBe(text);
      }),
    );
  });

  it("keeps extension lines in order", () => {
    const parsed = parseCheckpoint(`${SPEC_EXAMPLE}ext one\next two\n`);
    expect(parsed.ok && parsed.checkpoint.extensions).toEqual(["ext one", "ext two"]);
  });

  const rejected: [string, string, string][] = [
    ["no final newline", SPEC_EXAMPLE.slice(0, -1), "line_structure"],
    ["two lines", "example.com/log\n5\n", "line_structure"],
    ["empty origin", `\n5\n${ROOT_LINE}\n`, "line_structure"],
    ["empty extension line", `${SPEC_EXAMPLE}\n`, "line_structure"],
    ["blank line then extension", `${SPEC_EXAMPLE}\next\n`, "line_structure"],
    ["CRLF line ends", SPEC_EXAMPLE.replaceAll("\n", "\r\n"), "characters"],
    ["tab in origin", `example.com\tlog\n5\n${ROOT_LINE}\n`, "characters"],
    ["lone surrogate", `example.com/\ud800\n5\n${ROOT_LINE}\n`, "characters"],
    ["leading zero", `example.com/log\n05\n${ROOT_LINE}\n`, "size"],
    ["plus sign", `example.com/log\n+5\n${ROOT_LINE}\n`, "size"],
    ["minus sign", `example.com/log\n-5\n${ROOT_LINE}\n`, "size"],
    ["space in size", `example.com/log\n 5\n${ROOT_LINE}\n`, "size"],
    ["hex size", `example.com/log\n0x5\n${ROOT_LINE}\n`, "size"],
    ["size beyond 2^53", `example.com/log\n9007199254740993\n${ROOT_LINE}\n`, "size"],
    ["31-byte root", `example.com/log\n5\n${Buffer.alloc(31).toString("base64")}\n`, "root_hash"],
    ["33-byte root", `example.com/log\n5\n${Buffer.alloc(33).toString("base64")}\n`, "root_hash"],
    ["unpadded root", `example.com/log\n5\n${ROOT_LINE.slice(0, -1)}\n`, "root_hash"],
    ["non-canonical padding bits", `example.com/log\n5\n${ROOT_LINE.slice(0, -2)}J=\n`, "root_hash"],
    ["URL-safe alphabet", `example.com/log\n5\n${Buffer.alloc(32, 0xfb).toString("base64url")}=\n`, "root_hash"],
    ["space after root", `example.com/log\n5\n${ROOT_LINE} \n`, "root_hash"],
  ];
  for (const [name, text, problem] of rejected) {
    it(`rejects ${name}`, () => {
      expect(parseCheckpoint(text)).toMatchObject({ ok: false, problem });
    });
  }

  it("refuses to format a checkpoint it could not parse back", () => {
    const good: Checkpoint = { origin: "lotproof.example/log", size: 1, rootHash: emptyTreeRoot(), extensions: [] };
    expect(() => formatCheckpoint({ ...good, origin: "" })).toThrow(RangeError);
    expect(() => formatCheckpoint({ ...good, origin: "a\nb" })).toThrow(RangeError);
    expect(() => formatCheckpoint({ ...good, size: -1 })).toThrow(RangeError);
    expect(() => formatCheckpoint({ ...good, size: 1.5 })).toThrow(RangeError);
    expect(() => formatCheckpoint({ ...good, rootHash: new Uint8Array(31) })).toThrow(RangeError);
    expect(() => formatCheckpoint({ ...good, extensions: [""] })).toThrow(RangeError);
  });
});
