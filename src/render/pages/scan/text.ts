import type { PageLanguage } from "./language";

/** Every word the scan page prints, in both languages; the page itself holds no wording. */
export interface ScanText {
  htmlLang: string;
  title: string;
  verdict: Record<"valid" | "revoked" | "recalled" | "failed_test" | "expired" | "unknown", string>;
  verdictDetail: { valid: string; unknown: string; revokedOn: (date: string, reason: string) => string };
  /** What a consumer holding the goods should do, for verdicts that call for it. */
  advice: Partial<Record<"revoked" | "recalled" | "failed_test" | "expired", string>>;
  altered: string;
  copied: string;
  /** Under a copied-code warning: how a consumer can tell whether the goods in hand are the certified ones. */
  copiedAdvice: string;
  product: string;
  quantity: string;
  origin: string;
  issuer: string;
  contact: string;
  commitment: string;
  basis: string;
  colon: string;
  issueDate: string;
  lot: string;
  harvested: string;
  tests: string;
  noTests: string;
  testKinds: Record<string, string>;
  methods: Record<string, string>;
  outcomes: Record<string, string>;
  lab: string;
  reportNo: string;
  custody: string;
  how: Record<string, string>;
  partyKinds: Record<string, string>;
  coldChain: string;
  range: string;
  readings: (n: number) => string;
  minMax: string;
  excursions: (n: number) => string;
  noExcursions: string;
  openExcursion: string;
  upstream: string;
  signature: string;
  signatureOk: string;
  log: (leafIndex: string) => string;
  scans: string;
  scanCount: (n: number) => string;
  unknownPlace: string;
  elsewhere: (n: number) => string;
  notFoundDetail: (code: string) => string;
  otherLanguage: { href: string; label: string };
  machine: string;
}

const TEST_KINDS_ZH = { self_test: "自行检测", entrusted_test: "委托检测", market_rapid: "市场快检", official_sampling: "监督抽检" };
const TEST_KINDS_EN = { self_test: "Own test", entrusted_test: "Lab test", market_rapid: "Market rapid test", official_sampling: "Official sampling" };

