import { sha256 } from "@noble/hashes/sha2.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";
import { uuidv7 } from "../ids";

/**
 * IRIs that name this service's lots, parties and sites inside EPCIS events. Lots have no GS1 company prefix here
 * (most farms have none), so they are named under the service's own base URL.
 */
export function lotIri(base: string, lotId: string): string {
  return `${base}/id/lot/${lotId}`;
}

export function partyIri(base: string, partyId: string): string {
  return `${base}/id/party/${partyId}`;
}

export function siteIri(base: string, siteId: string): string {
  return `${base}/id/site/${siteId}`;
}

/**
 * A UUIDv7 whose random part comes from `seed`: the same request at the same event time names the same new lots, so
 * the event describing them has the same hash id and a re-sent request is recognised instead of repeated.
 */
export function derivedId(seed: string, at: Date): string {
  const digest = sha256(utf8ToBytes(seed));
  let offset = 0;
  return uuidv7(at, (n) => {
    const out = digest.slice(offset, offset + n);
    offset += n;
    return out;
  });
}
