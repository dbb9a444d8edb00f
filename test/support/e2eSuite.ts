// One server and one Chromium for a describe block, and an editor's desk on the demo live file
// opened per test (closed after it): the set-up most desk e2e suites share.
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, newDeskContext, type DeskSession } from './chromium.js';
import { startTestServer, type TestServer } from './startTestServer.js';
import { connection, demoFile, openLiveFile, UI_TIMEOUT, type LiveFileJson } from './e2eDesk.js';

export interface DeskSuite {
  readonly server: TestServer;
  readonly browser: Browser;
  readonly file: LiveFileJson;
  /** The demo file open for `editor`, live and showing its cards. */
  openDemoDesk(opts?: { phone?: boolean }): Promise<Page>;
}

/** Call inside a describe block: registers its hooks and returns the suite's parts. */
export function useDeskSuite(): DeskSuite {
  let server: TestServer;
  let browser: Browser;
  let file: LiveFileJson;
  const sessions: DeskSession[] = [];
  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchChromium()]);
    ({ file } = await demoFile(server));
  });
  afterEach(async () => {
    for (const s of sessions.splice(0)) await s.context.close();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get server() { return server; },
    get browser() { return browser; },
    get file() { return file; },
    async openDemoDesk(opts = {}) {
      const s = await newDeskContext(browser, server, 'editor', { phone: opts.phone, noNavigate: true });
      sessions.push(s);
      await openLiveFile(s.page, server, file.id);
      await expect.poll(() => connection(s.page).then((c) => c.state), { timeout: UI_TIMEOUT }).toBe('live');
      await expect.poll(() => s.page.getByTestId('entry-card').count(), { timeout: UI_TIMEOUT }).toBeGreaterThanOrEqual(8);
      return s.page;
    },
  };
}
