/**
 * What the service keeps for each production record and test beyond the fields the rules read: the record as the
 * producer or tester entered it, so it can be shown and printed as written.
 */
import type { ChinaDate } from "./china-date.js";

/** 肥药两制 covers fertilisers as well; only pesticides and veterinary drugs carry intervals and bans. */
export const INPUT_TYPES = ["pesticide", "veterinary_drug", "fertilizer", "other"] as const;
export type InputType = (typeof INPUT_TYPES)[number];

export interface ApplicationData {
  kind: "application";
  inputType: InputType;
  inputName: string;
  registrationNo: string | null;
  formulation: string | null;
  activeIngredients: string[];
  dose: string | null;
  method: string | null;
  appliedOn: ChinaDate;
  stoppedOn: ChinaDate | null;
  operator: string | null;
  pest: string | null;
  notes: string | null;
}

export interface HarvestData {
  kind: "harvest";
  harvestedOn: ChinaDate;
  quantity: number | null;
  unit: string | null;
  /** The crop was cleared (拉秧, 清园): applications before this date belong to an earlier season on the site. */
  endsSeason: boolean;
  operator: string | null;
  notes: string | null;
}

export type ProductionRecordData = ApplicationData | HarvestData;
export type ProductionRecordKind = ProductionRecordData["kind"];

export interface TestSample {
  sampleNo?: string | undefined;
  description?: string | undefined;
  location?: string | undefined;
  quantity?: string | undefined;
  sampledBy?: string | undefined;
}

/** One reading as the tester entered it; the verdict is never entered, it is computed. */
export interface TestResultInput {
  analyte: string;
  /** Inhibition rate (%), residue value, or null for not detected. */
  value: number | null;
  unit: string | null;
  threshold: number | null;
  /** Colloidal-gold reader result. */
  reading: "positive" | "negative" | null;
}

export const ATTACHMENT_TYPES = ["image/jpeg", "image/png", "application/pdf"] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];
