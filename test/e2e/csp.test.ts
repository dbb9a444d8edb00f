import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeE2E, launchChromium, newDeskContext, signInThroughForm, DESKTOP } from '../support/chromium.js';
import { loginOf, startTestServer, type TestServer } from '../support/startTestServer.js';
import { caretAtEnd, demoFile, remoteCaret, openLiveFile, UI_TIMEOUT, type EntryJson, type LiveFileJson } from '../support/e2eDesk.js';

/**
 * Records every CSP violation the page reports (the `securitypolicyviolation` event, from the first
 * script on), beside Chromium's console lines ("Refused to …"). An init script runs through the
 * DevTools protocol, so the CSP does not stop the recorder itself.
 */
const RECORDER = `(() => {
  const seen = [];
  window.__cspViolations = seen;
  document.addEventListener('securitypolicyviolation', (e) => seen.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber), true);
})();`;

interface Watched {
  page: Page;
  /** Violations from the event, for every document this page has shown, and console refusals. */
  violations(): Promise<string[]>;
}

async function watched(context: BrowserContext, page?: Page): Promise<Watched> {
  await context.addInitScript(RECORDER);
  const p = page ?? (await context.newPage());
  const refused: string[] = [];
  p.on('console', (msg) => {
    if (/Refused to|Content Security Policy/i.test(msg.text())) refused.push(`console: ${msg.text()}`);
  });
  let earlier: string[] = [];
  return {
    page: p,
    async violations() {
      const now = await p.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []).catch(() => []);
      earlier = [...new Set([...earlier, ...now])];
      return [...earlier, ...refused];
    },
  };
}

/** docs/spec.md SEC4: the desk's CSP refuses nothing the desk itself does. */
describeE2E('the Content-Security-Policy on the desk (Chromium)', () => {
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

  it('[SEC4] the recorder sees a violation when there is one (an injected inline script)', async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    try {
      const w = await watched(context);
      const response = await w.page.goto(server.url);
      expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
      await w.page.getByTestId('signin-form').waitFor({ timeout: UI_TIMEOUT });
      await w.page.evaluate(() => {
        const s = document.createElement('script');
        s.textContent = 'window.__injected = true';
        document.head.append(s);
      });
      await expect.poll(() => w.violations()).toEqual(expect.arrayContaining([expect.stringContaining('script-src')]));
      expect(await w.page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
    } finally {
      await context.close();
    }
  });

  it('[SEC4] no violation on sign-in, the live-files list, a live file with an editor open and a colleague in it, the sessions page and the admin page', async () => {
    const editorCtx = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB', timezoneId: 'Asia/Almaty', reducedMotion: 'reduce' });
    const colleague = await newDeskContext(browser, server, 'editor2', { noNavigate: true });
    const admin = await newDeskContext(browser, server, 'admin', { noNavigate: true });
    try {
      const editor = await watched(editorCtx);
      const page = editor.page;
      // Sign-in, through the form; then the list.
      await page.goto(server.url);
      await page.getByTestId('signin-form').waitFor({ timeout: UI_TIMEOUT });
      await signInThroughForm(page, 'editor', loginOf(server, 'editor').password);
      await page.locator('[data-testid="live-file-item"]').first().waitFor({ timeout: UI_TIMEOUT });
      // A live file: Socket.IO, the desk document and an entry's editor over /collab, a colleague's caret.
      const entry = entries[0]!;
      const other = await watched(colleague.context, colleague.page);
      await openLiveFile(page, server, file.id);
      await openLiveFile(other.page, server, file.id);
      await caretAtEnd(page, entry.id);
      await page.keyboard.type(' Проверка.');
      await caretAtEnd(other.page, entry.id);
      await other.page.keyboard.type(' Тексеру.');
      await remoteCaret(page, entry.id, colleague.displayName).waitFor({ timeout: UI_TIMEOUT });
      await expect.poll(() => page.getByTestId('connection-status').getAttribute('data-state'), { timeout: UI_TIMEOUT }).toBe('live');
      // Night mode and the sessions page.
      await page.getByTestId('theme-switch').click();
      await page.getByTestId('who').click();
      await page.getByTestId('session-row').first().waitFor({ timeout: UI_TIMEOUT });
      // The admin page.
      const adm = await watched(admin.context, admin.page);
      await adm.page.goto(server.url);
      await adm.page.locator('[data-testid="person-row"]').first().waitFor({ timeout: UI_TIMEOUT });
      await adm.page.getByTestId('add-person').click();
      await adm.page.getByTestId('new-display-name').waitFor();

      expect(await editor.violations()).toEqual([]);
      expect(await other.violations()).toEqual([]);
      expect(await adm.violations()).toEqual([]);
    } finally {
      await editorCtx.close();
      await colleague.context.close();
      await admin.context.close();
    }
  });
});
