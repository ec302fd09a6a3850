/**
 * Keeping the gate device ready for a dead network: registering the service worker that serves the page offline,
 * refreshing the stored keys, status lists and credentials while online, and sending queued receipts (each with its
 * own Idempotency-Key, so a resend after a lost answer never records a receipt twice).
 */
import { verifyJws } from "./offline-verify";
import { allQueued, countCredentials, putCredential, putQueued, type QueuedReceipt, readMeta, replaceData, type StoredList } from "./offline-store";

/** Status lines under the header: what the device holds, and what waits to be sent. Made here, so the page stays static. */
function statusLines(): { data: HTMLElement; queue: HTMLElement } {
  let data = document.getElementById("offline-status");
  let queue = document.getElementById("queue-status");
  if (data === null || queue === null) {
    const box = document.createElement("div");
    box.className = "offline";
    data = Object.assign(document.createElement("p"), { id: "offline-status" });
    queue = Object.assign(document.createElement("p"), { id: "queue-status" });
    data.setAttribute("aria-live", "polite");
    queue.setAttribute("aria-live", "polite");
    box.append(data, queue);
    document.querySelector("main")?.prepend(box);
  }
  return { data, queue };
}

const time = (iso: string | null) => (iso === null ? "—" : new Date(iso).toLocaleString("zh-CN", { hour12: false }));

async function showData(): Promise<void> {
  const meta = await readMeta();
  const { data } = statusLines();
  const count = await countCredentials();
  data.dataset["state"] = meta.updatedAt === null ? "empty" : "ready";
  data.dataset["count"] = String(count);
  data.textContent =
    meta.updatedAt === null
      ? "离线数据：尚未下载（联网后自动下载）"
      : `离线数据：${count} 张合格证，更新于 ${time(meta.updatedAt)}${meta.checkpoint === null ? "" : "，含透明日志检查点"}`;
}

async function showQueue(): Promise<void> {
  const items = await allQueued();
  const pending = items.filter((i) => i.state === "pending").length;
  const refused = items.filter((i) => i.state === "refused").length;
  const { queue } = statusLines();
  queue.dataset["pending"] = String(pending);
  queue.dataset["sent"] = String(items.filter((i) => i.state === "sent").length);
  queue.textContent = pending === 0 && refused === 0 ? "" : `待上传 ${pending} 条${refused > 0 ? `，${refused} 条被平台拒收` : ""}`;
}

/** Fetches the bundle, the JWKS and (when the log answers) its checkpoint; keeps only lists whose signature checks. */
export async function refreshData(): Promise<void> {
  const asOf = new Date().toISOString();
  const [bundleRes, jwksRes] = await Promise.all([fetch("/v1/market/offline-bundle", { credentials: "same-origin" }), fetch("/.well-known/jwks.json")]);
  if (!bundleRes.ok || !jwksRes.ok) return;
  const bundle = (await bundleRes.json()) as { generatedAt: string; statusLists: { purpose: string; list: number; jwt: string }[]; credentials: { code: string; jwt: string; received: number; why: string }[] };
  const jwks = (await jwksRes.json()) as { keys: JsonWebKey[] };
  let checkpoint: string | null = null;
  try {
    const res = await fetch("/v1/log/checkpoint");
    if (res.ok) checkpoint = await res.text();
  } catch {
    // The log is optional here: verification offline rests on signatures and status lists.
  }
  const lists: StoredList[] = [];
  for (const l of bundle.statusLists) {
    if ((await verifyJws(l.jwt, jwks)).ok) lists.push({ id: `${l.purpose}/${l.list}`, purpose: l.purpose, list: l.list, jwt: l.jwt });
  }
  await replaceData(
    { jwks, checkpoint, updatedAt: bundle.generatedAt },
    bundle.credentials.map((c) => ({ ...c, asOf })),
    lists,
  );
  await showData();
  statusLines().data.dataset["refreshedAt"] = asOf;
}

