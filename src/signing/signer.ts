import { SignJWT, type CryptoKey, type JWK } from "jose";

export const CREDENTIAL_TYP = "vc+jwt";

export interface CertificateSigner {
  kid: string;
  alg: "EdDSA";
  sign(credential: Record<string, unknown>, issuedAt: Date): Promise<string>;
}

export function signerFromKey(kid: string, privateKey: CryptoKey): CertificateSigner {
  return {
    kid,
    alg: "EdDSA",
    sign: (credential, issuedAt) =>
      new SignJWT(credential)
        .setProtectedHeader({ alg: "EdDSA", typ: CREDENTIAL_TYP, cty: "vc", kid })
        .setIssuedAt(Math.floor(issuedAt.getTime() / 1000))
        .sign(privateKey),
  };
}

export type PublicJwk = JWK & { kid: string };
