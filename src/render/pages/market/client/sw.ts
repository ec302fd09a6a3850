/**
 * The gate page's service worker (public/market-sw.js): keeps the page, its script and style so the gate opens
 * with no network. Network first, so a device online always runs the latest page; the copy is the fallback. The
 * data (keys, status lists, credentials, queued receipts) lives in IndexedDB, managed by the page itself.
 */

interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  request: Request;
  respondWith(response: Promise<Response>): void;
}
interface WorkerScope {
  addEventListener(type: "install" | "activate", listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: "fetch", listener: (event: FetchEvent) => void): void;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  location: Location;
}

const scope = self as unknown as WorkerScope;
const CACHE = "lotproof-gate-v1";
const SHELL = ["/market", "/market.js", "/market.css", "/market.jsqr.js"];

/** Only the signed-in console is worth keeping; a sign-in form would lock the clerk out offline. */
async function keepable(path: string, res: Response): Promise<boolean> {
  if (!res.ok || res.type !== "basic") return false;
  if (path !== "/market") return true;
  return (await res.clone().text()).includes('id="check-form"');
}

async function fromNetwork(path: string, request: Request): Promise<Response> {
  const res = await fetch(request);
  if (await keepable(path, res)) {
    const cache = await caches.open(CACHE);
    await cache.put(path, res.clone());
  }
  return res;
}

scope.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      await Promise.all(SHELL.map((path) => fromNetwork(path, new Request(path, { credentials: "same-origin" })).catch(() => undefined)));
      await scope.skipWaiting();
    })(),
  );
});

scope.addEventListener("activate", (event) => {
  event.waitUntil(scope.clients.claim());
});

scope.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== scope.location.origin || !SHELL.includes(url.pathname)) return;
  event.respondWith(
    fromNetwork(url.pathname, event.request).catch(async () => {
      const cached = await caches.match(url.pathname);
      return cached ?? new Response("offline", { status: 503, headers: { "content-type": "text/plain; charset=utf-8" } });
    }),
  );
});
