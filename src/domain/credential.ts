import type { CertificateContent } from "./certificate";

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
export function buildCredential(content: CertificateContent, publicUrl: string): Record<string, unknown> {
  return {
    "@context": [VC_CONTEXT],
    id: certificateUrl(publicUrl, content.code),
    type: ["VerifiableCredential", CREDENTIAL_TYPE],
    name: content.title,
    issuer: { id: `${publicUrl}/v1/parties/${content.issuer.partyId}`, name: content.issuer.name },
    validFrom: content.issuedAt,
    credentialSubject: { id: `${publicUrl}/v1/lots/${content.lot.id}`, ...content },
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
