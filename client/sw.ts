// The service worker (/sw.js, registered by main.ts in production builds): keeps the app shell
// (index.html, its hashed scripts and styles, the icons) on the device, so a repeat open starts
// from the cache and an offline reload still gets the page instead of the browser's error page.
// The filing page (/file) registers the same script as `/sw.js?shell=file` for scope /file: that
// worker keeps the filing page's shell only, so a correspondent's phone never downloads the desk.
// It holds no account data: /api, /socket.io and /collab are never answered from here, so one
// person's data cannot reach the next person on a shared phone (the page keeps its own last-known
// data per account and clears it on sign-out). No imports: this file is its own classic script.

/** Replaced at build time by scripts/vitePlugins.ts (serviceWorkerPrecache) with the build's shells. */
const PRECACHE = '__LD_PRECACHE__' as unknown as { version: string; shells: { desk: string[]; file: string[] } };

interface ServiceWorkerScopeLocation { location: Location }
const SHELL_NAME: 'desk' | 'file' = new URL((self as unknown as ServiceWorkerScopeLocation).location.href).searchParams.get('shell') === 'file' ? 'file' : 'desk';
/** The page each shell serves for a navigation (the client routes from there). */
const PAGE = { desk: '/', file: '/file' } as const;
/** /file and anything under it is the filing page; every other path the desk. */
const pageFor = (pathname: string): string => (/^\/file(\/|$)/.test(pathname) ? PAGE.file : PAGE.desk);

const PREFIX = SHELL_NAME === 'file' ? 'livedesk-file-shell-' : 'livedesk-shell-';
const SHELL = `${PREFIX}${PRECACHE.version}`;
/** Paths the network always answers: data, live connections and the public live page (/live/…, server-rendered, never the desk shell). */
const NETWORK_ONLY = /^\/(api|socket\.io|collab|healthz|readyz|live)(\/|$)/;

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
  const urls = PRECACHE.shells[SHELL_NAME];
  e.waitUntil(caches.open(SHELL)
    .then((cache) => cache.addAll([new Request(PAGE[SHELL_NAME], { cache: 'no-cache' }), ...urls.map((url) => new Request(url, url.startsWith('/assets/') ? {} : { cache: 'no-cache' }))]))
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
    // Every desk path is the same shell (the client routes), and /file the filing page's: from
    // this worker's cache, or the other shell's if that one is on the device, instantly; the
    // network only when it is not cached yet. A new build installs a new worker and a new shell.
    const page = pageFor(url.pathname);
    e.respondWith(caches.open(SHELL).then(async (cache) => (await cache.match(page)) ?? (await caches.match(page)) ?? fetch(req)));
    return;
  }
  e.respondWith(caches.open(SHELL).then(async (cache) => {
    const hit = (await cache.match(req)) ?? (await caches.match(req));
    if (hit) return hit;
    const res = await fetch(req);
    // Hashed assets never change: keep any the precache list did not name (none, normally).
    if (res.ok && url.pathname.startsWith('/assets/')) void cache.put(req, res.clone());
    return res;
  }));
});
