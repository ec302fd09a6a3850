import type { UpstreamReference } from "./upstream/references";

/**
 * The 承诺达标合格证 as issued: template wording, basis options, and the frozen content that is signed,
 * printed and shown on scan. Wording is stored per template version so a certificate keeps the text it was issued with.
 */
export const CERTIFICATE_TITLE = "承诺达标合格证";

export const BASES = ["quality_control", "self_test", "entrusted_test"] as const;
export type Basis = (typeof BASES)[number];

export const TEMPLATE_VERSIONS = ["2025-producer", "2025-buyer"] as const;
export type TemplateVersion = (typeof TEMPLATE_VERSIONS)[number];

export interface CertificateTemplate {
  version: TemplateVersion;
  /** 样式一 / 样式二 as the rulebook names the forms. */
  styleName: string;
  commitmentText: string;
  basisLabels: Record<Basis, string>;
}

const BASIS_LABELS_2025: Record<Basis, string> = {
  quality_control: "质量安全控制符合要求",
  self_test: "自行检测合格",
  entrusted_test: "委托检测合格",
};

export const TEMPLATES: Record<TemplateVersion, CertificateTemplate> = {
  "2025-producer": {
    version: "2025-producer",
    styleName: "样式一",
    commitmentText: "我承诺生产销售的食用农产品：未使用禁用农药、兽药及其他化合物；使用的常规农药、兽药残留不超标。",
    basisLabels: BASIS_LABELS_2025,
  },
  "2025-buyer": {
    version: "2025-buyer",
    styleName: "样式二",
    commitmentText:
      "我承诺销售的食用农产品：已按规定收取并保存该批次农产品承诺达标合格证或者其他质量安全合格证明；未违规使用保鲜剂、防腐剂、添加剂等。",
    basisLabels: BASIS_LABELS_2025,
  },
};

export const BASIS_LABELS_EN: Record<Basis, string> = {
  quality_control: "Quality and safety controls met",
  self_test: "Passed own test",
  entrusted_test: "Passed accredited lab test",
};

/** Everything printed on or shown for a certificate, frozen at issue and covered by the signature. */
export interface CertificateContent {
  code: string;
  templateVersion: TemplateVersion;
  title: string;
  commitmentText: string;
  basis: Basis;
  basisLabel: string;
  product: { name: string; category: string; gtin: string | null };
  quantity: { amount: number; unit: string };
  origin: { regionCode: string; regionName: string | null; address: string | null; siteName: string | null };
  issuer: {
    partyId: string;
    kind: string;
    name: string;
    creditCode: string | null;
    contactName: string | null;
    phone: string;
  };
  lot: { id: string; code: string; harvestedAt: string };
  /** Tests named as the basis: lab and report number for entrusted tests. */
  tests: { id: string; kind: string; lab: string | null; reportNo: string | null; testedAt: string }[];
  /** Calendar date of issue in China Standard Time, as printed (开具日期). */
  issueDate: string;
  issuedAt: string;
  /** A buyer's certificate (样式二): the certificates the goods were collected under. Absent on a producer's. */
  upstream?: UpstreamReference[];
}
