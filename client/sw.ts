// The service worker (/sw.js, registered by main.ts in production builds): keeps the app shell
// (index.html, its hashed scripts and styles, the icons) on the device, so a repeat open starts
// from the cache and an offline reload still gets the page instead of the browser's error page.
// It holds no account data: /api, /socket.io and /collab are never answered from here, so one
// person's data cannot reach the next person on a shared phone (the page keeps its own last-known
// data per account and clears it on sign-out). No imports: this file is its own classic script.

/** Replaced at build time by scripts/vitePlugins.ts (serviceWorkerPrecache) with the build's shell. */
const PRECACHE = '__LD_PRECACHE__' as unknown as { version: string; urls: string[] };

const PREFIX = 'livedesk-shell-';
const SHELL = `${PREFIX}${PRECACHE.version}`;
/** Paths the network always answers: data and live connections. */
const NETWORK_ONLY = /^\/(api|socket\.io|collab|healthz|readyz)(\/|$)/;

interface ExtendableEventLike extends Event {
  waitUntil(p: Promise<unknown>): void;
}
interface FetchEventLike extends ExtendableEventLike {
  request: Request;
  respondWith(r: Response | Promise<Response>): void;
}
interface ServiceWorkerScope {
  addEventListener(type: 'install' | 'activate', fn: (e: ExtendableEventLike) => void): void;
  addEventListener(type: 'fetch', fn: (e: FetchEventLike) => void): void;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  location: Location;
}
const sw = self as unknown as ServiceWorkerScope;

sw.addEventListener('install', (e) => {
  // The page as the server has it now (`no-cache`: never an older copy from the HTTP cache); the
  // hashed files from the HTTP cache when the page already loaded them (no second download).
  e.waitUntil(caches.open(SHELL)
    .then((cache) => cache.addAll([new Request('/', { cache: 'no-cache' }), ...PRECACHE.urls.map((url) => new Request(url, url.startsWith('/assets/') ? {} : { cache: 'no-cache' }))]))
    .then(() => sw.skipWaiting()));
});

sw.addEventListener('activate', (e) => {
  e.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== SHELL).map((k) => caches.delete(k))))
    .then(() => sw.clients.claim()));
});

sw.addEventListener('fetch', (e) => {
  const req = e.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== sw.location.origin || NETWORK_ONLY.test(url.pathname)) return;
  if (req.mode === 'navigate') {
    // Every page is the same shell (the client routes): from the cache, instantly; the network
    // only when the shell is not cached yet. A new build installs a new worker and a new shell.
    e.respondWith(caches.open(SHELL).then(async (cache) => (await cache.match('/')) ?? fetch(req)));
    return;
  }
  e.respondWith(caches.open(SHELL).then(async (cache) => {
    const hit = await cache.match(req);
    if (hit) return hit;
    const res = await fetch(req);
    // Hashed assets never change: keep any the precache list did not name (none, normally).
    if (res.ok && url.pathname.startsWith('/assets/')) void cache.put(req, res.clone());
    return res;
  }));
});
