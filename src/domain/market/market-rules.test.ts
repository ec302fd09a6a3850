import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvRecord, ledgerColumns, neutralizeFormula } from "./ledger";
import { countsAgainstCertificate, proofOf, quantityExceededWarning, remainingOf, sellerIdentity } from "./receipt-rules";
import { upstreamSummary } from "./upstream";
import { gateVerdict, type GateFacts } from "./verdict";

const good: GateFacts = { genuine: true, status: "valid", valid: true, remaining: 10, coldChainFlagged: false, openExcursions: 0 };

describe("the gate verdict", () => {
  it("is green only for a genuine, valid certificate with quantity left and a clean cold chain", () => {
    expect(gateVerdict(good)).toEqual({ decision: "accept", reasons: [] });
  });
  it("refuses what cannot be trusted, listing every reason", () => {
    expect(gateVerdict({ ...good, genuine: false, status: "unknown", valid: false, remaining: null }).reasons.map((r) => r.code)).toEqual(["not_genuine"]);
    for (const status of ["revoked", "recalled", "failed_test", "expired"]) {
      expect(gateVerdict({ ...good, status, valid: false })).toMatchObject({ decision: "reject", reasons: [{ code: status }] });
    }
    expect(gateVerdict({ ...good, valid: false }).reasons[0]!.code).toBe("not_valid");
    expect(gateVerdict({ ...good, status: "revoked", valid: false, remaining: 0 }).reasons.map((r) => r.code)).toEqual(["revoked", "quantity_exhausted"]);
  });
  it("holds good goods whose cold chain is in doubt, but a refusal outranks a hold", () => {
    expect(gateVerdict({ ...good, coldChainFlagged: true, openExcursions: 2 })).toMatchObject({ decision: "hold", reasons: [{ code: "cold_chain_handover" }, { code: "open_excursion" }] });
    expect(gateVerdict({ ...good, coldChainFlagged: true, remaining: 0 }).decision).toBe("reject");
  });
});

describe("receipt rules", () => {
  it("counts accepted and held goods against the certificate, not rejected ones", () => {
    expect([countsAgainstCertificate("accept"), countsAgainstCertificate("hold"), countsAgainstCertificate("reject")]).toEqual([true, true, false]);
  });
  it("names the proof the goods came in on", () => {
    expect(proofOf({ certificateId: "c", rapidTestId: "t" })).toBe("certificate");
    expect(proofOf({ certificateId: null, rapidTestId: "t" })).toBe("rapid_test");
    expect(proofOf({ certificateId: null, rapidTestId: null })).toBe("none");
  });
  it("files a seller by credit code, else ID number, else name and phone", () => {
    expect(sellerIdentity({ name: "a", creditCode: "91X", idNumber: "1" })).toBe("uscc:91X");
    expect(sellerIdentity({ name: "a", idNumber: "33018519700101123x" })).toBe("id:33018519700101123X");
    expect(sellerIdentity({ name: "a", phone: "139" })).toBe("name:a|139");
  });
  it("never reports a negative remainder", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 0, max: 1e6 }), (q, r) => remainingOf(q / 1000, r / 1000) >= 0));
    expect(remainingOf(100, 98.5)).toBe(1.5);
  });
  it("words the page's warning of goods beyond the certificate in the certificate's unit, counting refusals past the first", () => {
    const once = quantityExceededWarning({ requested: 20.000000001, remaining: 0.1 + 0.2, unit: "kg" }, 1);
    expect(once.messageZh).toContain("（剩余 0.3\u00a0kg，来货 20\u00a0kg）");
    expect(once.message).toContain("(20\u00a0kg with 0.3\u00a0kg left)");
    const thrice = quantityExceededWarning({ requested: 12, remaining: 0, unit: "箱" }, 3);
    expect(thrice.messageZh).toContain("（剩余 0\u00a0箱，来货 12\u00a0箱，共 3 次）");
    expect(thrice.message).toContain("(12\u00a0箱 with 0\u00a0箱 left, 3 times)");
  });
});

describe("ledger files", () => {
  it("quotes per RFC 4180 and defuses spreadsheet formulas", () => {
    expect(csvRecord(["a,b", 'say "hi"', 3, "=1+1", "-2", "@x", "普通"])).toBe('"a,b","say ""hi""",3,\'=1+1,\'-2,\'@x,普通\r\n');
    fc.assert(fc.property(fc.string(), (s) => !/^[=+\-@\t\r]/.test(neutralizeFormula(s))));
  });
  it("gives markets the eleven ledger columns first and never the ID number", () => {
    const market = ledgerColumns("market").map((c) => c.header);
    expect(market.slice(0, 11)).toEqual(["日期", "产品", "数量", "单位", "供货者", "统一社会信用代码", "联系电话", "合格证编号", "查验结果", "原因", "购货凭证号"]);
    expect(market).not.toContain("身份证号");
    expect(ledgerColumns("regulator").map((c) => c.header)).toContain("身份证号");
  });
});

describe("upstream summary", () => {
  it("is null without upstream entries, and counts them from verify's tree", () => {
    expect(upstreamSummary([])).toBeNull();
    expect(
      upstreamSummary([
        { kind: "certificate", code: "A", status: "valid", upstream: [] },
        { kind: "certificate", code: "B", status: "recalled", upstream: [{ kind: "certificate", code: "C", status: "recalled", upstream: [] }] },
        { kind: "paper", status: "unverified" },
        { kind: "other_platform", code: "ZJ-1", status: "unverified" },
      ]),
    ).toEqual({ count: 4, onPlatform: 2, external: 2, notValid: ["C"] });
  });
});
