import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { describeE2E, launchChromium, newDeskContext, DESKTOP, PHONE } from '../support/chromium.js';
import { startTestServer, type TestServer } from '../support/startTestServer.js';
import { caretAtEnd, demoFile, openLiveFile, UI_TIMEOUT, type EntryJson, type LiveFileJson } from '../support/e2eDesk.js';
import { blockingViolations, findings, formatFindings, runAxe } from '../support/e2eAxe.js';

/**
 * axe-core on every page, at desktop and phone widths: zero serious or critical violations
 * (ux.md §6; WCAG 2.1 A/AA as axe checks it). Each page is checked in the states people meet
 * first: sign-in and its error, the live files list, a live file with an editor open and a
 * colleague in it (presence avatars in the header and on the card).
 */
const SIZES = [
  { name: '1280', viewport: DESKTOP, phone: false },
  { name: '390', viewport: PHONE, phone: true },
] as const;

describeE2E('accessibility of every page (axe-core in Chromium)', () => {
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

  async function expectNoBlocking(page: Page, what: string) {
    const found = await blockingViolations(page);
    expect(found, `${what}: serious or critical axe violations:\n  ${formatFindings(found)}`).toEqual([]);
  }

  for (const size of SIZES) {
    it(`[AX1] sign-in page and its error at ${size.name} px`, async () => {
      const context = await browser.newContext({
        viewport: size.viewport, ...(size.phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}), reducedMotion: 'reduce',
      });
      const page = await context.newPage();
      try {
        await page.goto(server.url);
        await page.getByTestId('signin-form').waitFor({ timeout: UI_TIMEOUT });
        await expectNoBlocking(page, 'sign-in');
        await page.getByTestId('signin-username').fill('editor');
        await page.getByTestId('signin-password').fill('not the password');
        await page.getByTestId('signin-submit').click();
        await page.getByTestId('signin-error').waitFor({ timeout: UI_TIMEOUT });
        await expectNoBlocking(page, 'sign-in with an error');
      } finally {
        await context.close();
      }
    });

    it(`[AX1] live files list at ${size.name} px`, async () => {
      const s = await newDeskContext(browser, server, 'editor', { viewport: size.viewport, phone: size.phone });
      try {
        await s.page.getByTestId('live-file-item').first().waitFor({ timeout: UI_TIMEOUT });
        await expectNoBlocking(s.page, 'the live files list');
      } finally {
        await s.context.close();
      }
    });

    it(`[AX1] [AX2] live file with an expanded editor and a colleague in it at ${size.name} px`, async () => {
      const s = await newDeskContext(browser, server, 'editor', { viewport: size.viewport, phone: size.phone, noNavigate: true });
      const colleague = await newDeskContext(browser, server, 'editor2', { noNavigate: true });
      try {
        const target = entries[1]!;
        await openLiveFile(colleague.page, server, file.id);
        await caretAtEnd(colleague.page, target.id);
        await openLiveFile(s.page, server, file.id);
        await expect.poll(() => s.page.getByTestId('connection-status').getAttribute('data-state'), { timeout: UI_TIMEOUT }).toBe('live');
        await expectNoBlocking(s.page, 'the live file');

        await caretAtEnd(s.page, target.id);
        await s.page.keyboard.type(' Updated.');
        // The colleague shows in the header facepile and on the card they are in.
        const avatars = s.page.locator('ld-live-file-page header [data-testid="presence-avatar"]');
        await expect.poll(() => avatars.count(), { timeout: UI_TIMEOUT }).toBeGreaterThanOrEqual(2);
        await expectNoBlocking(s.page, 'the live file with an open editor');

        // [AX2] Every avatar's accessible name starts with the initials it shows.
        const names = await s.page.locator('[data-testid="presence-avatar"]').evaluateAll((els) =>
          els.map((e) => ({ shown: (e.textContent ?? '').trim(), label: e.getAttribute('aria-label') ?? '' })));
        expect(names.length).toBeGreaterThanOrEqual(2);
        for (const n of names) expect(n.label.startsWith(n.shown), `"${n.label}" starts with "${n.shown}"`).toBe(true);
        const mismatch = (await runAxe(s.page, { runOnly: ['label-content-name-mismatch'] })).violations;
        expect(mismatch.map((v) => v.nodes.map((n) => n.target.join(' '))).flat()).toEqual([]);

        // The shortcut sheet, where it exists.
        const help = s.page.locator('ld-live-file-page header button.help');
        if (await help.count()) {
          await help.click();
          await expectNoBlocking(s.page, 'the live file with the shortcut sheet');
        }
        // Night mode: the same page in the dark theme (contrast of every token).
        await s.page.getByTestId('theme-switch').click();
        await expect.poll(() => s.page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
        await expectNoBlocking(s.page, 'the live file in night mode');
        const minor = findings(await runAxe(s.page), ['moderate', 'minor']);
        if (minor.length) console.log(`[axe] ${size.name} px, moderate and minor (not blocking):\n  ${formatFindings(minor)}`);
      } finally {
        await colleague.context.close();
        await s.context.close();
      }
    });
  }
});