/**
 * Keeps the token of a certificate just checked online, so the next truck on the same certificate can be checked
 * even if the network drops in between. Best effort: the bundle remains the main source.
 */
export async function rememberCredential(code: string, received: number): Promise<void> {
  try {
    const asOf = new Date().toISOString();
    const res = await fetch(`/c/${encodeURIComponent(code)}/credential.jwt`);
    if (res.ok) {
      await putCredential({ code, jwt: await res.text(), received, why: "checked", asOf });
      await showData();
    }
  } catch {
    // Offline again already: nothing to keep.
  }
}

// ── Receipts ──────────────────────────────────────────────────────────────────────────────────────────────────

export type SendOutcome = { state: "sent" | "refused"; status: number; json: Record<string, unknown> } | { state: "queued" };

let flushing: Promise<void> | null = null;
const outcomes = new Map<string, SendOutcome>();

async function sendOne(item: QueuedReceipt): Promise<boolean> {
  let res: Response;
  try {
    res = await fetch("/v1/market/receipts", {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": item.key },
      credentials: "same-origin",
      body: JSON.stringify(item.body),
    });
  } catch {
    return false; // still offline: keep it, in order
  }
  // Signed out: keep it until the clerk signs in again.
  if (res.status === 401 || res.status === 403) return false;
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  const ok = res.status === 200 || res.status === 201;
  const detail = typeof json["detail"] === "string" ? json["detail"] : undefined;
  await putQueued({
    ...item,
    state: ok ? "sent" : "refused",
    status: res.status,
    ...(ok ? { sentAt: new Date().toISOString() } : {}),
    ...(ok ? { receiptId: String(json["id"]) } : {}),
    ...(detail === undefined ? {} : { detail }),
  });
  outcomes.set(item.key, { state: ok ? "sent" : "refused", status: res.status, json });
  return true;
}

/** Sends what is pending, oldest first, one flush at a time; stops at the first network failure. */
export function flushQueue(): Promise<void> {
  flushing ??= (async () => {
    try {
      for (const item of await allQueued()) {
        if (item.state !== "pending") continue;
        if (!(await sendOne(item))) break;
      }
    } finally {
      flushing = null;
      await showQueue();
    }
  })();
  return flushing;
}

/** Queues the receipt on the device first, then tries to send it: nothing the clerk recorded is lost to the network. */
export async function submitReceipt(body: Record<string, unknown>): Promise<SendOutcome> {
  const key = crypto.randomUUID();
  await putQueued({ key, code: typeof body["code"] === "string" ? body["code"] : undefined, body, createdAt: new Date().toISOString(), state: "pending" });
  // A flush already running may have read the queue before this item: wait for it, then flush again.
  await flushing;
  await flushQueue();
  return outcomes.get(key) ?? { state: "queued" };
}

/**
 * Quantity (accepted or held) this device recorded against a code that the stored count cannot include: still
 * queued, or sent after the count was read. Both times are the device's own clock, so clock skew cannot miscount.
 */
export async function localReceived(code: string, since: string): Promise<number> {
  const items = await allQueued();
  return items
    .filter((i) => i.code === code && (i.state === "pending" || (i.state === "sent" && i.sentAt !== undefined && i.sentAt > since)))
    .filter((i) => i.body["decision"] === "accept" || i.body["decision"] === "hold")
    .reduce((sum, i) => sum + Number(i.body["quantity"] ?? 0), 0);
}

export function startOffline(): void {
  statusLines();
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker
      .register("/market-sw.js", { scope: "/market" })
      .then(() => navigator.serviceWorker.ready)
      .then(() => {
        document.body.dataset["offlineShell"] = "ready";
      })
      .catch(() => {
        document.body.dataset["offlineShell"] = "unavailable";
      });
  }
  window.addEventListener("online", () => {
    void flushQueue().then(() => refreshData().catch(() => showData()));
  });
  void showData().then(showQueue);
  if (navigator.onLine) {
    void flushQueue()
      .then(() => refreshData())
      .catch(() => showData());
  }
}
