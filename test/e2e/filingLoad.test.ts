import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { Browser, CDPSession, Request, Response } from 'playwright-core';
import { describeE2E, launchChromium, screenshot, type DeskSession } from '../support/chromium.js';
import { api, signIn, startTestServer, type TestServer } from '../support/startTestServer.js';
import { demoFile, UI_TIMEOUT, type LiveFileJson } from '../support/e2eDesk.js';
import { entriesWith, filingWorkerReady, openFiling, openTab, rowWith, writeUpdate } from '../support/e2eFiling.js';
import { largePhoto, photoFacts } from '../support/testPhotos.js';
import { tempDir } from '../support/tempDir.js';
import { timeLoad } from '../../bench/firstLoad.js';

/**
 * Issue 11: the filing page's weight and shell (its own entry, installable, cached by its service
 * worker) and a slow link (CDP's slow 3G) with a phone-camera photo and a text filed together.
 */
const DIST = fileURLToPath(new URL('../../dist', import.meta.url));
const SLOW_3G = { offline: false, latency: 400, downloadThroughput: 51_200, uploadThroughput: 51_200 } as const;
const UNTHROTTLED = { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 } as const;
/** Strings only these libraries' code contains (firstLoad.test.ts checks they are in the build). */
const MARKERS = { yjs: 'Yjs was already imported', 'prosemirror-model': 'Invalid content for node', 'y-prosemirror': 'y-sync' } as const;

