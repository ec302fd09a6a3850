/**
 * Where a scan came from, as coarse as a consumer would accept: country, region and city names and coordinates
 * rounded to 0.1° (about 11 km). Nothing finer is kept, and never the address it was derived from.
 */
export interface ScanPlace {
  country: string | null;
  region: string | null;
  city: string | null;
  lat: number | null;
  lon: number | null;
}

export const NO_PLACE: ScanPlace = { country: null, region: null, city: null, lat: null, lon: null };

const MAX_NAME = 64;

function name(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  // Control characters and angle brackets have no place in a place name; the page escapes anyway. A lone surrogate is
  // no text at all, and would make the whole batch of scans it is stored with fail.
  if (trimmed === "" || trimmed.length > MAX_NAME || /[\u0000-\u001f<>]|\p{Cs}/u.test(trimmed)) return null;
  return trimmed;
}

function coordinate(value: unknown, limit: number): number | null {
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : Number.NaN;
  if (!Number.isFinite(n) || Math.abs(n) > limit) return null;
  return Math.round(n * 10) / 10;
}

/** Coarsens whatever the runtime reported; both coordinates or neither. */
export function coarsePlace(raw: { country?: unknown; region?: unknown; city?: unknown; latitude?: unknown; longitude?: unknown }): ScanPlace {
  const lat = coordinate(raw.latitude, 90);
  const lon = coordinate(raw.longitude, 180);
  const both = lat !== null && lon !== null;
  return {
    country: name(raw.country)?.toUpperCase() ?? null,
    region: name(raw.region),
    city: name(raw.city),
    lat: both ? lat : null,
    lon: both ? lon : null,
  };
}

/**
 * The Node origin's trusted place header, set by the proxy in front of it (e.g. from a GeoIP module):
 * `country=CN; region=Zhejiang; city=Hangzhou; lat=30.27; lon=120.15`. Unknown keys are ignored; names may be
 * percent-encoded (HTTP headers carry Latin-1 only, so 浙江 travels as %E6%B5%99%E6%B1%9F).
 */
export function placeFromHeader(header: string | undefined): ScanPlace {
  if (header === undefined || header.length > 512) return NO_PLACE;
  const fields: Record<string, string> = {};
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim().toLowerCase();
    let value = part.slice(eq + 1).trim();
    try {
      value = decodeURIComponent(value);
    } catch {
      continue;
    }
    fields[key] = value;
  }
  return coarsePlace({ country: fields["country"], region: fields["region"], city: fields["city"], latitude: fields["lat"], longitude: fields["lon"] });
}

/** "Hangzhou, Zhejiang, CN": the most specific names first, for listing on the page. */
export function placeLabel(place: Pick<ScanPlace, "country" | "region" | "city">): string | null {
  const parts = [place.city, place.region, place.country].filter((p): p is string => p !== null);
  const unique = parts.filter((p, i) => parts.indexOf(p) === i);
  return unique.length === 0 ? null : unique.join(", ");
}
