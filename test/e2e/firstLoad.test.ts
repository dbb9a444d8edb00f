import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { describeE2E, launchChromium, newDeskContext, watchErrors, withoutOfflineNoise } from '../support/chromium.js';
import { startTestServer, type TestServer } from '../support/startTestServer.js';
import { card, demoFile, UI_TIMEOUT, type LiveFileJson } from '../support/e2eDesk.js';
import { PHONE_CONTEXT, timeLoad, type LoadFigure } from '../../bench/firstLoad.js';

/**
 * Issue 9, "First load that works on a phone", in real Chromium on the real build (dist/, built by
 * the e2e globalSetup like `npm start` builds it). Timings are on CDP's slow-3G emulation; the
 * budgets asserted here are twice the targets (a shared 2-core machine), the byte budgets exact.
 */
const DIST = fileURLToPath(new URL('../../dist', import.meta.url));

/** Strings only these libraries' code contains (checked against the build in the first test). */
const MARKERS = {
  yjs: 'Yjs was already imported',
  'prosemirror-model': 'Invalid content for node',
  'y-prosemirror': 'y-sync',
  'socket.io-client': 'engine.io',
} as const;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

interface Manifest { [key: string]: { file: string; src?: string; isEntry?: boolean; isDynamicEntry?: boolean } }
const manifest = (): Manifest => JSON.parse(readFileSync(join(DIST, '.vite', 'manifest.json'), 'utf8')) as Manifest;
/** The built file of a lazily loaded module (by the end of its source path). */
function chunkOf(srcEnd: string): string {
  const hit = Object.values(manifest()).find((m) => m.isDynamicEntry && m.src?.endsWith(srcEnd));
  if (!hit) throw new Error(`no lazy chunk for ${srcEnd} in dist/.vite/manifest.json`);
  return `/${hit.file}`;
}

/** Script URLs (paths) a page fetches from now on, and whether each came through the service worker. */
function watchScripts(page: Page): Map<string, Response> {
  const seen = new Map<string, Response>();
  page.on('response', (r) => {
    if (r.request().resourceType() === 'script') seen.set(new URL(r.url()).pathname, r);
  });
  return seen;
}

async function textOfScripts(server: TestServer, paths: Iterable<string>): Promise<string> {
  const bodies = await Promise.all([...paths].map(async (p) => (await fetch(`${server.url}${p}`)).text()));
  return bodies.join('\n');
}

