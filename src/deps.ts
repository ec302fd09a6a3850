import type { CertificateCodeScheme } from "./domain/certificate-code";
import type { Database, DatabaseKind } from "./db/client";
import type { Context } from "hono";
import type { ResponseCache } from "./http/cache";
import type { AppEnv } from "./http/context";
import type { RateLimiter } from "./http/rate-limit";
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
  /** Public reads (scan, resolver, well-known) are served from here when set; absent means cache off (ETags still work). */
  responseCache?: ResponseCache;
  /** Limits the public routes per client when set. */
  rateLimiter?: RateLimiter;
  /** The client's network address, as the runtime knows it (socket on Node, cf-connecting-ip on Workers). */
  clientAddress?: (c: Context<AppEnv>) => string | undefined;
  /** Called once a certificate's status has changed (revoked, recalled, failed test), after the change is stored. */
  onCertificateChanged?: (code: string) => Promise<void> | void;
}
