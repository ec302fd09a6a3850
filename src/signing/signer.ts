import { KeyObject, sign as signBytes } from "node:crypto";
import type { CryptoKey, JWK } from "jose";

export const CREDENTIAL_TYP = "vc+jwt";

export interface CertificateSigner {
  kid: string;
  alg: "EdDSA";
  sign(credential: Record<string, unknown>, issuedAt: Date): Promise<string>;
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/**
 * Signs compact JWS with node:crypto on the calling thread. jose's `SignJWT` goes through WebCrypto, whose
 * promise round trip costs more than the Ed25519 signature itself; issuing is hot enough for that to show. The
 * output is the same compact serialisation jose verifies (the tests check it with jose).
 */
export function signerFromKey(kid: string, privateKey: CryptoKey): CertificateSigner {
  const key = KeyObject.from(privateKey);
  const header = base64url({ alg: "EdDSA", typ: CREDENTIAL_TYP, cty: "vc", kid });
  return {
    kid,
    alg: "EdDSA",
    sign: async (credential, issuedAt) => {
      const payload = base64url({ ...credential, iat: Math.floor(issuedAt.getTime() / 1000) });
      const input = `${header}.${payload}`;
      return `${input}.${signBytes(null, Buffer.from(input), key).toString("base64url")}`;
    },
  };
}

export type PublicJwk = JWK & { kid: string };