interface Manifest { [key: string]: { file: string; src?: string; isDynamicEntry?: boolean } }
const manifest = (): Manifest => JSON.parse(readFileSync(join(DIST, '.vite', 'manifest.json'), 'utf8')) as Manifest;
const deskChunks = () => Object.values(manifest()).filter((m) => m.isDynamicEntry && /pages\/|editor\//.test(m.src ?? '')).map((m) => `/${m.file}`);

describeE2E('the filing page: weight, shell and a slow link (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let file: LiveFileJson;
  const sessions: DeskSession[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchChromium()]);
    ({ file } = await demoFile(server, 'chief'));
  });
  afterEach(async () => {
    for (const s of sessions.splice(0)) await s.context.close();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function phone(): Promise<DeskSession> {
    const s = await openFiling(browser, server);
    sessions.push(s);
    return s;
  }

  it('[FI1] [FI2] /file is its own page: at most 150 KB gzip of scripts and styles, no Yjs, editor or desk code; installable; its worker keeps its shell only; a repeat open, online or offline, is under a second', async () => {
    const s = await phone();
    const { page, context } = s;
    // The first load again, counted from a fresh page of this signed-in context (nothing cached yet: no worker).
    const loaded = new Map<string, Response>();
    const fresh = await context.newPage();
    fresh.on('response', (r) => {
      const type = r.request().resourceType();
      if (type === 'script' || type === 'stylesheet') loaded.set(new URL(r.url()).pathname, r);
    });
    const first = await timeLoad(fresh, `${server.url}/file`, 'compose-text', false);
    // Signed in: the socket's chunk comes too (My filings live); wait for it before counting.
    await expect.poll(() => [...loaded.keys()].some((p) => readFileSync(join(DIST, p), 'utf8').includes('engine.io')), { timeout: UI_TIMEOUT }).toBe(true);
    await fresh.waitForLoadState('networkidle').catch(() => {});
    const paths = [...loaded.keys()].filter((p) => p.startsWith('/assets/'));
    const gzip = paths.map((p) => ({ p, gz: gzipSync(readFileSync(join(DIST, p)), { level: 9 }).length }));
    const total = gzip.reduce((n, x) => n + x.gz, 0);
    console.log(`[FI1] /file first load: ${(total / 1024).toFixed(1)} KB gzip of scripts and styles (${gzip.map((x) => `${x.p.replace('/assets/', '')} ${(x.gz / 1024).toFixed(1)}`).join(', ')}); ${first.bytes} bytes over the wire (brotli), ${first.ms.toFixed(0)} ms to the form`);
    expect(total, 'JS + CSS of the first load, gzip').toBeLessThanOrEqual(150 * 1024);
    expect(paths.some((p) => p.endsWith('.css')), 'the styles are counted').toBe(true);
    const code = paths.filter((p) => p.endsWith('.js')).map((p) => readFileSync(join(DIST, p), 'utf8')).join('\n');
    for (const [lib, marker] of Object.entries(MARKERS)) expect(code.includes(marker), `${lib} in the filing page`).toBe(false);
    for (const chunk of deskChunks()) expect(paths, 'desk chunk loaded by /file').not.toContain(chunk);
    await fresh.close();

    // Installable: its own manifest, start_url /file, icons that exist.
    const href = await page.evaluate(() => document.querySelector<HTMLLinkElement>('link[rel=manifest]')?.getAttribute('href'));
    expect(href).toBe('/file.webmanifest');
    const res = await fetch(`${server.url}/file.webmanifest`);
    expect(res.headers.get('content-type')).toMatch(/manifest\+json/);
    const wm = await res.json() as { start_url: string; scope: string; display: string; name: string; icons: Array<{ src: string; sizes: string; type: string }> };
    expect(wm).toMatchObject({ start_url: '/file', scope: '/file', display: 'standalone' });
    expect(wm.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    for (const icon of wm.icons) {
      const r = await fetch(`${server.url}${icon.src}`);
      expect(r.status, icon.src).toBe(200);
      expect(r.headers.get('content-type'), icon.src).toBe(icon.type);
    }

    // Its service worker: scope /file, and its cache holds this page's files, none of the desk's.
    await filingWorkerReady(page);
    const worker = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.getRegistration('/file');
      const names = await caches.keys();
      const cached = (await Promise.all(names.map(async (n) => (await (await caches.open(n)).keys()).map((r) => new URL(r.url).pathname)))).flat();
      return { scope: reg ? new URL(reg.scope).pathname : null, script: reg?.active?.scriptURL ?? '', names, cached };
    });
    expect(worker.scope).toBe('/file');
    expect(worker.script).toMatch(/\/sw\.js\?shell=file$/);
    expect(worker.names.every((n) => n.startsWith('livedesk-file-shell-'))).toBe(true);
    expect(worker.cached).toContain('/file');
    for (const p of paths) expect(worker.cached, p).toContain(p);
    for (const chunk of deskChunks()) expect(worker.cached, 'desk chunk in the filing cache').not.toContain(chunk);
    expect(worker.cached.filter((p) => /^\/(api|socket\.io|collab|media)\//.test(p))).toEqual([]);

    // Repeat open, online: the page and its scripts from the worker, in under a second.
    const again = await context.newPage();
    const responses: Response[] = [];
    again.on('response', (r) => void responses.push(r));
    const warm = await timeLoad(again, `${server.url}/file`, 'compose-text', false);
    const doc = responses.find((r) => r.request().resourceType() === 'document')!;
    expect(doc.fromServiceWorker()).toBe(true);
    for (const r of responses.filter((x) => x.request().resourceType() === 'script')) expect(r.fromServiceWorker(), r.url()).toBe(true);
    await again.close();

    // Repeat open with no network at all: the page from the worker, the form ready, "Offline".
    await context.setOffline(true);
    const offline = await context.newPage();
    const cold = await timeLoad(offline, `${server.url}/file`, 'compose-text', false);
    expect(offline.url()).not.toMatch(/^chrome-error:/);
    await expect.poll(() => offline.getByTestId('connection-state').textContent(), { timeout: UI_TIMEOUT }).toMatch(/Offline/);
    console.log(`[FI2] repeat open of /file: ${warm.ms.toFixed(0)} ms online, ${cold.ms.toFixed(0)} ms offline (from the service worker)`);
    expect(warm.ms, 'repeat open online').toBeLessThan(1000);
    expect(cold.ms, 'repeat open offline').toBeLessThan(1000);
    await context.setOffline(false);
  });

  it('[FI12] on slow 3G a phone-camera photo and a text filed after it: the text reaches the desk first, the upload shows its progress, and the photo arrives resized to 2048 px with no EXIF or GPS', async () => {
    const tag = randomUUID().slice(0, 6);
    const dir = await tempDir('livedesk-filing-large-');
    const big = await largePhoto(dir, `camera-${tag}`);
    expect(big.bytes).toBeGreaterThan(9_000_000);
    expect((await photoFacts(readFileSync(big.path))).exif, 'the camera photo has EXIF (GPS)').toBe(true);
    const { page } = await phone();
    const uploads: Request[] = [];
    const answers: Array<{ id: string; width: number; height: number }> = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/media') uploads.push(r);
    });
    page.on('response', (r) => {
      if (r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/media' && r.ok()) void r.json().then((j: { id: string; width: number; height: number }) => answers.push(j));
    });

    await writeUpdate(page, { text: `Aerial view of the flooded quarter ${tag}`, photos: [{ path: big.path, caption: `Flooded quarter ${tag}` }] });
    await expect.poll(() => page.getByTestId('compose-photo').getAttribute('data-ready'), { timeout: 60_000 }).toBe('true');
    const cdp: CDPSession = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
    await page.getByTestId('submit-filing').click();
    await page.getByTestId('compose-status').waitFor({ timeout: UI_TIMEOUT });
    await writeUpdate(page, { text: `Power is off in three districts ${tag}` });
    await page.getByTestId('submit-filing').click();

    // The text is on the desk, submitted, while the photo is still on its way.
    await expect.poll(async () => (await entriesWith(server, file.id, `Power is off in three districts ${tag}`)).map((e) => e.status), { timeout: 30_000 }).toEqual(['submitted']);
    expect(await entriesWith(server, file.id, `flooded quarter ${tag}`), 'the photo filing is not on the desk yet').toEqual([]);
    await openTab(page, 'filings');
    const row = rowWith(page, `flooded quarter ${tag}`);
    // On a loaded machine the first progress event can take a while: the row says "Sending n %" from 0.
    await expect.poll(() => row.getByTestId('filing-state').textContent(), { timeout: 60_000 }).toMatch(/Sending( \d{1,2}%|…)/);
    const value = await row.getByTestId('filing-progress').getAttribute('value').catch(() => null);
    if (value !== null) expect(Number(value)).toBeLessThan(100);
    await screenshot(page, 'filing-slow-3g-sending-390', { fullPage: false });
    // What the phone is sending (still on the device while it uploads): resized, re-encoded, no EXIF.
    const kept = Buffer.from(await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((ok, ko) => { const r = indexedDB.open('livedesk-filing'); r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error); });
      const all = await new Promise<Array<{ blob?: Blob; media?: unknown }>>((ok, ko) => { const r = db.transaction('photos').objectStore('photos').getAll(); r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error); });
      db.close();
      const bytes = new Uint8Array(await all.find((p) => p.blob && !p.media)!.blob!.arrayBuffer());
      let bin = '';
      for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(bin);
    }), 'base64');
    expect(await photoFacts(kept), 'what the phone sends').toMatchObject({ width: 2048, height: 1536, exif: false, format: 'jpeg' });
    expect(kept.length).toBeLessThan(big.bytes / 4);

    // The link gets better: the upload finishes (same request, or a retry under the same key) and the filing follows.
    await cdp.send('Network.emulateNetworkConditions', UNTHROTTLED);
    await expect.poll(async () => (await entriesWith(server, file.id, `flooded quarter ${tag}`)).map((e) => e.status), { timeout: 90_000 }).toEqual(['submitted']);
    await expect.poll(() => row.getAttribute('data-state'), { timeout: UI_TIMEOUT }).toBe('submitted');
    const keys = new Set(uploads.map((u) => u.headers()['idempotency-key']));
    expect(keys.size, 'one key for the one photo, on every attempt').toBe(1);
    // What the server keeps: the size the phone made, and no EXIF at all.
    expect(answers).toHaveLength(1);
    expect(Math.max(answers[0]!.width, answers[0]!.height)).toBe(2048);
    const master = await fetch(`${server.url}/api/media/${answers[0]!.id}`, { headers: { cookie: await signIn(server, 'correspondent') } });
    expect(master.status).toBe(200);
    expect(await photoFacts(new Uint8Array(await master.arrayBuffer()))).toMatchObject({ width: 2048, height: 1536, exif: false });
    const cookie = await signIn(server, 'chief');
    const queue = (await api(server, cookie, 'GET', '/api/queue')).json as unknown as { items: Array<{ entry: { id: string; lastAction?: { at: string } }; currentText: string }> };
    const [text, photo] = [`Power is off in three districts ${tag}`, `flooded quarter ${tag}`].map((t) => queue.items.find((i) => i.currentText.includes(t))!);
    expect(text!.entry.lastAction!.at < photo!.entry.lastAction!.at, 'the text was submitted first').toBe(true);
    await cdp.detach().catch(() => {});
  }, 180_000);
});
