/**
 * Copied-code detection: a label photocopied onto other goods shows up as scans of one code from places too far apart
 * to travel between in the time, as scans gathered in more regions than one lot's goods reach, or as more scans than
 * the goods it covers could draw. Pure; the thresholds are data.
 */
import { convertQuantity } from "../units";

export const SCAN_FLAG_KINDS = ["impossible_travel", "many_regions", "excess_scans"] as const;
export type ScanFlagKind = (typeof SCAN_FLAG_KINDS)[number];

export interface CopiedCodeRules {
  /** Faster than this between two scans is not one crate travelling (a fast train runs 350 km/h, a plane 900). */
  maxSpeedKmh: number;
  /** Closer scans never count as travel: coarse places of one city can sit tens of km apart. */
  minDistanceKm: number;
  /** Scans one printed label may draw (several shoppers, the stall, the market clerk). */
  scansPerLabel: number;
  /** Scans one kilogram or one counted unit may draw: a crate sold loose goes to many shoppers. */
  scansPerUnit: number;
  /** Below this many scans no certificate is flagged for volume, however small. */
  minScans: number;
  /**
   * Regions (provinces) one lot's goods plausibly reach: a certificate goes with one sale, so the farm's and the
   * buyer's, or a chain's distribution centre and the neighbouring provinces its stores are in (Shanghai, Jiangsu,
   * Zhejiang and Anhui around one centre). More, each with many scans, is the pattern of a label copied onto other goods.
   */
  maxRegions: number;
  /**
   * Scans by people a region needs before it counts towards `maxRegions`. A phone on mobile data is often placed in
   * the province its SIM card is from, so the shoppers at one stall scatter single scans over many provinces; a copy
   * in use gathers many scans in each region it is sold in.
   */
  minScansPerRegion: number;
}

export const DEFAULT_COPIED_CODE_RULES: CopiedCodeRules = {
  maxSpeedKmh: 900,
  minDistanceKm: 300,
  scansPerLabel: 20,
  scansPerUnit: 2,
  minScans: 200,
  maxRegions: 4,
  minScansPerRegion: 10,
};

export interface ScanPoint {
  at: Date;
  lat: number | null;
  lon: number | null;
  place: string | null;
}

export interface CopiedCodeInput {
  /** Recent scans by people (bots left out), in any order. */
  scans: readonly ScanPoint[];
  /** Scans by people so far, older ones included, a visitor who came back the same day counted once. */
  visits: number;
  /** Scans by people so far per region (province), older ones included; scans of unknown region left out. */
  regions: readonly RegionScans[];
  copies: number;
  quantity: { amount: number; unit: string };
}

export interface RegionScans {
  /** "Zhejiang, CN" */
  place: string;
  scans: number;
}

export type CopiedCodeFinding =
  | {
      kind: "impossible_travel";
      from: { at: string; place: string | null };
      to: { at: string; place: string | null };
      distanceKm: number;
      hours: number;
      messageZh: string;
      message: string;
    }
  | { kind: "many_regions"; regions: RegionScans[]; messageZh: string; message: string }
  | { kind: "excess_scans"; scans: number; explained: number; messageZh: string; message: string };

const EARTH_RADIUS_KM = 6371;

/** Great-circle distance (haversine). */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Scans the certified goods could plausibly draw: whichever is larger of the labels' and the quantity's share. */
export function explainedScans(input: Pick<CopiedCodeInput, "copies" | "quantity">, rules: CopiedCodeRules = DEFAULT_COPIED_CODE_RULES): number {
  const kg = convertQuantity(input.quantity.amount, input.quantity.unit, "kg");
  const units = kg ?? input.quantity.amount;
  return Math.max(rules.minScans, Math.ceil(Math.max(1, input.copies) * rules.scansPerLabel), Math.ceil(units * rules.scansPerUnit));
}

function travelFinding(scans: readonly ScanPoint[], rules: CopiedCodeRules): CopiedCodeFinding | null {
  const located = scans
    .filter((s): s is ScanPoint & { lat: number; lon: number } => s.lat !== null && s.lon !== null)
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  for (let i = 1; i < located.length; i++) {
    const from = located[i - 1]!;
    const to = located[i]!;
    const km = distanceKm(from, to);
    if (km < rules.minDistanceKm) continue;
    const hours = (to.at.getTime() - from.at.getTime()) / 3_600_000;
    if (hours > 0 && km / hours <= rules.maxSpeedKmh) continue;
    const distance = Math.round(km);
    const h = Math.round(hours * 100) / 100;
    return {
      kind: "impossible_travel",
      from: { at: from.at.toISOString(), place: from.place },
      to: { at: to.at.toISOString(), place: to.place },
      distanceKm: distance,
      hours: h,
      messageZh: `同一码在 ${h} 小时内先后于相距约 ${distance} 公里的两地被扫描（${from.place ?? "未知"} → ${to.place ?? "未知"}），疑似被复制`,
      message: `scanned ${distance} km apart within ${h} h (${from.place ?? "unknown"} → ${to.place ?? "unknown"}): the code may have been copied`,
    };
  }
  return null;
}

/** Regions named in a finding's message: the busiest, enough to see the spread. */
const REGIONS_NAMED = 5;

function regionsFinding(regions: readonly RegionScans[], rules: CopiedCodeRules): CopiedCodeFinding | null {
  const busy = regions
    .filter((r) => r.scans >= rules.minScansPerRegion)
    .sort((a, b) => b.scans - a.scans || (a.place < b.place ? -1 : a.place > b.place ? 1 : 0));
  if (busy.length <= rules.maxRegions) return null;
  const named = busy.slice(0, REGIONS_NAMED);
  const more = busy.length - named.length;
  const listZh = named.map((r) => `${r.place} ${r.scans} 次`).join("、");
  const list = named.map((r) => `${r.place} (${r.scans})`).join(", ");
  return {
    kind: "many_regions",
    regions: busy,
    messageZh: `在 ${busy.length} 个省级地区各被扫描 ${rules.minScansPerRegion} 次以上（${listZh}${more > 0 ? " 等" : ""}），一批货难以同时销往这么多地方，疑似被复制`,
    message: `scanned ${rules.minScansPerRegion} times or more in each of ${busy.length} regions (${list}${more > 0 ? ", …" : ""}): one lot's goods rarely reach so many, the code may have been copied`,
  };
}

/** Every finding that applies, travel first; an empty list means nothing suspicious. */
export function copiedCodeFindings(input: CopiedCodeInput, rules: CopiedCodeRules = DEFAULT_COPIED_CODE_RULES): CopiedCodeFinding[] {
  const findings: CopiedCodeFinding[] = [];
  const travel = travelFinding(input.scans, rules);
  if (travel !== null) findings.push(travel);
  const spread = regionsFinding(input.regions, rules);
  if (spread !== null) findings.push(spread);
  const explained = explainedScans(input, rules);
  if (input.visits > explained) {
    findings.push({
      kind: "excess_scans",
      scans: input.visits,
      explained,
      messageZh: `已被扫描 ${input.visits} 人次，远超本证所附数量可解释的 ${explained} 次，疑似被复制`,
      message: `scanned by ${input.visits} visitors, more than the ${explained} scans its quantity explains: the code may have been copied`,
    });
  }
  return findings;
}
