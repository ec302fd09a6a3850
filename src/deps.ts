import type { CertificateCodeScheme } from "./domain/certificate-code";
import type { Database, DatabaseKind } from "./db/client";
import type { CertificateSigner } from "./signing/signer";

/** Everything the app touches outside itself, injected so tests and both runtimes choose their own. */
export interface AppDeps {
  db: Database;
  dbKind: DatabaseKind;
  /** Base URL printed in QR codes and credential ids, without a trailing slash. */
  publicUrl: string;
  clock: () => Date;
  randomBytes: (n: number) => Uint8Array;
  codeScheme: CertificateCodeScheme;
  /** Absent on the edge: issuing stays on the Node origin, which holds the private keys. */
  signer?: CertificateSigner;
}
