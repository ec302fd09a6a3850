import { z } from "zod";
import { ConfigError } from "../config";
import { DEFAULT_RATE_LIMIT, type RateLimitSettings } from "./rate-limit";

/**
 * Settings both runtimes read the same way, from process.env on Node and from wrangler vars on the Worker:
 * RATE_LIMIT_PER_MINUTE and RATE_LIMIT_BURST (0 turns limiting off, e.g. for load tests from one address) and
 * RESPONSE_CACHE=0 to serve every public read from the database.
 */
const Schema = z.object({
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(DEFAULT_RATE_LIMIT.perMinute),
  RATE_LIMIT_BURST: z.coerce.number().int().min(0).default(DEFAULT_RATE_LIMIT.burst),
  RESPONSE_CACHE: z.enum(["1", "0", "true", "false", "on", "off"]).default("1").transform((v) => ["1", "true", "on"].includes(v)),
});

export interface PublicReadSettings {
  rateLimit: RateLimitSettings | null;
  responseCache: boolean;
}

export function publicReadSettings(env: Record<string, unknown>): PublicReadSettings {
  const present = Object.fromEntries(Object.entries(env).filter(([k, v]) => k in Schema.shape && v !== undefined && v !== ""));
  const parsed = Schema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(`Invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`);
  }
  const s = parsed.data;
  const off = s.RATE_LIMIT_PER_MINUTE === 0 || s.RATE_LIMIT_BURST === 0;
  return { rateLimit: off ? null : { perMinute: s.RATE_LIMIT_PER_MINUTE, burst: s.RATE_LIMIT_BURST }, responseCache: s.RESPONSE_CACHE };
}
