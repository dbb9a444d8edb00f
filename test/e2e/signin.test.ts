import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { describeE2E, launchChromium, newDeskContext, signInThroughForm, watchErrors, DESKTOP } from '../support/chromium.js';
import { startTestServer, loginOf, type TestServer } from '../support/startTestServer.js';
import { card, demoFile, UI_TIMEOUT, type EntryJson, type LiveFileJson } from '../support/e2eDesk.js';

describeE2E('sign-in and the desk (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let file: LiveFileJson;
  let entries: EntryJson[];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchChromium()]);
    ({ file, entries } = await demoFile(server, 'editor'));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the demo editor signs in through the form, sees the demo live file, opens it and reads its dozen entries byte-exact', async () => {
    expect(entries).toHaveLength(12);
    // The demo speaks three languages; make sure the texts we compare really include them.
    expect(entries.some((e) => /[а-яё]/i.test(e.preview) && !/[әғқңөұүһі]/i.test(e.preview))).toBe(true); // Russian
    expect(entries.some((e) => /[әғқңөұүһі]/i.test(e.preview))).toBe(true); // Kazakh

    const s = await newDeskContext(browser, server, 'editor', { viaForm: true });
    const { page } = s;
    try {
      // Signed in: the bar names the person, and the desk lists the demo file.
      await expect.poll(() => page.locator('nav .who').textContent(), { timeout: UI_TIMEOUT }).toContain('Arman Nurlanov');
      const item = page.locator(`[data-testid="live-file-item"][data-live-file-id="${file.id}"]`);
      await item.waitFor({ timeout: UI_TIMEOUT });
      expect(await item.textContent()).toContain(file.title);

      await item.click();
      await expect.poll(() => page.url()).toContain(`#/files/${file.id}`);
      await expect.poll(() => page.getByTestId('live-file-title').textContent(), { timeout: UI_TIMEOUT }).toBe(file.title);
      await expect.poll(() => page.getByTestId('entry-card').count(), { timeout: UI_TIMEOUT }).toBe(12);

      // Every entry's preview is exactly the server's (textContent: no trimming, no normalisation).
      for (const e of entries) {
        const shown = await card(page, e.id).getByTestId('entry-preview').textContent();
        expect(shown, `preview of entry ${e.id}`).toBe(e.preview);
      }
      // The page also says it is live (the desk doc connected).
      await expect.poll(() => page.getByTestId('connection-status').getAttribute('data-state'), { timeout: UI_TIMEOUT }).toBe('live');
      expect(s.errors).toEqual([]);
    } finally {
      await s.context.close();
    }
  });

  it('a wrong password shows an error where the form is, and keeps what was typed', async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    const errors = watchErrors(page);
    try {
      await page.goto(server.url);
      await page.getByTestId('signin-form').waitFor({ timeout: UI_TIMEOUT });
      await signInThroughForm(page, 'editor', `${loginOf(server, 'editor').password}-wrong`);

      const error = page.getByTestId('signin-error');
      await error.waitFor({ timeout: UI_TIMEOUT });
      expect(await error.getAttribute('role')).toBe('alert');
      expect((await error.textContent())?.trim()).toMatch(/do not match/i);
      // The message sits inside the form, right where the person is looking.
      expect(await page.locator('[data-testid="signin-form"] [data-testid="signin-error"]').count()).toBe(1);
      // Still on the sign-in page, the form keeps its fields (never clear a field on an error).
      expect(await page.getByTestId('sign-out').count()).toBe(0);
      expect(await page.getByTestId('signin-username').inputValue()).toBe('editor');
      expect(await page.getByTestId('signin-password').inputValue()).not.toBe('');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
