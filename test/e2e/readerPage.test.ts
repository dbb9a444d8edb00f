import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { describeE2E, goOffline, goOnline, launchChromium, newDeskContext, openSockets, screenshot, withoutOfflineNoise } from '../support/chromium.js';
import { startTestServer, api, type TestServer } from '../support/startTestServer.js';
import { horizontalOverflow } from '../support/e2eDesk.js';
import { blockingViolations, formatFindings } from '../support/e2eAxe.js';
import { publicGet } from '../support/workflowApi.js';
import { articleIds, breakingStory, firstOnScreen, livePath, newReaderContext, newsroom, waitLive, type Newsroom, type ReaderSession, type Story } from '../support/e2eReader.js';

const DIST = fileURLToPath(new URL('../../dist', import.meta.url));

describeE2E('the public live page in Chromium (readers)', () => {
  let server: TestServer;
  let browser: Browser;
  let room: Newsroom;
  /** For the pages that only read; the live tests publish into a story of their own. */
  let story: Story;
  const sessions: ReaderSession[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchChromium()]);
    room = await newsroom(server);
    story = await breakingStory(server, room);
  }, 120_000);
  afterAll(async () => {
    for (const s of sessions) await s.context.close().catch(() => {});
    await browser?.close();
    await server?.close();
  });

  async function reader(opts: Parameters<typeof newReaderContext>[1] = {}): Promise<ReaderSession> {
    const s = await newReaderContext(browser, opts);
    sessions.push(s);
    return s;
  }
  const apiOrder = async (slug: string, limit = 100) => ((await publicGet(server, `/api/public/live/${encodeURIComponent(slug)}?limit=${limit}`)).json.entries as Array<{ id: string }>).map((e) => e.id);
  const title = (page: Page) => page.evaluate(() => document.title);

  it('[RP12] with JavaScript off: entries, key events, the pinned post, permalinks and older pages all work', async () => {
    const { page, context } = await reader({ javaScriptEnabled: false });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    await page.goto(`${server.url}${livePath(story.slug)}`);
    const order = await apiOrder(story.slug);
    expect(await articleIds(page)).toEqual(order.slice(0, 20));
    await expect.poll(() => page.locator('article.is-pinned').first().getAttribute('data-id')).toBe(story.pinned);
    // Key events: three, the rest behind "more" (a <details>, no script needed).
    expect(await page.locator('#key-events > section > .key-list > li').count()).toBe(3);
    const more = page.locator('#key-events details summary');
    expect(await more.textContent()).toBe('1 more key event');
    await more.click();
    expect(await page.locator('#key-events details').getAttribute('open')).not.toBeNull();
    await screenshot(page, 'reader-nojs-1280');

    // Older updates: a plain link.
    await page.getByRole('link', { name: 'Load older updates' }).click();
    await page.waitForURL(/\?before=/);
    expect(await articleIds(page)).toEqual(order.slice(20));
    await page.getByRole('link', { name: 'Back to the latest updates' }).click();
    await page.waitForURL((u) => u.pathname === livePath(story.slug) && !u.search);

    // An entry's time is its permalink.
    await page.locator(`#e-${story.ru} a.entry-time`).click();
    await page.waitForURL((u) => u.pathname === livePath(story.slug, story.ru));
    expect(await page.locator('article.is-target').getAttribute('data-id')).toBe(story.ru);
    expect(await page.locator('article[aria-current="true"]').count()).toBe(1);
    // A key event's link opens its permalink too.
    await page.locator('#key-events a').first().click();
    await page.waitForURL((u) => u.pathname === livePath(story.slug, story.keyEvents[3]));
    expect(await page.locator('article.is-target').getAttribute('data-id')).toBe(story.keyEvents[3]);
    // Nothing of the script ran: the script not fetched (a modulepreload hint may be), no socket.
    expect(requests.filter((p) => /^\/assets\/reader-/.test(p) || p.startsWith('/socket.io'))).toEqual([]);
    await context.close();
  });

  for (const phone of [false, true]) {
    const size = phone ? '390' : '1280';
    it(`[RP13] at ${phone ? '390×844 (phone)' : '1280×800'}: no sideways scroll, no serious axe finding, Russian, Kazakh and Arabic each in its own direction, keys between entries, Copy link; Load older updates in place [RP16]`, async () => {
      const { page, context, errors } = await reader({ phone });
      if (phone) {
        // The phone's share sheet, recorded.
        await context.addInitScript(() => {
          (navigator as unknown as { share: (d: ShareData) => Promise<void> }).share = async (d) => {
            (window as unknown as { __shared: ShareData[] }).__shared = [...((window as unknown as { __shared?: ShareData[] }).__shared ?? []), d];
          };
        });
      } else {
        await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
      }
      await page.goto(`${server.url}${livePath(story.slug)}`);
      await waitLive(page);
      await screenshot(page, `reader-${size}-top`, { fullPage: false });
      await screenshot(page, `reader-${size}`);
      if (phone) {
        const { overflow, culprits } = await horizontalOverflow(page);
        expect(overflow, `scrolls sideways: ${culprits.join(', ')}`).toBeLessThanOrEqual(0);
      }
      const found = await blockingViolations(page);
      expect(found, formatFindings(found)).toEqual([]);
      // Night: the dark tokens pass too.
      await page.emulateMedia({ colorScheme: 'dark' });
      await screenshot(page, `reader-${size}-dark-top`, { fullPage: false });
      const dark = await blockingViolations(page);
      expect(dark, formatFindings(dark)).toEqual([]);
      await page.emulateMedia({ colorScheme: 'light' });

      // Each script in its own direction, side by side.
      const dirs = await page.evaluate((ids) => ids.map((id) => {
        const content = document.querySelector<HTMLElement>(`#e-${id} .entry-content`)!;
        const p = content.querySelector('p')!;
        const range = document.createRange();
        range.selectNodeContents(p);
        const text = range.getBoundingClientRect();
        const box = p.getBoundingClientRect();
        return { lang: content.lang, dir: content.getAttribute('dir'), direction: getComputedStyle(p).direction, startGap: Math.round(text.left - box.left), endGap: Math.round(box.right - text.right) };
      }), [story.ru, story.kk, story.ar]);
      expect(dirs.map((d) => [d.lang, d.dir, d.direction])).toEqual([['ru', 'auto', 'ltr'], ['kk', 'auto', 'ltr'], ['ar', 'auto', 'rtl']]);
      // Arabic runs from the right edge; the Cyrillic ones from the left.
      expect(dirs[2]!.endGap).toBeLessThanOrEqual(1);
      expect(dirs[0]!.startGap).toBeLessThanOrEqual(1);
      await page.locator(`#e-${story.ar}`).scrollIntoViewIfNeeded();
      await screenshot(page, `reader-${size}-scripts`, { fullPage: false });

      // The feed's keys: Page Down / Page Up move between entries.
      const ids = await articleIds(page);
      await page.locator(`#e-${ids[0]}`).focus();
      await page.keyboard.press('PageDown');
      await page.keyboard.press('PageDown');
      expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.id)).toBe(ids[2]);
      await page.keyboard.press('PageUp');
      expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.id)).toBe(ids[1]);

      // Copy link: the share sheet on a phone, else the clipboard.
      await page.locator(`#e-${story.kk} button.copy-link`).click();
      const url = `${server.url}${livePath(story.slug, story.kk)}`;
      if (phone) {
        expect(await page.evaluate(() => (window as unknown as { __shared: ShareData[] }).__shared.map((d) => d.url))).toEqual([url]);
      } else {
        await expect.poll(() => page.locator(`#e-${story.kk} button.copy-link`).textContent()).toBe('Link copied');
        expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
      }

      // [RP16] Load older updates, with the script: the next page by cursor into the feed, no navigation.
      const url0 = page.url();
      await page.getByRole('link', { name: 'Load older updates' }).click();
      await expect.poll(() => articleIds(page)).toEqual(await apiOrder(story.slug));
      expect(page.url()).toBe(url0);
      expect(await page.locator('#feed').getAttribute('aria-busy')).toBe('false');
      expect(await page.locator('.feed-end').textContent()).toBe('That is every update.');
      const sizes = await page.locator('#feed > article').evaluateAll((l) => l.map((a) => [a.getAttribute('aria-posinset'), a.getAttribute('aria-setsize')]));
      expect(sizes).toEqual(sizes.map((_, i) => [String(i + 1), String(sizes.length)]));
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it('[RP9] [RP14] scrolled halfway, two new entries move nothing: the button says "2 new updates", the title "(2)", the status says so without their words; activating shows both and focuses the newest', async () => {
    const live = await breakingStory(server, room);
    const { page, errors } = await reader();
    await page.goto(`${server.url}${livePath(live.slug)}`);
    await waitLive(page);
    const baseTitle = await title(page);
    await page.evaluate(() => window.scrollTo(0, Math.round((document.documentElement.scrollHeight - innerHeight) / 2)));
    const before = await firstOnScreen(page);
    const shownBefore = await articleIds(page);

    const first = await room.publish(live.fileId, 'Breaking: the second shelter at the Baluan Sholak palace is full.', 'Second shelter full');
    const second = await room.publish(live.fileId, 'Power is off in parts of the Medeu district, the grid operator says.');
    const button = page.locator('#new-updates');
    await expect.poll(() => button.textContent(), { timeout: 10_000 }).toContain('2 new updates');
    expect(await button.isVisible()).toBe(true);
    expect(await title(page)).toBe(`(2) ${baseTitle}`);
    expect(await firstOnScreen(page)).toEqual(before);
    expect(await articleIds(page)).toEqual(shownBefore);
    await screenshot(page, 'reader-1280-new-updates', { fullPage: false });
    // One polite "2 new updates", gathered, never the entries' words.
    const status = page.locator('#live-status');
    expect(await status.getAttribute('role')).toBe('status');
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toBe('2 new updates');

    await button.click();
    const ids = await articleIds(page);
    expect(ids.slice(0, 3)).toEqual([live.pinned, second, first]);
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.id)).toBe(second);
    expect(await page.locator(`#e-${second}`).evaluate((el) => Math.round(el.getBoundingClientRect().top))).toBeLessThan(200);
    expect(await title(page)).toBe(baseTitle);
    expect(await button.isHidden()).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);

    // At the top of a visible tab a new entry appears at once.
    await page.evaluate(() => window.scrollTo(0, 0));
    const third = await room.publish(live.fileId, 'Third: a bus route through Dostyk is back.');
    await expect.poll(() => articleIds(page).then((l) => l[1])).toBe(third);
    expect(await button.isHidden()).toBe(true);
    expect(await status.textContent()).not.toMatch(/Baluan|Power|bus/);
    expect(errors).toEqual([]);
  });

  it('[RP10] a correction and a retraction arrive in their slots, marked Updated then Withdrawn, and the reader\'s place holds', async () => {
    const live = await breakingStory(server, room);
    const { page, errors } = await reader();
    await page.goto(`${server.url}${livePath(live.slug)}`);
    await waitLive(page);
    // The Kazakh entry at the top of the screen; the photo entry above it, off screen, grows.
    await page.evaluate((id) => {
      const el = document.getElementById(`e-${id}`)!;
      window.scrollTo(0, Math.round(el.getBoundingClientRect().top + scrollY - 40));
    }, live.kk);
    const before = await firstOnScreen(page);
    const order = await articleIds(page);
    await room.correct(live.photo, ' The boats have now taken 300 people to safety, and more are on the way. The ministry says the operation will continue through the night in every street that is under water.');
    await expect.poll(() => page.locator(`#e-${live.photo} .entry-updated`).count(), { timeout: 10_000 }).toBe(1);
    expect(await page.locator(`#e-${live.photo} .entry-body`).textContent()).toContain('300 people');
    expect(await firstOnScreen(page)).toMatchObject({ id: before.id, top: before.top });
    expect(await articleIds(page)).toEqual(order);

    await room.retract(live.kk, 'The district was misnamed.');
    await expect.poll(() => page.locator(`#e-${live.kk} .entry-withdrawn`).textContent(), { timeout: 10_000 }).toMatch(/^Withdrawn at \d\d:\d\d\. The district was misnamed\.$/);
    expect(await page.locator(`#e-${live.kk} .entry-body`).count()).toBe(0);
    expect(await articleIds(page)).toEqual(order);
    expect(Math.abs((await firstOnScreen(page)).top - before.top)).toBeLessThanOrEqual(1);
    await screenshot(page, 'reader-1280-withdrawn', { fullPage: false });
    // Neither counts as new.
    expect(await page.locator('#new-updates').isHidden()).toBe(true);
    expect(errors).toEqual([]);
  });

  it('[RP11] offline while three entries are published, the reader catches up exactly on reconnect: each once, in order', async () => {
    const live = await breakingStory(server, room);
    const { page, context, errors } = await reader({ phone: true });
    await page.goto(`${server.url}${livePath(live.slug)}`);
    await waitLive(page);
    const before = await articleIds(page);
    await goOffline(context);
    await expect.poll(() => page.locator('#feed').getAttribute('data-live')).toBe('paused');
    const added: string[] = [];
    for (let i = 1; i <= 3; i++) added.push(await room.publish(live.fileId, `While you were away, update ${i}.`));
    await expect.poll(() => page.locator('#connection').isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await page.locator('#connection').textContent()).toBe('Live updates paused, reconnecting…');
    await screenshot(page, 'reader-390-paused', { fullPage: false });
    expect(await articleIds(page)).toEqual(before);
    await goOnline(context);
    await waitLive(page);
    await expect.poll(() => articleIds(page).then((l) => l.length), { timeout: 15_000 }).toBe(before.length + 3);
    const after = await articleIds(page);
    expect(new Set(after).size).toBe(after.length);
    expect(after).toEqual((await apiOrder(live.slug)).slice(0, after.length));
    expect(after.slice(1, 4)).toEqual([...added].reverse());
    expect(await page.locator('#connection').isHidden()).toBe(true);
    expect(withoutOfflineNoise(errors)).toEqual([]);
  });

  it('[RP5] with the script, a permalink scrolls to its entry, highlighted and focused; a key event shown on the page is reached in place', async () => {
    const { page, errors } = await reader({ phone: true });
    await page.goto(`${server.url}${livePath(story.slug, story.ar)}`);
    await waitLive(page);
    const at = await page.locator(`#e-${story.ar}`).evaluate((el) => ({ top: Math.round(el.getBoundingClientRect().top), focused: document.activeElement === el, current: el.getAttribute('aria-current') }));
    expect(at.focused).toBe(true);
    expect(at.current).toBe('true');
    expect(at.top).toBeGreaterThanOrEqual(0);
    expect(at.top).toBeLessThan(120);
    await screenshot(page, 'reader-390-permalink', { fullPage: false });
    await page.goto(`${server.url}${livePath(story.slug)}`);
    await waitLive(page);
    await page.locator('#key-events a').nth(1).click();
    expect(new URL(page.url()).pathname).toBe(livePath(story.slug));
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.id)).toBe(story.keyEvents[2]);
    expect(errors).toEqual([]);
  });

  it('[RP17] on a device whose desk installed the service worker (scope /), /live/<slug> still comes from the server, never the desk shell', async () => {
    const desk = await newDeskContext(browser, server, 'editor');
    try {
      await desk.page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
      await desk.page.reload();
      await expect.poll(() => desk.page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
      const res = await desk.page.goto(`${server.url}${livePath(story.slug)}`);
      expect(res!.fromServiceWorker()).toBe(false);
      expect(await desk.page.locator('[role="feed"] > article').count()).toBe(20);
      expect(await desk.page.locator('h1').textContent()).toBe(story.title);
    } finally {
      await desk.context.close();
    }
  });

  it('[RP6] [RP15] an ended file\'s page opens no socket and never loads socket.io-client; the reader script is its own small entry', async () => {
    const created = await api(server, room.editor.cookie, 'POST', '/api/live-files', { title: 'Ended story', timezone: 'Asia/Almaty' });
    const fileId = created.json.id as string;
    await room.publish(fileId, 'The last update of this story.');
    expect((await api(server, room.chief.cookie, 'PATCH', `/api/live-files/${fileId}/lifecycle`, { status: 'ended' })).status).toBe(200);
    const slug = (await server.store.liveFiles.findById(fileId))!.slug;
    const { page } = await reader();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    await page.goto(`${server.url}${livePath(slug)}`);
    await page.waitForLoadState('networkidle');
    expect(await page.locator('.status-line').textContent()).toBe('Ended');
    expect(await page.evaluate(() => document.documentElement.classList.contains('js'))).toBe(true);
    expect(await openSockets(page)).toBe(0);
    expect(requests.filter((p) => p.startsWith('/socket.io'))).toEqual([]);

    // The build: the reader entry and everything it can load, gzip.
    const manifest = JSON.parse(readFileSync(join(DIST, '.vite', 'manifest.json'), 'utf8')) as Record<string, { file: string; imports?: string[]; dynamicImports?: string[] }>;
    const closure = new Set<string>();
    const walk = (key: string) => {
      const chunk = manifest[key];
      if (!chunk || closure.has(chunk.file)) return;
      closure.add(chunk.file);
      for (const k of [...(chunk.imports ?? []), ...(chunk.dynamicImports ?? [])]) walk(k);
    };
    walk('reader/main.ts');
    const files = [...closure];
    const gz = files.map((f) => gzipSync(readFileSync(join(DIST, f)), { level: 9 }).length);
    const total = gz.reduce((a, b) => a + b, 0);
    const ioChunk = files.filter((f) => readFileSync(join(DIST, f), 'utf8').includes('socket.io'));
    console.log(`[RP15] reader script: ${files.map((f, i) => `${f} ${(gz[i]! / 1024).toFixed(1)} KB`).join(', ')}; total ${(total / 1024).toFixed(1)} KB gzip`);
    expect(total).toBeLessThan(50 * 1024);
    for (const f of files) {
      const code = readFileSync(join(DIST, f), 'utf8');
      expect(code, f).not.toMatch(/prosemirror|Yjs was already imported|lit-html|customElements\.define/i);
    }
    expect(ioChunk.length).toBeGreaterThan(0);
    expect(requests.filter((p) => ioChunk.some((f) => p === `/${f}`) && !p.includes('reader-'))).toEqual([]);
  });
});