describeE2E('first load on a phone (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let file: LiveFileJson;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchChromium()]);
    ({ file } = await demoFile(server, 'editor'));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('[FL3] the production build has no source maps; [FL1] Chromium gets its scripts, styles and page as brotli; [FL4] real icons', async () => {
    const files = filesUnder(DIST);
    expect(files.filter((f) => f.endsWith('.map')), 'source maps in dist/').toEqual([]);
    const scripts = files.filter((f) => f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(3);
    for (const f of scripts) expect(readFileSync(f, 'utf8'), f).not.toMatch(/sourceMappingURL/);
    // The markers the other tests rely on are where they should be.
    const all = scripts.map((f) => readFileSync(f, 'utf8')).join('\n');
    for (const [lib, marker] of Object.entries(MARKERS)) expect(all, lib).toContain(marker);

    const context = await browser.newContext(PHONE_CONTEXT);
    try {
      const page = await context.newPage();
      const responses: Response[] = [];
      page.on('response', (r) => void responses.push(r));
      await page.goto(server.url);
      await page.getByTestId('signin-username').waitFor({ timeout: UI_TIMEOUT });
      const texts = responses.filter((r) => ['document', 'script', 'stylesheet'].includes(r.request().resourceType()));
      expect(texts.length).toBeGreaterThanOrEqual(3);
      for (const r of texts) {
        // /theme-init.js (a few lines) is under the build's 512-byte floor for compressed copies.
        if (new URL(r.url()).pathname === '/theme-init.js') continue;
        expect(await r.headerValue('content-encoding'), r.url()).toBe('br');
        expect(await r.headerValue('vary'), r.url()).toMatch(/Accept-Encoding/i);
        const cache = await r.headerValue('cache-control');
        expect(cache, r.url()).toBe(new URL(r.url()).pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      }
      // A map asked for by name: 404, never the page.
      const map = await fetch(`${server.url}${new URL(texts.find((r) => r.request().resourceType() === 'script')!.url()).pathname}.map`);
      expect(map.status).toBe(404);

      // The icons the page links exist and are what they say.
      const links = await page.evaluate(() => [...document.querySelectorAll<HTMLLinkElement>('link[rel~=icon], link[rel=apple-touch-icon], link[rel=manifest]')]
        .map((l) => ({ rel: l.rel, href: new URL(l.href).pathname })));
      expect(links.map((l) => l.rel).sort()).toEqual(['apple-touch-icon', 'icon', 'icon', 'manifest']);
      const ico = await fetch(`${server.url}/favicon.ico`);
      expect(ico.status).toBe(200);
      expect(ico.headers.get('content-type')).toBe('image/x-icon');
      expect([...new Uint8Array(await ico.arrayBuffer()).slice(0, 4)]).toEqual([0, 0, 1, 0]); // an ICO header, not HTML
      for (const l of links) {
        const res = await fetch(`${server.url}${l.href}`);
        expect(res.status, l.href).toBe(200);
        expect(res.headers.get('content-type'), l.href).not.toMatch(/html/);
        expect(Number(res.headers.get('content-length') ?? (await res.clone().arrayBuffer()).byteLength), l.href).toBeLessThan(16_000);
      }
      const webManifest = await (await fetch(`${server.url}/manifest.webmanifest`)).json() as { icons: { src: string }[] };
      for (const icon of webManifest.icons) expect((await fetch(`${server.url}${icon.src}`)).status, icon.src).toBe(200);
      expect((await fetch(`${server.url}/assets/index-Missing0.js`)).status).toBe(404);
    } finally {
      await context.close();
    }
  });

  it('[FL6] [FL7] on slow 3G the sign-in form is interactive in time, with no Yjs, ProseMirror, editor or socket.io code', async () => {
    const context = await browser.newContext(PHONE_CONTEXT);
    try {
      const page = await context.newPage();
      const scripts = watchScripts(page);
      const figure: LoadFigure = await timeLoad(page, server.url, 'signin-username', true);
      console.log(`[FL7] sign-in on slow 3G: ${figure.ms.toFixed(0)} ms, ${figure.bytes} bytes (${figure.jsBytes} of scripts): ${figure.scripts.join(' ')}`);
      const lazy = [chunkOf('pages/ld-live-file-page.ts'), chunkOf('editor/entryView.ts'), chunkOf('socket.io-client/build/esm/index.js'), chunkOf('pages/ld-desk-page.ts')];
      for (const chunk of lazy) expect([...scripts.keys()], chunk).not.toContain(chunk);
      const code = await textOfScripts(server, scripts.keys());
      for (const [lib, marker] of Object.entries(MARKERS)) expect(code.includes(marker), `${lib} loaded by the sign-in page`).toBe(false);
      expect(figure.jsBytes, 'script bytes over the wire for sign-in').toBeLessThanOrEqual(30_000);
      expect(figure.bytes, 'all bytes over the wire for sign-in').toBeLessThanOrEqual(40_000);
      expect(figure.ms, 'sign-in interactive (target 2.5 s; twice that allowed for a loaded machine)').toBeLessThanOrEqual(5_000);
    } finally {
      await context.close();
    }
  });

  it('[FL7] [FL8] on slow 3G a live file shows its first cards in time, without the editor code; the editor loads when an entry opens', async () => {
    const s = await newDeskContext(browser, server, 'editor', { phone: true, noNavigate: true });
    try {
      const scripts = watchScripts(s.page);
      const figure = await timeLoad(s.page, `${server.url}/#/files/${file.id}`, 'entry-preview', true);
      console.log(`[FL7] a live file's first card on slow 3G: ${figure.ms.toFixed(0)} ms, ${figure.bytes} bytes (${figure.jsBytes} of scripts): ${figure.scripts.join(' ')}`);
      const editorChunk = chunkOf('editor/entryView.ts');
      expect([...scripts.keys()]).toContain(chunkOf('pages/ld-live-file-page.ts'));
      expect([...scripts.keys()], 'the editor chunk before any entry opened').not.toContain(editorChunk);
      expect((await textOfScripts(server, scripts.keys())).includes(MARKERS['y-prosemirror'])).toBe(false);
      expect(figure.bytes, 'all bytes over the wire before the first card').toBeLessThanOrEqual(150_000);
      expect(figure.ms, 'first cards (target 5 s; twice that allowed for a loaded machine)').toBeLessThanOrEqual(10_000);

      // Opening an entry brings the editor, and it takes typing.
      const first = s.page.getByTestId('entry-card').first();
      const id = await first.getAttribute('data-entry-id');
      await card(s.page, id!).getByTestId('entry-edit').click();
      await card(s.page, id!).getByTestId('editor-content').waitFor({ timeout: 60_000 });
      expect([...scripts.keys()]).toContain(editorChunk);
      expect(withoutOfflineNoise(s.errors)).toEqual([]);
    } finally {
      await s.context.close();
    }
  });

  it('[FL9] [FL10] the service worker keeps the shell: a repeat open comes from it, an offline reload shows the last-known desk read-only and says so', async () => {
    const s = await newDeskContext(browser, server, 'editor', { phone: true, noNavigate: true });
    const { page, context } = s;
    try {
      await page.goto(`${server.url}/#/files/${file.id}`);
      await page.getByTestId('entry-preview').first().waitFor({ timeout: UI_TIMEOUT });
      // The desk document's order has arrived (its pin with it): before it the cards stand in
      // the list's own order, which is not what the desk last showed.
      await page.getByTestId('pinned-mark').first().waitFor({ state: 'attached', timeout: UI_TIMEOUT });
      const previews = await page.getByTestId('entry-preview').allTextContents();
      // The worker registers once the page is quiet, then takes it.
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });

      // Repeat open: the page and every script from the service worker; nothing of /api from it.
      const again = await context.newPage();
      const responses: Response[] = [];
      again.on('response', (r) => void responses.push(r));
      await again.goto(`${server.url}/#/files/${file.id}`);
      await again.getByTestId('entry-preview').first().waitFor({ timeout: UI_TIMEOUT });
      const doc = responses.find((r) => r.request().resourceType() === 'document')!;
      expect(doc.fromServiceWorker(), 'the page from the service worker').toBe(true);
      const scripts = responses.filter((r) => r.request().resourceType() === 'script');
      expect(scripts.length).toBeGreaterThan(0);
      for (const r of scripts) expect(r.fromServiceWorker(), r.url()).toBe(true);
      const apiCalls = responses.filter((r) => new URL(r.url()).pathname.startsWith('/api/'));
      expect(apiCalls.length).toBeGreaterThan(0);
      for (const r of apiCalls) expect(r.fromServiceWorker(), r.url()).toBe(false);
      await again.close();

      // Offline reload: the page, not Chromium's error page; the desk as last seen, read-only, "Offline".
      await context.setOffline(true);
      await page.reload();
      expect(page.url()).not.toMatch(/^chrome-error:/);
      await page.getByTestId('offline-state').waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByTestId('offline-state').textContent()).toMatch(/^Offline/);
      await page.getByTestId('load-failed').waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByTestId('entry-preview').allTextContents()).toEqual(previews);
      expect(await page.getByTestId('new-entry').isDisabled(), 'read-only while offline').toBe(true);
      // Nothing of the API is answered from a cache: it fails while offline.
      expect(await page.evaluate(() => fetch('/api/live-files').then(() => 'answered', () => 'failed'))).toBe('failed');
      await screenshotIfAsked(page);

      // Back online: signing out leaves nothing of this account on the device (storage or caches).
      await context.setOffline(false);
      await expect.poll(() => page.getByTestId('offline-state').count(), { timeout: 30_000 }).toBe(0);
      await page.getByTestId('sign-out').click();
      await page.getByTestId('signin-username').waitFor({ timeout: UI_TIMEOUT });
      const kept = await page.evaluate(async () => ({
        storage: Object.keys(localStorage).filter((k) => k.startsWith('livedesk:last')),
        cached: (await Promise.all((await caches.keys()).map(async (n) => (await (await caches.open(n)).keys()).map((r) => new URL(r.url).pathname)))).flat(),
      }));
      expect(kept.storage).toEqual([]);
      expect(kept.cached.length).toBeGreaterThan(0);
      expect(kept.cached.filter((p) => /^\/(api|socket\.io|collab)\//.test(p))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('[FL9] a reload while offline with nobody signed in on this device shows the sign-in page, not the browser error page', async () => {
    const context: BrowserContext = await browser.newContext(PHONE_CONTEXT);
    try {
      const page = await context.newPage();
      const errors = watchErrors(page);
      await page.goto(server.url);
      await page.getByTestId('signin-username').waitFor({ timeout: UI_TIMEOUT });
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
      await context.setOffline(true);
      await page.reload();
      expect(page.url()).not.toMatch(/^chrome-error:/);
      await page.getByTestId('signin-username').waitFor({ timeout: UI_TIMEOUT });
      expect(await page.locator('ld-app').count()).toBe(1);
      expect(withoutOfflineNoise(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

/** SCREENSHOTS=1: the offline desk at 390 px for a look. */
async function screenshotIfAsked(page: Page): Promise<void> {
  if (process.env.SCREENSHOTS !== '1') return;
  const { screenshot } = await import('../support/chromium.js');
  await screenshot(page, 'first-load-offline-desk-390');
}
