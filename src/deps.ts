import type { CertificateCodeScheme } from "./domain/certificate-code";
import type { Database, DatabaseKind } from "./db/client";
import type { Context } from "hono";
import type { ResponseCache } from "./http/cache";
import type { AppEnv } from "./http/context";
import type { RateLimiter } from "./http/rate-limit";
import type { CertificateSigner } from "./signing/signer";
import type { LogSigner } from "./signing/log-key";
import type { ScanPlace } from "./domain/scans";
import type { ScanInput } from "./services/scans";

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
  /** Signs the transparency log's checkpoints; absent on the edge, which serves the checkpoints already signed. */
  logSigner?: LogSigner;
  /** Makes a new certificate signing key (private half in the vault) for rotation; absent where no key may be made (the edge). */
  createSigningKey?: () => Promise<CertificateSigner>;
  /** Public reads (scan, resolver, well-known) are served from here when set; absent means cache off (ETags still work). */
  responseCache?: ResponseCache;
  /**
   * Compresses a public read's body (undefined when not worth it), sent to clients that accept gzip. The Node origin
   * compresses itself; on Workers Cloudflare's edge compresses, and a Worker's own compressed body would be
   * compressed again.
   */
  gzip?: (body: Uint8Array<ArrayBuffer>, contentType: string | undefined) => Uint8Array<ArrayBuffer> | undefined;
  /** Limits the public routes per client when set. */
  rateLimiter?: RateLimiter;
  /** The client's network address, as the runtime knows it (socket on Node, cf-connecting-ip on Workers). */
  clientAddress?: (c: Context<AppEnv>) => string | undefined;
  /** Coarse place of the client for scan records: request.cf on Workers, a trusted proxy header on Node. */
  scanPlace?: (c: Context<AppEnv>) => ScanPlace;
  /** Stores a scan; defaults to one INSERT per scan. The Node origin queues scans and stores them together. */
  recordScan?: (scan: ScanInput) => Promise<void>;
  /** Lets work finish after the answer is sent (ctx.waitUntil on Workers); absent means such work is awaited inline. */
  waitUntil?: (work: Promise<unknown>) => void;
  /** Called once a certificate's status has changed (revoked, recalled, failed test), after the change is stored. */
  onCertificateChanged?: (code: string) => Promise<void> | void;
}
