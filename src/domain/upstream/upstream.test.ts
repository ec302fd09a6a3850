import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { effectiveStatus, inheritedTroubles, type Trouble, type TreeNode, worstStatus } from "./inheritance";
import { claimCheck, upstreamListErrors } from "./references";

const display = (c: string) => `<${c}>`;

describe("upstream lists", () => {
  it("must cover the certificate when every quantity converts, and name each certificate once", () => {
    const cert = { quantity: 100, unit: "kg" };
    expect(upstreamListErrors(cert, [{ kind: "certificate", code: "A", quantity: 100, unit: "斤" }])).toEqual([
      { path: "upstream", message: "the upstream entries cover 50 kg, less than the 100 kg certified" },
    ]);
    expect(upstreamListErrors(cert, [{ kind: "certificate", code: "A", quantity: 200, unit: "斤" }])).toEqual([]);
    // 箱 does not convert to kg: the sum cannot be judged, so it is not.
    expect(upstreamListErrors(cert, [{ kind: "other_platform", platform: "P", code: "X", quantity: 1, unit: "箱" }])).toEqual([]);
    expect(
      upstreamListErrors(cert, [
        { kind: "paper", number: "N1", photoId: "p", quantity: 60, unit: "kg" },
        { kind: "paper", number: "N1", photoId: "q", quantity: 60, unit: "kg" },
      ]),
    ).toEqual([{ path: "upstream.1.number", message: "names the same certificate as upstream.0; give it once with the whole quantity" }]);
    expect(upstreamListErrors(cert, [])[0]!.path).toBe("upstream");
  });

  it("claims only from a valid certificate with enough left, in its unit", () => {
    const candidate = { code: "A", quantity: 100, unit: "kg", claimed: 70, status: "valid" };
    expect(claimCheck(2, { code: "A", quantity: 60, unit: "斤" }, candidate, display)).toEqual({ ok: true, claim: 30 });
    expect(claimCheck(2, { code: "A", quantity: 31, unit: "kg" }, candidate, display)).toEqual({
      ok: false,
      error: { path: "upstream.2.quantity", message: "certificate <A> has 30 kg left to claim; 31 kg were claimed" },
    });
    expect(claimCheck(0, { code: "A", quantity: 1, unit: "箱" }, candidate, display)).toMatchObject({ ok: false, error: { path: "upstream.0.unit" } });
    expect(claimCheck(0, { code: "A", quantity: 1, unit: "kg" }, { ...candidate, status: "recalled" }, display)).toMatchObject({
      ok: false,
      error: { path: "upstream.0.code", message: "certificate <A> is recalled; only a valid certificate can be named upstream" },
    });
    expect(claimCheck(0, { code: "Z", quantity: 1, unit: "kg" }, undefined, display)).toMatchObject({ ok: false, error: { path: "upstream.0.code" } });
  });

  it("never lets the claims exceed what is left", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 1e6 }), (q, c, want) => {
        const quantity = q / 1000;
        const claimed = Math.min(c / 1000, quantity);
        const checked = claimCheck(0, { code: "A", quantity: want / 1000, unit: "kg" }, { code: "A", quantity, unit: "kg", claimed, status: "valid" }, display);
        return !checked.ok || claimed + checked.claim <= quantity + 1e-9;
      }),
    );
  });
});

describe("inherited status", () => {
  const node = (code: string, troubles: Trouble[], upstream: string[] = []): TreeNode => ({ code, troubles, upstream });

  it("lists every troubled upstream certificate once, by its shortest path, the root's own troubles aside", () => {
    const nodes = new Map<string, TreeNode>([
      ["root", node("R", ["revoked"], ["w", "f1"])],
      ["w", node("W", [], ["f1", "f2"])],
      ["f1", node("F1", ["failed_test"])],
      ["f2", node("F2", ["revoked", "recalled"])],
    ]);
    expect(inheritedTroubles("root", nodes, 8)).toEqual([
      { code: "F1", status: "failed_test", path: ["F1"] },
      { code: "F2", status: "recalled", path: ["W", "F2"] },
    ]);
    expect(inheritedTroubles("root", nodes, 1)).toEqual([{ code: "F1", status: "failed_test", path: ["F1"] }]);
    expect(effectiveStatus(["revoked"], inheritedTroubles("root", nodes, 8))).toBe("recalled");
  });

  it("ranks a recall above a failure above a revocation", () => {
    expect(worstStatus([])).toBe("valid");
    expect(worstStatus(["revoked", "failed_test"])).toBe("failed_test");
    expect(worstStatus(["revoked", "recalled", "failed_test"])).toBe("recalled");
  });

  it("terminates on any graph, cycles included, and reports only nodes with troubles", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom<Trouble[]>([], ["revoked"], ["recalled"]), fc.array(fc.nat(9), { maxLength: 3 })), { minLength: 1, maxLength: 10 }),
        (spec) => {
          const nodes = new Map(spec.map(([troubles, up], i) => [`n${i}`, node(`C${i}`, troubles, up.filter((j) => j < spec.length).map((j) => `n${j}`))]));
          const found = inheritedTroubles("n0", nodes, 8);
          return new Set(found.map((f) => f.code)).size === found.length && found.every((f) => f.status !== ("valid" as string) && f.code !== "C0");
        },
      ),
    );
  });
});
