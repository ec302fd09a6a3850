/**
 * The gate device's own copy of what verification needs (keys, status lists, signed credentials, the log
 * checkpoint) and its queue of receipts not yet sent, in IndexedDB so both survive reloads and a dead network.
 */

export interface StoredCredential {
  code: string;
  jwt: string;
  received: number;
  why: string;
  /** Device time just before `received` was read: receipts this device sent after it are not in `received`. */
  asOf: string;
}

export interface StoredList {
  /** `${purpose}/${list}` */
  id: string;
  purpose: string;
  list: number;
  jwt: string;
}

export interface QueuedReceipt {
  /** The Idempotency-Key it is sent with, every time. */
  key: string;
  code: string | undefined;
  body: Record<string, unknown>;
  createdAt: string;
  state: "pending" | "sent" | "refused";
  /** Device time the platform took it: from then on the platform's own counts include it. */
  sentAt?: string;
  receiptId?: string;
  status?: number;
  detail?: string;
}

export interface Meta {
  jwks: { keys: JsonWebKey[] } | null;
  checkpoint: string | null;
  updatedAt: string | null;
}

const DB_NAME = "lotproof-gate";
const STORES = ["meta", "credentials", "lists", "queue"] as const;
type StoreName = (typeof STORES)[number];

let opened: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  opened ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => {
      const db = req.result;
      db.createObjectStore("meta");
      db.createObjectStore("credentials", { keyPath: "code" });
      db.createObjectStore("lists", { keyPath: "id" });
      db.createObjectStore("queue", { keyPath: "key" });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return opened;
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function store(name: StoreName, mode: IDBTransactionMode): Promise<{ tx: IDBTransaction; os: IDBObjectStore }> {
  const tx = (await open()).transaction(name, mode);
  return { tx, os: tx.objectStore(name) };
}

export async function readMeta(): Promise<Meta> {
  const { os } = await store("meta", "readonly");
  const value = (await request(os.get("meta"))) as Meta | undefined;
  return value ?? { jwks: null, checkpoint: null, updatedAt: null };
}

/**
 * Replaces the verification data in one transaction, so a reader never sees keys from one fetch and lists from
 * another. Tokens the device kept from its own online checks stay unless the bundle brings them anew.
 */
export async function replaceData(meta: Meta, credentials: StoredCredential[], lists: StoredList[]): Promise<void> {
  const tx = (await open()).transaction(["meta", "credentials", "lists"], "readwrite");
  tx.objectStore("meta").put(meta, "meta");
  const creds = tx.objectStore("credentials");
  const kept = ((await request(creds.getAll())) as StoredCredential[]).filter((c) => c.why === "checked");
  creds.clear();
  const fresh = new Set(credentials.map((c) => c.code));
  for (const c of kept) if (!fresh.has(c.code)) creds.put(c);
  for (const c of credentials) creds.put(c);
  const ls = tx.objectStore("lists");
  ls.clear();
  for (const l of lists) ls.put(l);
  await done(tx);
}

export async function credentialByCode(code: string): Promise<StoredCredential | undefined> {
  const { os } = await store("credentials", "readonly");
  return (await request(os.get(code))) as StoredCredential | undefined;
}

export async function putCredential(credential: StoredCredential): Promise<void> {
  const { tx, os } = await store("credentials", "readwrite");
  os.put(credential);
  await done(tx);
}

export async function countCredentials(): Promise<number> {
  const { os } = await store("credentials", "readonly");
  return request(os.count());
}

export async function listById(id: string): Promise<StoredList | undefined> {
  const { os } = await store("lists", "readonly");
  return (await request(os.get(id))) as StoredList | undefined;
}

export async function putQueued(item: QueuedReceipt): Promise<void> {
  const { tx, os } = await store("queue", "readwrite");
  os.put(item);
  await done(tx);
}

/** Oldest first, so receipts reach the ledger in the order they were taken. */
export async function allQueued(): Promise<QueuedReceipt[]> {
  const { os } = await store("queue", "readonly");
  const items = (await request(os.getAll())) as QueuedReceipt[];
  return items.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.key.localeCompare(b.key));
}
