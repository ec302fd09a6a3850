import type { MarketDecision } from "./receipt-rules";

/** What the gate knows about a certificate when the clerk scans it. */
export interface GateFacts {
  /** The code was issued here and its signature verifies. */
  genuine: boolean;
  /** verifyCertificate's status: valid, revoked, recalled, expired, failed_test, unknown. */
  status: string;
  /** verifyCertificate's own overall answer (false also for an altered record or a mismatched token). */
  valid: boolean;
  /** Quantity still to be received across all markets, in the certificate's unit; null when not genuine. */
  remaining: number | null;
  coldChainFlagged: boolean;
  openExcursions: number;
}

export interface GateVerdict {
  /** What the clerk should do: the page's big green / amber / red. */
  decision: MarketDecision;
  /** Why, in Chinese first (what the clerk reads) and in English. */
  reasons: { code: string; zh: string; en: string }[];
}

/**
 * The suggested decision. Anything that makes the certificate untrustworthy (not issued here, revoked, recalled,
 * failed, nothing left to receive) is a refusal; a cold-chain doubt on otherwise good goods is a hold, because
 * the goods may still pass once the temperature is re-measured or the excursion is decided.
 */
export function gateVerdict(f: GateFacts): GateVerdict {
  const refuse: GateVerdict["reasons"] = [];
  if (!f.genuine) refuse.push({ code: "not_genuine", zh: "合格证无法核实（非本平台签发或编码错误）", en: "the certificate cannot be verified" });
  else {
    const byStatus: Record<string, [string, string]> = {
      revoked: ["合格证已作废", "the certificate was revoked"],
      recalled: ["产品已被召回", "the goods are recalled"],
      failed_test: ["产品检测不合格", "the goods failed a test"],
      expired: ["合格证已过期", "the certificate has expired"],
    };
    const s = byStatus[f.status];
    if (s !== undefined) refuse.push({ code: f.status, zh: s[0], en: s[1] });
    else if (!f.valid) refuse.push({ code: "not_valid", zh: "合格证记录与签名不符", en: "the stored record does not match its signature" });
    if (f.remaining !== null && f.remaining <= 0) {
      refuse.push({ code: "quantity_exhausted", zh: "合格证数量已全部进场，疑似重复使用", en: "the certificate's quantity has all been received; it may be copied" });
    }
  }
  if (refuse.length > 0) return { decision: "reject", reasons: refuse };
  const hold: GateVerdict["reasons"] = [];
  if (f.coldChainFlagged) hold.push({ code: "cold_chain_handover", zh: "交接温度超标", en: "the handover temperature is out of range" });
  if (f.openExcursions > 0) hold.push({ code: "open_excursion", zh: "冷链温度异常未处理", en: "a cold-chain excursion is still open" });
  if (hold.length > 0) return { decision: "hold", reasons: hold };
  return { decision: "accept", reasons: [] };
}
