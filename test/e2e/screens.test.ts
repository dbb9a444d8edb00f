import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { describeE2E, launchChromium, newDeskContext, screenshot, DESKTOP, PHONE, type DeskSession } from '../support/chromium.js';
import { startTestServer, type TestServer } from '../support/startTestServer.js';
import { caretAtEnd, demoFile, horizontalOverflow, openLiveFile, UI_TIMEOUT, type EntryJson, type LiveFileJson } from '../support/e2eDesk.js';

/**
 * Screenshots of every page for visual review (screenshots/, gitignored), and the one layout rule we
 * can check mechanically: nothing scrolls sideways on a phone, down to 320 px.
 */
const SIZES = [
  { name: '1280', viewport: DESKTOP, phone: false },
  { name: '390', viewport: PHONE, phone: true },
  { name: '320', viewport: { width: 320, height: 640 }, phone: true },
] as const;

describeE2E('every page at desktop and phone widths (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let file: LiveFileJson;
  let entries: EntryJson[];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchChromium()]);
    ({ file, entries } = await demoFile(server));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function noSidewaysScroll(page: Page, what: string, width: number) {
    if (width > 400) return;
    const { overflow, culprits } = await horizontalOverflow(page);
    expect(overflow, `${what} at ${width} px scrolls sideways by ${overflow} px; wider than the screen: ${culprits.join(', ')}`).toBeLessThanOrEqual(0);
  }

  for (const size of SIZES) {
    it(`sign-in page at ${size.name} px`, async () => {
      const context = await browser.newContext({
        viewport: size.viewport, ...(size.phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}), reducedMotion: 'reduce',
      });
      const page = await context.newPage();
      try {
        await page.goto(server.url);
        await page.getByTestId('signin-form').waitFor({ timeout: UI_TIMEOUT });
        await screenshot(page, `signin-${size.name}`);
        // The error state too: it must fit the form.
        await page.getByTestId('signin-username').fill('editor');
        await page.getByTestId('signin-password').fill('not the password');
        await page.getByTestId('signin-submit').click();
        await page.getByTestId('signin-error').waitFor({ timeout: UI_TIMEOUT });
        await screenshot(page, `signin-${size.name}-error`);
        await noSidewaysScroll(page, 'the sign-in page', size.viewport.width);
      } finally {
        await context.close();
      }
    });

    it(`desk (live files list) at ${size.name} px`, async () => {
      const s = await newDeskContext(browser, server, 'editor', { viewport: size.viewport, phone: size.phone });
      try {
        await s.page.getByTestId('live-file-item').first().waitFor({ timeout: UI_TIMEOUT });
        await screenshot(s.page, `desk-list-${size.name}`);
        await noSidewaysScroll(s.page, 'the live files list', size.viewport.width);
        expect(s.errors).toEqual([]);
      } finally {
        await s.context.close();
      }
    });

    it(`live file with an expanded editor at ${size.name} px`, async () => {
      const s: DeskSession = await newDeskContext(browser, server, 'editor', { viewport: size.viewport, phone: size.phone, noNavigate: true });
      try {
        await openLiveFile(s.page, server, file.id);
        await expect.poll(() => s.page.getByTestId('entry-card').count(), { timeout: UI_TIMEOUT }).toBeGreaterThanOrEqual(12);
        await expect.poll(() => s.page.getByTestId('connection-status').getAttribute('data-state'), { timeout: UI_TIMEOUT }).toBe('live');
        await screenshot(s.page, `live-file-${size.name}`, { fullPage: false });
        await noSidewaysScroll(s.page, 'the live file', size.viewport.width);

        // Expand the first unpinned entry (a long Russian/Kazakh text would do as well) and type in it.
        const target = entries.find((e) => /Акимат города/.test(e.preview)) ?? entries[0]!;
        await caretAtEnd(s.page, target.id);
        await s.page.keyboard.type(' Обновлено.');
        await screenshot(s.page, `live-file-${size.name}-editor`, { fullPage: false });
        await screenshot(s.page, `live-file-${size.name}-editor-full`);
        await noSidewaysScroll(s.page, 'the live file with an open editor', size.viewport.width);

        // A search in progress: the box, the filtered column, nothing pushed sideways.
        await s.page.getByTestId('desk-search').fill('Медеу');
        await expect.poll(() => s.page.getByTestId('entry-card').count(), { timeout: UI_TIMEOUT }).toBe(2);
        await screenshot(s.page, `live-file-${size.name}-search`, { fullPage: false });
        await noSidewaysScroll(s.page, 'the live file with a search', size.viewport.width);
        await s.page.getByTestId('desk-search').fill('');

        // The shortcut sheet, where it exists.
        const help = s.page.locator('ld-live-file-page header button.help');
        if (await help.count()) {
          await help.click();
          await screenshot(s.page, `live-file-${size.name}-help`, { fullPage: false });
          await noSidewaysScroll(s.page, 'the live file with the shortcut sheet', size.viewport.width);
        }
        expect(s.errors).toEqual([]);
      } finally {
        await s.context.close();
      }
    });
  }
});
