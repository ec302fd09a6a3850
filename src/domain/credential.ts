import type { CertificateContent } from "./certificate";
import type { BitstringStatusListEntry } from "./status-list";

export const VC_CONTEXT = "https://www.w3.org/ns/credentials/v2";
export const CREDENTIAL_TYPE = "AgriculturalProduceCommitmentCertificate";

export function certificateUrl(publicUrl: string, code: string): string {
  return `${publicUrl}/c/${code}`;
}

/**
 * The certificate as a W3C VC 2.0 credential. The producer makes the promise, so the producer is the issuer; the
 * service's key signs on its behalf and the JWKS names that key. Every printed field is in the subject, so the
 * token alone proves what the label says.
 */
export function buildCredential(
  content: CertificateContent,
  publicUrl: string,
  credentialStatus?: readonly BitstringStatusListEntry[],
): Record<string, unknown> {
  return {
    "@context": [VC_CONTEXT],
    id: certificateUrl(publicUrl, content.code),
    type: ["VerifiableCredential", CREDENTIAL_TYPE],
    name: content.title,
    issuer: { id: `${publicUrl}/v1/parties/${content.issuer.partyId}`, name: content.issuer.name },
    validFrom: content.issuedAt,
    credentialSubject: { id: `${publicUrl}/v1/lots/${content.lot.id}`, ...content },
    // A buyer's certificate (样式二) lists its upstream references in the subject; photos of paper certificates are
    // bound by digest too, so a swapped photo shows (W3C VC 2.0 relatedResource).
    ...upstreamResources(content, publicUrl),
    // Where a generic verifier reads revocation and suspension (W3C Bitstring Status List); see domain/status-list.
    ...(credentialStatus === undefined || credentialStatus.length === 0 ? {} : { credentialStatus }),
  };
}

/** Reads the certificate content back out of a verified credential payload, or null if it is not one of ours. */
export function contentFromCredential(payload: Record<string, unknown>): CertificateContent | null {
  const types = payload["type"];
  if (!Array.isArray(types) || !types.includes(CREDENTIAL_TYPE)) return null;
  const subject = payload["credentialSubject"];
  if (typeof subject !== "object" || subject === null) return null;
  const { id: _lotUrl, ...content } = subject as Record<string, unknown>;
  if (typeof content["code"] !== "string") return null;
  return content as unknown as CertificateContent;
}

function upstreamResources(content: CertificateContent, publicUrl: string): { relatedResource?: Record<string, string>[] } {
  const photos = (content.upstream ?? []).flatMap((u) => (u.kind === "paper" ? [u.photo] : []));
  if (photos.length === 0) return {};
  return {
    relatedResource: photos.map((p) => ({
      id: `${publicUrl}/v1/upstream-photos/${p.id}`,
      digestSRI: `sha256-${hexToBase64(p.sha256)}`,
    })),
  };
}

function hexToBase64(hex: string): string {
  const bytes = hex.match(/../g) ?? [];
  return btoa(String.fromCharCode(...bytes.map((b) => parseInt(b, 16))));
}
