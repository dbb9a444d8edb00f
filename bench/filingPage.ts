// The phone half of npm run bench:filing: /file opened cold by a signed-in correspondent on an
// emulated phone over slow 3G in Chromium (CDP: 400 ms latency, 50 KB/s), timed to its compose
// form (the place field) and weighed: the JS and CSS it pulls, gzip -9 of the built files. Then a
// repeat open (its service worker holding the shell). Peer, same run, same conditions: the desk's
// sign-in page, the lightest page the desk has. Targets (issue 11): ≤ 150 KB gzip, ≤ 3 s.
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { loadConfig } from '../server/config.js';
import { createLogger } from '../server/logger.js';
import { createServer } from '../server/createServer.js';
import { openEmbeddedStore } from '../server/store/embedded/openEmbeddedStore.js';
import { seedDemo } from '../server/seed/seedDemo.js';
import { ensureClientBuilt } from '../scripts/buildIfNeeded.js';
import { PHONE_CONTEXT, timeLoad } from './firstLoad.js';
import { fmt, median } from './collab/lib/stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
const TARGETS = { kb: 150, ms: 3000 } as const;
/** tsx (esbuild keepNames) wraps in-page functions in __name(): give the page a no-op one. */
const KEEP_NAMES = 'globalThis.__name = globalThis.__name || ((f) => f);';

export interface PageFigures {
  coldMs: number;
  repeatMs: number;
  gzipKb: number;
  files: string[];
  peer: { coldMs: number; gzipKb: number };
}

/** gzip -9 size of the built JS and CSS a page fetched (the weight the budget counts). */
function gzipKbOf(paths: string[]): number {
  let bytes = 0;
  for (const p of new Set(paths)) {
    const file = join(DIST, p.replace(/^\//, ''));
    if (existsSync(file)) bytes += gzipSync(readFileSync(file), { level: 9 }).byteLength;
  }
  return bytes / 1024;
}

export async function benchFilingPage(runs = 3): Promise<PageFigures> {
  await ensureClientBuilt({ root: ROOT });
  const dir = await mkdtemp(join(tmpdir(), 'livedesk-bench-filing-page-'));
  const config = loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: dir });
  const store = await openEmbeddedStore({ dir });
  const server = createServer({ config, logger: createLogger('silent'), store, clientDir: DIST });
  const logins = (await seedDemo({ store, accounts: server.services.accounts, collab: server.collab, workflow: server.services.workflow })) ?? [];
  const url = await server.listen(0, '127.0.0.1');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium', timeout: 60_000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const login = logins.find((l) => l.username === 'correspondent')!;
    const res = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: login.username, password: login.password }) });
    const [name, ...rest] = (res.headers.get('set-cookie') ?? '').split(';')[0]!.split('=');
    const cold: number[] = [];
    const repeat: number[] = [];
    const peerCold: number[] = [];
    let files: string[] = [];
    let peerFiles: string[] = [];
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext(PHONE_CONTEXT);
      await context.addCookies([{ name: name!, value: rest.join('='), url, httpOnly: true, sameSite: 'Lax' }]);
      await context.addInitScript({ content: KEEP_NAMES });
      const fetched: string[] = [];
      context.on('request', (r) => { if (['script', 'stylesheet'].includes(r.resourceType())) fetched.push(new URL(r.url()).pathname); });
      const page = await context.newPage();
      cold.push((await timeLoad(page, `${url}/file`, 'compose-place', true)).ms);
      files = [...new Set(fetched)];
      // The shell is the service worker's now: a repeat open, still on slow 3G.
      // A string: bench/ has no DOM types. Waits until the worker controls the page.
      await page.waitForFunction('navigator.serviceWorker && navigator.serviceWorker.controller !== null', undefined, { timeout: 15_000 }).catch(() => {});
      repeat.push((await timeLoad(page, `${url}/file`, 'compose-place', true)).ms);
      await context.close();

      const peer = await browser.newContext(PHONE_CONTEXT);
      await peer.addInitScript({ content: KEEP_NAMES });
      const peerFetched: string[] = [];
      peer.on('request', (r) => { if (['script', 'stylesheet'].includes(r.resourceType())) peerFetched.push(new URL(r.url()).pathname); });
      peerCold.push((await timeLoad(await peer.newPage(), `${url}/`, 'signin-username', true)).ms);
      peerFiles = [...new Set(peerFetched)];
      await peer.close();
    }
    return { coldMs: median(cold), repeatMs: median(repeat), gzipKb: gzipKbOf(files), files, peer: { coldMs: median(peerCold), gzipKb: gzipKbOf(peerFiles) } };
  } finally {
    await browser.close().catch(() => {});
    await server.close().catch(() => {});
    await store.close().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}

export function describePageFigures(f: PageFigures): string[] {
  return [
    `/file on a phone, slow 3G: JS+CSS ${fmt(f.gzipKb, 1)} KB gzip (target ≤ ${TARGETS.kb} KB) ${f.gzipKb <= TARGETS.kb ? 'PASS' : 'MISS'}; compose form ready in ${fmt(f.coldMs, 0)} ms cold (target ≤ ${TARGETS.ms} ms) ${f.coldMs <= TARGETS.ms ? 'PASS' : 'MISS'}, ${fmt(f.repeatMs, 0)} ms on a repeat open`,
    `  peer (the desk's sign-in page, same run): ${fmt(f.peer.gzipKb, 1)} KB gzip, ${fmt(f.peer.coldMs, 0)} ms → /file ${fmt(f.coldMs / f.peer.coldMs, 2)}× its time, ${fmt(f.gzipKb / f.peer.gzipKb, 2)}× its weight`,
    `  files: ${f.files.join(' ')}`,
  ];
}