export const SCAN_TEXT: Record<PageLanguage, ScanText> = {
  zh: {
    htmlLang: "zh-CN",
    title: "承诺达标合格证",
    verdict: { valid: "有效", revoked: "已作废", recalled: "已召回", failed_test: "检测不合格", expired: "已过期", unknown: "未找到" },
    verdictDetail: {
      valid: "签名核验通过，未作废，未召回，未检出不合格。",
      unknown: "本服务没有开具过这个码的合格证。",
      revokedOn: (date, reason) => `${date} 作废：${reason}`,
    },
    advice: {
      revoked: "这张合格证已作废，不能再证明这批产品。请向销售者索要有效的合格证。",
      recalled: "这批产品已被召回：请不要食用，可要求销售者退货，也可拨打 12315 反映。",
      failed_test: "这批产品检测不合格：建议不要食用，可要求销售者退货，也可拨打 12315 反映。",
      expired: "这张合格证已过期，不能证明现在出售的产品。请向销售者索要新的合格证。",
    },
    altered: "注意：存储的记录与签名内容不一致，以下显示签名内容。",
    copied: "疑似复制码：",
    copiedAdvice: "请核对手中产品的品名、产地和销售者是否与本页一致；不一致或有疑问，可拨打 12315 反映。",
    product: "产品",
    quantity: "数量",
    origin: "产地",
    issuer: "承诺主体",
    contact: "联系方式",
    commitment: "承诺",
    basis: "承诺依据",
    colon: "：",
    issueDate: "开具日期",
    lot: "批次",
    harvested: "采收日期",
    tests: "检测",
    noTests: "没有检测记录。",
    testKinds: TEST_KINDS_ZH,
    methods: { enzyme_inhibition: "酶抑制法", colloidal_gold: "胶体金", lab: "实验室检测" },
    outcomes: { pass: "合格", fail: "不合格", undetermined: "无法判定" },
    lab: "检测机构",
    reportNo: "报告编号",
    custody: "流转",
    how: { origin: "产出", transfer: "收货", split: "分批", merge: "混装", repack: "分装", transform: "加工" },
    partyKinds: { enterprise: "企业", cooperative: "合作社", family_farm: "家庭农场", household: "农户", buyer: "收购者", market: "市场" },
    coldChain: "冷链",
    range: "要求温度",
    readings: (n) => `${n} 条温度记录`,
    minMax: "最低 / 最高",
    excursions: (n) => `${n} 次超温`,
    noExcursions: "无超温",
    openExcursion: "未处置",
    upstream: "来源合格证",
    signature: "签名核验",
    signatureOk: "电子签名已用公开密钥核验通过，内容未被篡改。",
    log: (i) => `已记入透明日志，第 ${i} 条。`,
    scans: "扫码记录",
    scanCount: (n) => (n === 0 ? "尚无扫描记录" : `本码已被扫描 ${n} 次`),
    unknownPlace: "地点未知",
    elsewhere: (n) => `其他地点 ${n} 次`,
    notFoundDetail: (code) => `没有找到码为 ${code} 的合格证。请核对标签上的码，或向销售者索要合格证；码与标签一致而仍找不到时，标签可能是伪造的，可拨打 12315 反映。`,
    otherLanguage: { href: "?lang=en", label: "English" },
    machine: "机器可读",
  },
  en: {
    htmlLang: "en",
    title: "Certificate of compliance",
    verdict: { valid: "Valid", revoked: "Revoked", recalled: "Recalled", failed_test: "Failed a test", expired: "Expired", unknown: "Not found" },
    verdictDetail: {
      valid: "The signature checks out; not revoked, not recalled, no failed test.",
      unknown: "This service never issued a certificate with this code.",
      revokedOn: (date, reason) => `Revoked on ${date}: ${reason}`,
    },
    advice: {
      revoked: "This certificate no longer vouches for these goods. Ask the seller for a valid one.",
      recalled: "These goods have been recalled: do not eat them. Ask the seller for a refund, or call 12315 to report it.",
      failed_test: "These goods failed a test: we advise not eating them. Ask the seller for a refund, or call 12315 to report it.",
      expired: "This certificate has expired and does not vouch for goods on sale now. Ask the seller for a current one.",
    },
    altered: "Warning: the stored record differs from what was signed; the signed content is shown.",
    copied: "Possibly a copied code: ",
    copiedAdvice: "Check that the product, its origin and the seller match this page; if they do not, or you are unsure, call 12315 to report it.",
    product: "Product",
    quantity: "Quantity",
    origin: "Origin",
    issuer: "Issued by",
    contact: "Contact",
    commitment: "Commitment",
    basis: "Basis",
    colon: ": ",
    issueDate: "Issued on",
    lot: "Lot",
    harvested: "Harvested",
    tests: "Tests",
    noTests: "No tests recorded.",
    testKinds: TEST_KINDS_EN,
    methods: { enzyme_inhibition: "enzyme inhibition", colloidal_gold: "colloidal gold strip", lab: "laboratory" },
    outcomes: { pass: "pass", fail: "fail", undetermined: "undetermined" },
    lab: "Lab",
    reportNo: "Report no.",
    custody: "Custody",
    how: { origin: "produced", transfer: "received", split: "split", merge: "mixed", repack: "repacked", transform: "processed" },
    partyKinds: { enterprise: "enterprise", cooperative: "cooperative", family_farm: "family farm", household: "household", buyer: "buyer", market: "market" },
    coldChain: "Cold chain",
    range: "Required",
    readings: (n) => `${n} temperature readings`,
    minMax: "Min / max",
    excursions: (n) => `${n} excursion${n === 1 ? "" : "s"}`,
    noExcursions: "No excursions",
    openExcursion: "not yet handled",
    upstream: "Upstream certificates",
    signature: "Signature",
    signatureOk: "The electronic signature was checked against the published keys: the content is as signed.",
    log: (i) => `Recorded in the transparency log as entry ${i}.`,
    scans: "Scans",
    scanCount: (n) => (n === 0 ? "No scans recorded yet" : `Scanned ${n} time${n === 1 ? "" : "s"}`),
    unknownPlace: "place unknown",
    elsewhere: (n) => `elsewhere: ${n}`,
    notFoundDetail: (code) => `No certificate with code ${code} was found. Check the code on the label, or ask the seller for the certificate; if the code matches the label and is still not found, the label may be forged: call 12315 to report it.`,
    otherLanguage: { href: "?lang=zh", label: "中文" },
    machine: "Machine-readable",
  },
};
