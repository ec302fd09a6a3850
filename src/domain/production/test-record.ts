/**
 * A test recorded against a lot, as the method reports it: enzyme inhibition gives one inhibition rate for the
 * sample, colloidal-gold strips a reader result per named analyte, a lab a measured value per analyte.
 */

export const TEST_KINDS = ["self_test", "entrusted_test", "market_rapid", "official_sampling"] as const;
/** 自行检测, 委托检测, market 快检 at the gate, official 监督抽检. */
export type TestKind = (typeof TEST_KINDS)[number];

interface TestHeader {
  id: string;
  kind: TestKind;
  /** RFC 3339 instant with offset: re-tests are ordered by it. */
  testedAt: string;
  lab: string | null;
  reportNo: string | null;
  /** The earlier test this one re-tests, when it was ordered to confirm or clear a positive. */
  retestOf: string | null;
}

export interface EnzymeInhibitionTest extends TestHeader {
  method: "enzyme_inhibition";
  inhibitionRatePercent: number;
}

export interface ColloidalGoldReading {
  analyte: string;
  readerResult: "positive" | "negative";
}

export interface ColloidalGoldTest extends TestHeader {
  method: "colloidal_gold";
  readings: readonly ColloidalGoldReading[];
}

export interface LabReading {
  analyte: string;
  /** Measured residue in mg/kg; null when not detected. */
  valueMgPerKg: number | null;
  /** Limit the lab judged against, when the report states one. */
  limitMgPerKg: number | null;
}

export interface LabTest extends TestHeader {
  method: "lab";
  readings: readonly LabReading[];
}

export type LotTest = EnzymeInhibitionTest | ColloidalGoldTest | LabTest;
export type TestMethod = LotTest["method"];
