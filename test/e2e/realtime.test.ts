import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { describeE2E, launchChromium, newDeskContext, type DeskSession } from '../support/chromium.js';
import { startTestServer, type TestServer } from '../support/startTestServer.js';
import { card, deskOrder, isEditorFocused, demoFile, openLiveFile, UI_TIMEOUT, type LiveFileJson } from '../support/e2eDesk.js';

/** Marks the window; if the page reloads, the mark is gone. */
async function markNoReload(page: Page) {
  await page.evaluate(() => ((window as unknown as { __e2eNoReload: boolean }).__e2eNoReload = true));
}
async function stillSamePage(page: Page) {
  return page.evaluate(() => (window as unknown as { __e2eNoReload?: boolean }).__e2eNoReload === true);
}

describeE2E('live updates between two editors (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let file: LiveFileJson;
  let a: DeskSession;
  let b: DeskSession;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchChromium()]);
    ({ file } = await demoFile(server));
    a = await newDeskContext(browser, server, 'editor');
    b = await newDeskContext(browser, server, 'editor2');
  });
  afterAll(async () => {
    await a?.context.close();
    await b?.context.close();
    await browser?.close();
    await server?.close();
  });

  it('a live file created by one editor appears in the other\'s list without a reload', async () => {
    const listed = (p: Page) => p.getByTestId('live-file-item').count();
    await expect.poll(() => listed(b.page), { timeout: UI_TIMEOUT }).toBe(1);
    await markNoReload(b.page);

    const title = `Shymkent heatwave ${Date.now().toString(36)} — Шымкент, ыстық`;
    await a.page.getByTestId('create-live-file-title').fill(title);
    await a.page.getByTestId('create-live-file-submit').click();

    const item = b.page.locator('[data-testid="live-file-item"]', { hasText: title });
    await item.waitFor({ timeout: UI_TIMEOUT });
    expect(await listed(b.page)).toBe(2);
    // Newest first.
    expect(await b.page.getByTestId('live-file-item').first().textContent()).toContain(title);
    expect(await stillSamePage(b.page)).toBe(true);
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  it('a new entry created by one editor appears in the other\'s open file without a reload', async () => {
    await Promise.all([openLiveFile(a.page, server, file.id), openLiveFile(b.page, server, file.id)]);
    await Promise.all([a, b].map((s) => expect.poll(() => s.page.getByTestId('entry-card').count(), { timeout: UI_TIMEOUT }).toBe(12)));
    const before = new Set(await deskOrder(b.page));
    await markNoReload(b.page);

    await a.page.getByTestId('new-entry').click();
    // A gets the new draft at the top with the caret in it.
    await expect.poll(() => a.page.getByTestId('entry-card').count(), { timeout: UI_TIMEOUT }).toBe(13);
    const newId = (await deskOrder(a.page)).find((id) => !before.has(id));
    expect(newId).toBeTruthy();

    // B sees it without reloading, and it is a draft by Arman at the top of the unpinned band.
    await card(b.page, newId!).waitFor({ timeout: UI_TIMEOUT });
    expect(await b.page.getByTestId('entry-card').count()).toBe(13);
    expect(await card(b.page, newId!).locator('.authors').textContent()).toMatch(/Arman Nurlanov/);
    await expect.poll(async () => {
      const order = await deskOrder(b.page);
      return order.indexOf(newId!);
    }, { timeout: UI_TIMEOUT }).toBe(await firstUnpinnedIndex(b.page));
    expect(await stillSamePage(b.page)).toBe(true);

    // The caret lands in the new draft (ux.md: "N adds a draft at the top with the caret in it").
    await expect.poll(() => isEditorFocused(a.page, newId!), { timeout: UI_TIMEOUT }).toBe(true);
    // Typing in it reaches B's preview (the server keeps the preview from the document).
    await a.page.keyboard.type('Roads to Kaskelen are closed.');
    await expect.poll(() => card(b.page, newId!).getByTestId('entry-preview').textContent(), { timeout: UI_TIMEOUT })
      .toBe('Roads to Kaskelen are closed.');
    expect(await stillSamePage(b.page)).toBe(true);
    expect([...a.errors, ...b.errors]).toEqual([]);
  });
});

async function firstUnpinnedIndex(page: Page): Promise<number> {
  return page.locator('ld-entry-card').evaluateAll((els) => els.findIndex((e) => !e.hasAttribute('pinned')));
}
