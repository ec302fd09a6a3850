import type { Context } from "hono";
import { coarsePlace, NO_PLACE, placeFromHeader, type ScanPlace } from "../domain/scans";
import type { AppEnv } from "./context";

/**
 * Node origin: the place comes from a header the reverse proxy in front sets (from its GeoIP lookup) and that clients
 * cannot set themselves; the proxy must overwrite any such header arriving from outside. Unset: places are unknown.
 */
export function headerScanPlace(headerName: string | undefined): ((c: Context<AppEnv>) => ScanPlace) | undefined {
  const name = placeHeaderName(headerName);
  return name === undefined ? undefined : (c) => placeFromHeader(c.req.header(name));
}

/** The trusted place header as configured, lower-cased; undefined when none is. */
export function placeHeaderName(configured: string | undefined): string | undefined {
  const name = configured?.trim().toLowerCase();
  return name === undefined || name === "" ? undefined : name;
}

/** What Cloudflare's edge attaches to every request reaching a Worker (a subset of IncomingRequestCfProperties). */
interface CfProperties {
  country?: string;
  region?: string;
  city?: string;
  latitude?: string;
  longitude?: string;
}

/** Workers: Cloudflare's own geolocation of the client (request.cf), coarsened. */
export function cfScanPlace(c: Context<AppEnv>): ScanPlace {
  const cf = (c.req.raw as Request & { cf?: CfProperties }).cf;
  if (cf === undefined) return NO_PLACE;
  return coarsePlace({ country: cf.country, region: cf.region, city: cf.city, latitude: cf.latitude, longitude: cf.longitude });
}
