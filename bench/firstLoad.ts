// npm run bench:first-load: the first load on a phone over emulated slow 3G, in real Chromium.
// Starts the real server (temp embedded store, demo seed) on 127.0.0.1 port 0, drives Debian
// Chromium with CDP Network.emulateNetworkConditions (400 ms latency, 51,200 bytes/s down and up)
// and prints, per page, the time to its first useful paint and the bytes it pulled, then the gzip
// and brotli size of every entry chunk of the build and of the whole initial JS. Targets (issue 9):
// sign-in interactive ≤ 2.5 s, the desk's first cards ≤ 5 s.
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { loadConfig } from '../server/config.js';
import { createLogger } from '../server/logger.js';
import { createServer } from '../server/createServer.js';
import { openEmbeddedStore } from '../server/store/embedded/openEmbeddedStore.js';
import { seedDemo, type DemoLogin } from '../server/seed/seedDemo.js';
import { ensureClientBuilt } from '../scripts/buildIfNeeded.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SLOW_3G = { offline: false, latency: 400, downloadThroughput: 51_200, uploadThroughput: 51_200 } as const;
const TARGET_MS = { signin: 2500, firstCards: 5000 } as const;

const HELP = `npm run bench:first-load [-- options]
  --runs N          cold loads per page, the median is printed (default 3)
  --client-dir DIR  serve this built client instead of dist/ (no build)
  --no-build        do not build dist/ when its sources changed
  --pages LIST      which pages, of signin,files,file (default all)
  --fast            no throttling (a sanity check of the script itself)`;

interface Options { runs: number; clientDir?: string; build: boolean; throttle: boolean; pages: string[] }

function parseArgs(argv: string[]): Options {
  const o: Options = { runs: 3, build: true, throttle: true, pages: ['signin', 'files', 'file'] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--runs') o.runs = Math.max(1, Number(argv[++i]));
    else if (a === '--client-dir') o.clientDir = resolve(argv[++i]!);
    else if (a === '--no-build') o.build = false;
    else if (a === '--fast') o.throttle = false;
    else if (a === '--pages') o.pages = argv[++i]!.split(',');
    else if (a === '--help' || a === '-h') { console.log(HELP); process.exit(0); }
    else throw new Error(`unknown option ${a}\n${HELP}`);
  }
  return o;
}

export interface LoadFigure {
  /** ms from navigation start to the page's first useful paint (see `ready`). */
  ms: number;
  /** Bytes over the wire (headers and bodies, as CDP counts encodedDataLength). */
  bytes: number;
  jsBytes: number;
  /** Script URLs the page fetched over the network, in order. */
  scripts: string[];
}

/** In-page: the element behind `testid` in any open shadow root, once rendered. A string, not a function: bench/ has no DOM types. */
/**
 * In-page: performance.now() once the first `testid` element (shadow roots included) is visible,
 * else 0. A function, not a string: the desk's CSP refuses eval, which a string predicate needs.
 */
function readyAt(testid: string): number {
  type Root = { querySelector(s: string): { checkVisibility(): boolean } | null; querySelectorAll(s: string): ArrayLike<{ shadowRoot: Root | null }> };
  const g = globalThis as unknown as { document: Root; performance: { now(): number } };
  const find = (root: Root): { checkVisibility(): boolean } | null => {
    const hit = root.querySelector(`[data-testid="${testid}"]`);
    if (hit) return hit;
    for (const el of Array.from(root.querySelectorAll('*'))) {
      const f = el.shadowRoot ? find(el.shadowRoot) : null;
      if (f) return f;
    }
    return null;
  };
  const el = find(g.document);
  return el && el.checkVisibility() ? g.performance.now() : 0;
}

/** Opens `path` in `page` (throttled when asked) and times it to the first `testid` element. */
export async function timeLoad(page: Page, url: string, testid: string, throttle: boolean): Promise<LoadFigure> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  if (throttle) await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
  const types = new Map<string, { url: string; type: string }>();
  let bytes = 0;
  let jsBytes = 0;
  const scripts: string[] = [];
  cdp.on('Network.responseReceived', (e) => types.set(e.requestId, { url: e.response.url, type: e.type }));
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
    const t = types.get(e.requestId);
    if (t?.type === 'Script' && e.encodedDataLength > 0) {
      jsBytes += e.encodedDataLength;
      scripts.push(new URL(t.url).pathname);
    }
  });
  await page.goto(url, { waitUntil: 'commit', timeout: 120_000 });
  const handle = await page.waitForFunction(readyAt, testid, { polling: 'raf', timeout: 120_000 });
  const ms = Number(await handle.jsonValue());
  await page.waitForLoadState('load').catch(() => {});
  await cdp.detach().catch(() => {});
  return { ms, bytes, jsBytes, scripts };
}

