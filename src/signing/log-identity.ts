import { asc } from "drizzle-orm";
import type { Database } from "../db/client";
import { logKeys } from "../db/schema";
import { ed25519VerifierKey, type NoteVerifierKey } from "../domain/merkle";

/** The log's public identity, which every runtime can read (the edge holds no private key). */
export interface LogIdentity {
  origin: string;
  verifierKey: NoteVerifierKey;
}

/** `<PUBLIC_URL host>/lotproof`: the origin line of the checkpoints and the name of the key that signs them. */
export function logOrigin(publicUrl: string): string {
  return `${new URL(publicUrl).host}/lotproof`;
}

const identities = new WeakMap<Database, LogIdentity>();

/** The log's origin and public key as stored; null before the Node origin first started the log. */
export async function logIdentity(db: Database, signer?: LogIdentity): Promise<LogIdentity | null> {
  if (signer !== undefined) return signer;
  const known = identities.get(db);
  if (known !== undefined) return known;
  const [row] = await db.select().from(logKeys).orderBy(asc(logKeys.createdAt)).limit(1);
  if (row === undefined) return null;
  const identity = { origin: row.keyName, verifierKey: ed25519VerifierKey(row.keyName, row.publicKey) };
  identities.set(db, identity);
  return identity;
}
