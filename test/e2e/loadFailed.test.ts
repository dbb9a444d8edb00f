import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { describeE2E, launchChromium, newDeskContext, screenshot, type DeskSession } from '../support/chromium.js';
import { startTestServer, type TestServer } from '../support/startTestServer.js';
import { connection, demoFile, openLiveFile, UI_TIMEOUT, type EntryJson, type LiveFileJson } from '../support/e2eDesk.js';

/**
 * Issue 9, "State is always true": a desk that cannot load its data says so in plain words, shows
 * what this device last saw read-only, and its Try again works. The API answers 503 with no body
 * (a proxy in front of a restarting server does exactly that).
 */

const liveFileRead = (url: URL) => /^\/api\/live-files\/[^/]+$/.test(url.pathname);
const liveFileList = (url: URL) => url.pathname === '/api/live-files';
const unavailable = { status: 503, body: '' };

/** The text a person sees in an element: closed <details> are not rendered, so their codes are not in it. */
const seen = (l: Locator) => l.innerText().then((t) => t.replace(/\s+/g, ' ').trim());

async function expectPlainWords(l: Locator) {
  const text = await seen(l);
  expect(text).not.toMatch(/Request failed|\b50\d\b|unavailable|HTTP|\.\.(?!\.)/);
  // The code is there for whoever is asked to help, under Details.
  await l.getByText('Details').click();
  await expect.poll(() => seen(l)).toContain('HTTP 503');
  await l.getByText('Details').click();
}

describeE2E('a desk whose data does not load (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let file: LiveFileJson;
  let entries: EntryJson[];
  const open: DeskSession[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchChromium()]);
    ({ file, entries } = await demoFile(server));
  });
  afterEach(async () => {
    for (const s of open.splice(0)) await s.context.close();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const cards = (page: Page) => page.locator('ld-entry-card');
  const failed = (page: Page) => page.getByTestId('load-failed');

  for (const size of [{ name: '1280', phone: false }, { name: '390', phone: true }]) {
    it(`[ER1] [ER2] at ${size.name} px: the live file answers 503: "Couldn't reach the desk; showing what this device last saw", its entries read-only, and Try again brings the live desk`, async () => {
      const a = await newDeskContext(browser, server, 'editor', { noNavigate: true, phone: size.phone });
      open.push(a);
      await openLiveFile(a.page, server, file.id);
      await expect.poll(() => cards(a.page).count(), { timeout: UI_TIMEOUT }).toBe(entries.length);

      await a.page.route(liveFileRead, (r) => r.fulfill(unavailable));
      await a.page.reload();
      const notice = failed(a.page);
      await notice.waitFor({ timeout: UI_TIMEOUT });
      expect(await notice.getAttribute('data-stale')).toBe('true');
      expect(await seen(notice)).toContain("Couldn't reach the desk; showing what this device last saw");
      expect(await seen(notice)).toContain("the desk server isn't answering just now");
      await expectPlainWords(notice);
      // The last-known entries, all of them, read-only: no new entry, no pin, no editing.
      await expect.poll(() => cards(a.page).count(), { timeout: UI_TIMEOUT }).toBe(entries.length);
      expect(await a.page.getByTestId('live-file-title').textContent()).toBe(file.title);
      expect(await a.page.getByTestId('new-entry').isDisabled()).toBe(true);
      expect(await cards(a.page).first().getByTestId('entry-pin').isDisabled()).toBe(true);
      await screenshot(a.page, `desk-${size.name}-load-failed-last-known`, { fullPage: false });

      // Still down: Try again says so again (no dead end, nothing lost from the screen).
      await a.page.getByTestId('try-again').click();
      await expect.poll(() => a.page.getByTestId('try-again').isEnabled(), { timeout: UI_TIMEOUT }).toBe(true);
      expect(await cards(a.page).count()).toBe(entries.length);

      await a.page.unroute(liveFileRead);
      await a.page.getByTestId('try-again').click();
      await expect.poll(() => failed(a.page).count(), { timeout: UI_TIMEOUT }).toBe(0);
      expect(await a.page.getByTestId('new-entry').isDisabled()).toBe(false);
      await expect.poll(() => connection(a.page).then((c) => c.state), { timeout: UI_TIMEOUT }).toBe('live');
      expect(await cards(a.page).count()).toBe(entries.length);
    });
  }

  it('[ER4] nothing saved on this device: the failure is told in plain words with Try again and the way back, and Try again works', async () => {
    const a = await newDeskContext(browser, server, 'editor2', { noNavigate: true });
    open.push(a);
    await a.page.route(liveFileRead, (r) => r.fulfill(unavailable));
    await a.page.goto(`${server.url}/#/files/${file.id}`);
    const notice = failed(a.page);
    await notice.waitFor({ timeout: UI_TIMEOUT });
    expect(await notice.getAttribute('data-stale')).toBe('false');
    expect(await seen(notice)).toContain("Couldn't reach the desk");
    expect(await seen(notice)).toContain('nothing saved of this live file');
    await expectPlainWords(notice);
    expect(await notice.getByRole('link', { name: 'Back to live files' }).count()).toBe(1);
    await screenshot(a.page, 'desk-1280-load-failed-nothing-saved', { fullPage: false });

    await a.page.unroute(liveFileRead);
    await a.page.getByTestId('try-again').click();
    await a.page.getByTestId('live-file-title').waitFor({ timeout: UI_TIMEOUT });
    await expect.poll(() => cards(a.page).count(), { timeout: UI_TIMEOUT }).toBe(entries.length);
  });

  it('[ER3] the live files list answers 503: the list this device last saw, said so, and Try again brings the live list', async () => {
    const a = await newDeskContext(browser, server, 'editor', { phone: true });
    open.push(a);
    await a.page.getByTestId('live-file-item').first().waitFor({ timeout: UI_TIMEOUT });
    const before = await a.page.getByTestId('live-file-item').count();

    await a.page.route(liveFileList, (r) => r.fulfill(unavailable));
    await a.page.reload();
    const notice = failed(a.page);
    await notice.waitFor({ timeout: UI_TIMEOUT });
    expect(await seen(notice)).toContain("Couldn't reach the desk; showing what this device last saw");
    await expectPlainWords(notice);
    expect(await a.page.getByTestId('live-file-item').count()).toBe(before);
    await screenshot(a.page, 'files-390-load-failed-last-known', { fullPage: false });

    await a.page.unroute(liveFileList);
    await a.page.getByTestId('try-again').click();
    await expect.poll(() => failed(a.page).count(), { timeout: UI_TIMEOUT }).toBe(0);
    expect(await a.page.getByTestId('live-file-item').count()).toBe(before);
  });

  it('[ER1] signing in while the server answers 503: plain words, the code under Details, the form kept', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const page = await context.newPage();
    try {
      await page.route((url) => url.pathname === '/api/session', (r) => (r.request().method() === 'POST' ? r.fulfill(unavailable) : r.fallback()));
      await page.goto(server.url);
      await page.getByTestId('signin-username').fill('editor');
      await page.getByTestId('signin-password').fill('whatever it is');
      await page.getByTestId('signin-submit').click();
      const error = page.getByTestId('signin-error');
      await error.waitFor({ timeout: UI_TIMEOUT });
      expect(await seen(error)).toContain("Couldn't sign in: the desk server isn't answering just now. Try again in a moment.");
      await expectPlainWords(error);
      expect(await page.getByTestId('signin-username').inputValue()).toBe('editor');
      await screenshot(page, 'signin-390-server-unavailable');
    } finally {
      await context.close();
    }
  });
});
