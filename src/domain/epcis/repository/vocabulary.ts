/**
 * CBV 2.0 allows a standard business step or disposition in three spellings: the bare term (`shipping`), the web
 * vocabulary IRI (`https://ref.gs1.org/cbv/BizStep-shipping`, or its CURIE `cbv:BizStep-shipping`) and the EPCIS 1.x
 * URN (`urn:epcglobal:cbv:bizstep:shipping`). Stored and queried as the bare term so one query finds all three.
 */
const SPELLINGS = {
  bizStep: ["https://ref.gs1.org/cbv/BizStep-", "cbv:BizStep-", "urn:epcglobal:cbv:bizstep:"],
  disposition: ["https://ref.gs1.org/cbv/Disp-", "cbv:Disp-", "urn:epcglobal:cbv:disp:"],
} as const;

export type VocabularyKind = keyof typeof SPELLINGS;

export function vocabularyTerm(kind: VocabularyKind, value: string): string {
  const text = value.trim();
  for (const prefix of SPELLINGS[kind]) {
    if (text.startsWith(prefix) && text.length > prefix.length) return text.slice(prefix.length);
  }
  return text;
}
