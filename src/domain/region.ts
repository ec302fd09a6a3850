import { areaList } from "@vant/area-data";

/** GB/T 2260 administrative division codes: 2 digits province, 4 city, 6 county. */
export function regionName(code: string): string | null {
  const county = areaList.county_list[code];
  if (county === undefined) {
    return areaList.city_list[code] ?? areaList.province_list[code] ?? null;
  }
  const city = areaList.city_list[code.slice(0, 4) + "00"];
  const province = areaList.province_list[code.slice(0, 2) + "0000"];
  // Municipalities repeat their name at province and city level (北京市北京市): print it once.
  return [province, city !== province ? city : undefined, county].filter(Boolean).join("");
}

export function isKnownRegion(code: string): boolean {
  return /^\d{6}$/.test(code) && regionName(code) !== null;
}

/**
 * Whether a regulator registered for `authority` covers `region`: a province code (330000) covers its cities and
 * counties, a city code (330700) its counties, a county code itself.
 */
export function regionCovers(authority: string, region: string): boolean {
  if (authority.endsWith("0000")) return region.startsWith(authority.slice(0, 2));
  if (authority.endsWith("00")) return region.startsWith(authority.slice(0, 4));
  return authority === region;
}

/** SQL LIKE prefix matching the codes an authority covers. */
export function regionPrefix(authority: string): string {
  if (authority.endsWith("0000")) return authority.slice(0, 2);
  if (authority.endsWith("00")) return authority.slice(0, 4);
  return authority;
}
