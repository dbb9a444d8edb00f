// <livedesk-feed> on another site: a page served from a second tiny server (http://localhost:<port>,
// another site than the Livedesk server's http://127.0.0.1:<port>) includes /embed.js.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { Server as IoServer } from 'socket.io';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeE2E, launchChromium } from '../support/chromium.js';
import { AR, RU } from '../support/fixtures.js';
import { newsroomPeople, type Person } from '../support/newsroomPeople.js';
import { publishFlow } from '../support/publishFlow.js';
import { startTestServer, type TestServer } from '../support/startTestServer.js';
import { slugOf } from '../support/workflowApi.js';

const DIST = fileURLToPath(new URL('../../dist', import.meta.url));
const EMBED_BUDGET_GZIP = 40 * 1024;
const TIMEOUT = 20_000;

let server: TestServer;
let browser: Browser;
let site: Server;
let siteOrigin = '';
const people = newsroomPeople(() => server);
let editor: Person;
let chief: Person;
const flow = publishFlow(() => server, () => editor, () => chief);
/** Every request and upgrade the Livedesk server got, with its Cookie and Origin. */
const seen: Array<{ url: string; cookie?: string; origin?: string }> = [];
let pageHtml = '';

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchChromium()]);
  [editor, chief] = await Promise.all([people.newPerson('editor'), people.newPerson('chief')]);
  const record = (req: IncomingMessage) => void seen.push({ url: req.url ?? '', cookie: req.headers.cookie, origin: req.headers.origin });
  server.server.httpServer.prependListener('request', record);
  server.server.httpServer.prependListener('upgrade', record);
  site = createServer((req, res) => {
    if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(pageHtml);
    else res.writeHead(req.url === '/favicon.ico' ? 204 : 404).end();
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  siteOrigin = `http://localhost:${(site.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => (site ? site.close(() => r()) : r()));
  await server?.close();
});

const shown = (page: Page) => page.evaluate(() => {
  const root = document.querySelector('livedesk-feed')!.shadowRoot!;
  return [...root.querySelectorAll('li[data-entry-id]')].map((li) => ({
    id: (li as HTMLElement).dataset.entryId!,
    headline: li.querySelector('[part~="headline"]')?.textContent ?? '',
    body: li.querySelector('[part~="body"]')?.textContent ?? '',
  }));
});

describeE2E('the <livedesk-feed> embed', () => {
  it('[EM1] [EM2] [EM3] on another site it shows the latest entries, a publish arrives live, no cookie is sent, and the host page themes it', async () => {
    const fileId = await people.newLiveFile(chief, 'Embedded');
    const slug = await slugOf(server, fileId);
    const first = await flow.publish(fileId, 'First update.', 'One');
    const second = await flow.publish(fileId, RU, 'Два');
    const third = await flow.publish(fileId, AR, 'ثلاثة');
    pageHtml = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A news site</title><style>
      body { margin: 20px; }
      livedesk-feed { --livedesk-accent: rgb(1, 2, 3); --livedesk-font: "Courier New", monospace; --livedesk-bg: rgb(250, 240, 230); --livedesk-radius: 3px; }
      livedesk-feed::part(headline) { text-transform: uppercase; }
    </style></head><body><h1>Our story</h1>
      <livedesk-feed src="${server.url}/live/${slug}" limit="2" poll-seconds="2"></livedesk-feed>
      <p id="after">After the embed.</p>
      <script src="${server.url}/embed.js" async crossorigin="anonymous"></script></body></html>`;

    const context = await browser.newContext({ viewport: { width: 800, height: 900 } });
    // The desk's session cookie is in this browser: the embed must never send it.
    const [name, ...rest] = editor.cookie.split('=');
    await context.addCookies([{ name: name!, value: rest.join('='), url: server.url, httpOnly: true, sameSite: 'Lax' }]);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(`${m.text()} ${m.location().url}`));
    seen.length = 0;
    await page.goto(`${siteOrigin}/`);

    await expect.poll(() => shown(page).then((s) => s.map((e) => e.id)), { timeout: TIMEOUT }).toEqual([third, second]);
    const [arabic, russian] = await shown(page);
    expect(arabic!.body).toBe(AR);
    expect(russian!.body).toBe(RU);
    expect(russian!.headline).toBe('Два');
    expect(await page.evaluate(() => !!document.querySelector('livedesk-feed')!.shadowRoot && document.querySelectorAll('iframe').length === 0)).toBe(true);
    const heightBefore = await page.evaluate(() => document.querySelector('livedesk-feed')!.getBoundingClientRect().height);

    // [EM3] custom properties and parts from the host page.
    const look = await page.evaluate(() => {
      const host = document.querySelector('livedesk-feed')!;
      const root = host.shadowRoot!;
      const cs = getComputedStyle(host);
      return {
        bg: cs.backgroundColor, font: cs.fontFamily, radius: cs.borderTopLeftRadius,
        status: getComputedStyle(root.querySelector('[part~="status"]')!).color,
        headline: getComputedStyle(root.querySelector('[part~="headline"]')!).textTransform,
        scrolls: host.scrollHeight > host.clientHeight + 1,
      };
    });
    expect(look).toEqual({ bg: 'rgb(250, 240, 230)', font: '"Courier New", monospace', radius: '3px', status: 'rgb(1, 2, 3)', headline: 'uppercase', scrolls: false });

    // [EM2] a publish arrives without a reload, on top; the oldest drops out of the two.
    const fourth = await flow.publish(fileId, 'Breaking: the bridge reopened.', 'Four');
    await expect.poll(() => shown(page).then((s) => s.map((e) => e.id)), { timeout: TIMEOUT }).toEqual([fourth, third]);
    // A correction and a retraction too.
    await flow.retract(third, 'Not confirmed');
    await expect.poll(() => page.evaluate(() => document.querySelector('livedesk-feed')!.shadowRoot!.querySelector('[part~="retraction"]')?.textContent), { timeout: TIMEOUT })
      .toBe('This update was retracted: Not confirmed');
    expect(await page.evaluate(() => document.querySelector('livedesk-feed')!.shadowRoot!.textContent)).not.toContain(AR);
    const heightAfter = await page.evaluate(() => document.querySelector('livedesk-feed')!.getBoundingClientRect().height);
    expect(heightAfter).toBeGreaterThan(0);
    expect(heightBefore).toBeGreaterThan(0);
    const mode = await page.evaluate(() => (document.querySelector('livedesk-feed') as HTMLElement).dataset.mode);
    expect(['live', 'polling']).toContain(mode);

    // [EM1] no request the embed made to Livedesk carried a cookie; they all came from the other site.
    const fromEmbed = seen.filter((r) => r.url.startsWith('/api/public/') || r.url.startsWith('/embed.js') || r.url.startsWith('/assets/embed-') || r.url.startsWith('/socket.io/'));
    expect(fromEmbed.some((r) => r.url.startsWith('/api/public/live/'))).toBe(true);
    expect(fromEmbed.some((r) => r.url.startsWith('/embed.js'))).toBe(true);
    expect(fromEmbed.filter((r) => r.cookie !== undefined).map((r) => r.url)).toEqual([]);
    expect(errors).toEqual([]);
    void first;
    await context.close();
  });

  it('[EM2] over the /live namespace (a stand-in server speaking its contract): subscribes from the page\'s lastSeq, shows pushed changes, polls nothing, sends no cookie', async () => {
    // A stand-in Livedesk origin: the public API page and the /live namespace of shared/realtime/liveEvents.ts.
    const entry = (id: string, seq: number, text: string, position: string) => ({
      id, seq, revision: 1, html: `<p dir="auto">${text}</p>`, text, headline: '', bylines: [], publishedAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(), pinned: false, keyEvent: false, position, corrected: false, retracted: null,
    });
    const requests: Array<{ url: string; cookie?: string }> = [];
    const fake = createServer((req, res) => {
      requests.push({ url: req.url ?? '', cookie: req.headers.cookie });
      if (req.url?.startsWith('/api/public/live/standin?')) {
        res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' }).end(JSON.stringify({
          liveFile: { slug: 'standin', title: 'Stand-in', status: 'live', lastSeq: 7 }, entries: [entry('entry-a', 7, 'Seventh.', 'a1')], nextCursor: null,
        }));
      } else res.writeHead(404, { 'access-control-allow-origin': '*' }).end();
    });
    fake.on('upgrade', (req) => requests.push({ url: req.url ?? '', cookie: req.headers.cookie }));
    const io = new IoServer(fake, { serveClient: false });
    const subscribes: unknown[] = [];
    let pushTo: ((c: unknown) => void) | null = null;
    io.of('/live').on('connection', (socket) => {
      socket.on('subscribe', (req: unknown, ack: (a: unknown) => void) => {
        subscribes.push(req);
        ack({ changes: [], lastSeq: 7 });
        pushTo = (c) => socket.emit('change', c);
      });
    });
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
    const fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
    try {
      pageHtml = `<!doctype html><html><body><livedesk-feed src="${fakeUrl}/live/standin" limit="5" poll-seconds="2"></livedesk-feed>
        <script src="${server.url}/embed.js" async crossorigin="anonymous"></script></body></html>`;
      const context = await browser.newContext();
      await context.addCookies([{ name: 'ld_session', value: 'not-for-you', url: fakeUrl, sameSite: 'Lax' }]);
      const page = await context.newPage();
      await page.goto(`${siteOrigin}/`);
      await expect.poll(() => page.evaluate(() => (document.querySelector('livedesk-feed') as HTMLElement).dataset.mode), { timeout: TIMEOUT }).toBe('live');
      expect(subscribes).toEqual([{ slug: 'standin', after: 7 }]);
      pushTo!({ seq: 8, kind: 'published', entryId: 'entry-b', entry: entry('entry-b', 8, 'Eighth, pushed.', 'a0') });
      await expect.poll(() => shown(page).then((s) => s.map((e) => e.body)), { timeout: TIMEOUT }).toEqual(['Eighth, pushed.', 'Seventh.']);
      // A change it already has (seq <= lastSeq) is skipped.
      pushTo!({ seq: 8, kind: 'published', entryId: 'entry-b', entry: entry('entry-b', 8, 'Duplicate.', 'a0') });
      await new Promise((r) => setTimeout(r, 2500));
      expect((await shown(page)).map((e) => e.body)).toEqual(['Eighth, pushed.', 'Seventh.']);
      expect(requests.filter((r) => r.url.includes('/changes'))).toEqual([]);
      expect(requests.some((r) => r.url.startsWith('/socket.io/'))).toBe(true);
      expect(requests.filter((r) => r.cookie !== undefined)).toEqual([]);
      await context.close();
    } finally {
      io.close();
      await new Promise<void>((r) => { fake.closeAllConnections(); fake.close(() => r()); });
    }
  });

  it('[EM4] /embed.js is one classic script of at most 40 KB gzip: a short-cached redirect to its immutable hashed file, loadable from any origin', async () => {
    const redirect = await fetch(`${server.url}/embed.js`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('cache-control')).toMatch(/^public, max-age=300/);
    expect(redirect.headers.get('access-control-allow-origin')).toBe('*');
    const location = redirect.headers.get('location')!;
    expect(location).toMatch(/^\/assets\/embed-[A-Za-z0-9_-]+\.js$/);
    const script = await fetch(`${server.url}${location}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(script.status).toBe(200);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(script.headers.get('access-control-allow-origin')).toBe('*');
    expect(script.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const raw = readFileSync(join(DIST, location));
    const gzipped = gzipSync(raw, { level: 9 }).length;
    console.log(`[EM4] embed: ${raw.length} B, ${(gzipped / 1024).toFixed(1)} KB gzip`);
    expect(gzipped).toBeLessThanOrEqual(EMBED_BUDGET_GZIP);
    const text = raw.toString('utf8');
    expect(text.startsWith('(function(')).toBe(true); // an IIFE: no import, no export
    expect(/\bimport\s*\(|^\s*import\s|^export\s/m.test(text)).toBe(false);
    const manifest = JSON.parse(readFileSync(join(DIST, '.vite/embed-manifest.json'), 'utf8')) as Record<string, { file: string; imports?: string[] }>;
    expect(Object.values(manifest).map((m) => [m.file, m.imports ?? []])).toEqual([[location.slice(1), []]]);
  });
});
