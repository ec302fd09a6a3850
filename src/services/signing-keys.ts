import { and, asc, eq, isNull } from "drizzle-orm";
import { type Principal, requireRole } from "../auth/principal";
import { signingKeyCompromises, signingKeys } from "../db/schema";
import { pgError, UNIQUE_VIOLATION } from "../db/errors";
import type { Database } from "../db/client";
import type { AppDeps } from "../deps";
import { ApiError, problems } from "../http/problem";

export interface KeyView {
  kid: string;
  alg: string;
  createdAt: string;
  retiredAt: string | null;
  current: boolean;
  compromisedAt: string | null;
  compromiseReason: string | null;
}

export async function listSigningKeys(deps: AppDeps, principal: Principal | null): Promise<KeyView[]> {
  requireRole(principal, ["admin"]);
  const found = await deps.db
    .select({ key: signingKeys, compromise: signingKeyCompromises })
    .from(signingKeys)
    .leftJoin(signingKeyCompromises, eq(signingKeyCompromises.kid, signingKeys.kid))
    .orderBy(asc(signingKeys.createdAt));
  return found.map(({ key, compromise }) => ({
    kid: key.kid,
    alg: key.alg,
    createdAt: key.createdAt.toISOString(),
    retiredAt: key.retiredAt?.toISOString() ?? null,
    current: key.kid === deps.signer?.kid,
    compromisedAt: compromise?.compromisedAt.toISOString() ?? null,
    compromiseReason: compromise?.reason ?? null,
  }));
}

/**
 * Makes a new signing key and retires the current one: certificates issued from now on carry the new kid, and the
 * old public key stays in the JWKS (retired keys are published through the retention period), so everything it
 * signed keeps verifying. Both changes enter the transparency log (key.added, key.retired).
 * Other Node processes keep signing with the key they loaded until they restart.
 */
export async function rotateSigningKey(deps: AppDeps, principal: Principal | null): Promise<{ kid: string; retiredKid: string | null }> {
  requireRole(principal, ["admin"]);
  if (deps.createSigningKey === undefined || deps.signer === undefined) {
    throw new ApiError(503, "keys-unavailable", "Keys are managed on the origin server", "this node holds no signing keys");
  }
  const previous = deps.signer.kid;
  const next = await deps.createSigningKey();
  await deps.db
    .update(signingKeys)
    .set({ retiredAt: deps.clock() })
    .where(and(eq(signingKeys.kid, previous), isNull(signingKeys.retiredAt)));
  deps.signer = next;
  return { kid: next.kid, retiredKid: previous };
}

/**
 * Marks a key compromised from `compromisedAt`. Certificates whose issue was logged from that time on fail
 * verification with `key_compromised`; earlier ones still verify, since their leaf shows they predate it. A key
 * still in use is rotated out first, so nothing more is signed with it.
 */
export async function markKeyCompromised(
  deps: AppDeps,
  principal: Principal | null,
  kid: string,
  input: { compromisedAt: Date; reason: string },
): Promise<KeyView> {
  const p = requireRole(principal, ["admin"]);
  const [key] = await deps.db.select().from(signingKeys).where(eq(signingKeys.kid, kid));
  if (key === undefined) throw problems.notFound(`signing key ${kid}`);
  const now = deps.clock();
  if (input.compromisedAt.getTime() > now.getTime()) {
    throw problems.validation([{ path: "compromisedAt", message: "must not be in the future: mark a key when it is known to be compromised" }]);
  }
  if (deps.signer?.kid === kid) await rotateSigningKey(deps, p);
  try {
    await deps.db.insert(signingKeyCompromises).values({ kid, compromisedAt: input.compromisedAt, reason: input.reason, recordedAt: now, recordedByKey: p.keyId });
  } catch (err) {
    if (pgError(err)?.code === UNIQUE_VIOLATION) throw problems.conflict("key-already-compromised", `key ${kid} is already marked compromised`);
    throw err;
  }
  compromiseCache.delete(deps.db);
  const views = await listSigningKeys(deps, p);
  return views.find((v) => v.kid === kid)!;
}

type Compromises = Map<string, { compromisedAt: Date; reason: string }>;

/**
 * The few compromised keys, read at most every few seconds per database: every scan asks, and the answer is almost
 * always "none". Marking a key here forgets the copy at once; other processes see it within COMPROMISES_MS.
 */
const compromiseCache = new WeakMap<Database, { compromises: Promise<Compromises>; readAt: number }>();
const COMPROMISES_MS = 5_000;

/** When the key was compromised, if it was. */
export async function compromiseOf(db: Database, kid: string): Promise<{ compromisedAt: Date; reason: string } | null> {
  let cached = compromiseCache.get(db);
  if (cached === undefined || performance.now() - cached.readAt > COMPROMISES_MS) {
    const compromises = db
      .select()
      .from(signingKeyCompromises)
      .then((rows): Compromises => new Map(rows.map((r) => [r.kid, { compromisedAt: r.compromisedAt, reason: r.reason }])));
    cached = { compromises, readAt: performance.now() };
    compromiseCache.set(db, cached);
    compromises.catch(() => compromiseCache.delete(db));
  }
  return (await cached.compromises).get(kid) ?? null;
}