/** In-page: waits (up to 15 s) for the page to register a service worker, then for it to be active. */
const SW_READY = `(async () => {
  if (!navigator.serviceWorker) return false;
  for (let i = 0; i < 150; i++) {
    const reg = await navigator.serviceWorker.getRegistration();
    if (reg && reg.active) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
})()`;

export const PHONE_CONTEXT = {
  viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'en-GB', timezoneId: 'Asia/Almaty',
} as const;

async function signedInContext(browser: Browser, url: string, login: DemoLogin): Promise<BrowserContext> {
  const res = await fetch(`${url}/api/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: login.username, password: login.password }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${login.username}: ${res.status}`);
  const [name, ...rest] = (res.headers.get('set-cookie') ?? '').split(';')[0]!.split('=');
  const context = await browser.newContext(PHONE_CONTEXT);
  await context.addCookies([{ name: name!, value: rest.join('='), url, httpOnly: true, sameSite: 'Lax' }]);
  return context;
}

/** Every JS chunk of the build: raw, gzip -9 and brotli q11 sizes; which are loaded by index.html. */
export function chunkSizes(clientDir: string) {
  const html = readFileSync(join(clientDir, 'index.html'), 'utf8');
  const initial = new Set([...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]!));
  const manifestPath = join(clientDir, '.vite', 'manifest.json');
  const manifest = existsSync(manifestPath) ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, { file: string; src?: string; isEntry?: boolean; isDynamicEntry?: boolean; name?: string }>) : {};
  const role = new Map<string, string>();
  for (const [key, m] of Object.entries(manifest)) {
    if (m.isEntry) role.set(m.file, `entry (${key})`);
    else if (m.isDynamicEntry) role.set(m.file, `lazy entry (${m.src ?? key})`);
  }
  const files = readdirSync(join(clientDir, 'assets')).filter((f) => f.endsWith('.js')).map((f) => `assets/${f}`);
  const rows = files.map((file) => {
    const buf = readFileSync(join(clientDir, file));
    return {
      file,
      role: role.get(file) ?? (initial.has(file) ? 'initial (preloaded)' : 'shared chunk'),
      initial: initial.has(file),
      raw: buf.length,
      gzip: gzipSync(buf, { level: 9 }).length,
      br: brotliCompressSync(buf, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  });
  rows.sort((a, b) => Number(b.initial) - Number(a.initial) || b.gzip - a.gzip);
  return rows;
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const pad = (s: string, n: number) => s.padEnd(n);

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  console.log(`$ npm run bench:first-load${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`);
  const clientDir = opts.clientDir ?? join(ROOT, 'dist');
  if (!opts.clientDir && opts.build) await ensureClientBuilt({ log: (m) => console.log(m) });
  const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath} (install the Debian package chromium, or set CHROMIUM_PATH)`);

  const dataDir = await mkdtemp(join(tmpdir(), 'livedesk-first-load-'));
  const config = loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: dataDir, MAX_CONNECTIONS_PER_ADDRESS: '0' });
  const store = await openEmbeddedStore({ dir: dataDir });
  const server = createServer({ config, logger: createLogger('silent'), store, clientDir });
  const logins = (await seedDemo({ store, accounts: server.services.accounts, collab: server.collab, workflow: server.services.workflow })) ?? [];
  const url = await server.listen(0, '127.0.0.1');
  const browser = await chromium.launch({
    executablePath: chromiumPath, timeout: 60_000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const editor = logins.find((l) => l.username === 'editor')!;
    const files = await (await fetch(`${url}/api/live-files`, { headers: { cookie: await cookieOf(url, editor) } })).json() as { liveFiles: { id: string; title: string }[] };
    const demo = files.liveFiles.find((f) => f.title.startsWith('Almaty floods')) ?? files.liveFiles[0]!;

    const cases = [
      { id: 'signin', name: 'sign-in (signed out), form interactive', path: '/', testid: 'signin-username', signedIn: false, target: TARGET_MS.signin },
      { id: 'files', name: 'desk: live files list, first item', path: '/', testid: 'live-file-item', signedIn: true, target: TARGET_MS.firstCards },
      { id: 'file', name: 'desk: a live file, first entry card', path: `/#/files/${demo.id}`, testid: 'entry-preview', signedIn: true, target: TARGET_MS.firstCards },
    ].filter((c) => opts.pages.includes(c.id));
    console.log(`\nChromium ${browser.version()}, phone 390×844, ${opts.throttle ? `slow 3G (latency ${SLOW_3G.latency} ms, ${SLOW_3G.downloadThroughput} B/s down, ${SLOW_3G.uploadThroughput} B/s up)` : 'NOT throttled (--fast)'}; ${opts.runs} cold run(s) each, median\n`);
    console.log(`${pad('page', 42)} ${pad('cold', 9)} ${pad('target', 8)} ${pad('bytes', 10)} ${pad('JS', 10)} ${pad('repeat open', 12)} scripts (cold)`);
    let failed = false;
    for (const c of cases) {
      const cold: LoadFigure[] = [];
      const warm: LoadFigure[] = [];
      for (let i = 0; i < opts.runs; i++) {
        const context = c.signedIn ? await signedInContext(browser, url, editor) : await browser.newContext(PHONE_CONTEXT);
        try {
          const page = await context.newPage();
          cold.push(await timeLoad(page, `${url}${c.path}`, c.testid, opts.throttle));
          // Let a service worker (if any) install and take the page, then open it again.
          await page.evaluate(SW_READY).catch(() => false);
          await page.waitForTimeout(500);
          const again = await context.newPage();
          await page.close();
          warm.push(await timeLoad(again, `${url}${c.path}`, c.testid, opts.throttle));
        } finally {
          await context.close();
        }
      }
      const ms = median(cold.map((f) => f.ms));
      const pick = cold.find((f) => f.ms === ms)!;
      failed ||= ms > c.target;
      console.log(`${pad(c.name, 42)} ${pad(`${(ms / 1000).toFixed(2)} s`, 9)} ${pad(`${(c.target / 1000).toFixed(1)} s`, 8)} ${pad(kb(pick.bytes), 10)} ${pad(kb(pick.jsBytes), 10)} ${pad(`${(median(warm.map((f) => f.ms)) / 1000).toFixed(2)} s`, 12)} ${pick.scripts.join(' ')}`);
    }

    const rows = chunkSizes(clientDir);
    console.log(`\nJS chunks of ${clientDir === join(ROOT, 'dist') ? 'dist/' : clientDir} (gzip -9 and brotli q11, as served when prebuilt):\n`);
    console.log(`${pad('chunk', 40)} ${pad('role', 48)} ${pad('raw', 10)} ${pad('gzip', 10)} br`);
    for (const r of rows) console.log(`${pad(r.file, 40)} ${pad(r.role, 48)} ${pad(kb(r.raw), 10)} ${pad(kb(r.gzip), 10)} ${kb(r.br)}`);
    const init = rows.filter((r) => r.initial);
    const sum = (k: 'raw' | 'gzip' | 'br', xs = init) => xs.reduce((s, r) => s + r[k], 0);
    console.log(`${pad('initial JS (index.html: script + modulepreload)', 89)} ${pad(kb(sum('raw')), 10)} ${pad(kb(sum('gzip')), 10)} ${kb(sum('br'))}`);
    console.log(`${pad('all JS', 89)} ${pad(kb(sum('raw', rows)), 10)} ${pad(kb(sum('gzip', rows)), 10)} ${kb(sum('br', rows))}`);
    if (failed && opts.throttle) {
      console.log('\nA target was missed.');
      process.exitCode = 1;
    }
  } finally {
    await browser.close().catch(() => {});
    await server.close().catch(() => {});
    await store.close().catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function cookieOf(url: string, login: DemoLogin): Promise<string> {
  const res = await fetch(`${url}/api/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: login.username, password: login.password }),
  });
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
