import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { describeE2E, launchChromium, newDeskContext, type DeskSession } from '../support/chromium.js';
import { startTestServer, type TestServer } from '../support/startTestServer.js';
import { apiAs, card, connection, deskOrder, editorText, isEditorFocused, openLiveFile, UI_TIMEOUT, type EntryJson, type LiveFileJson } from '../support/e2eDesk.js';

/**
 * ux.md §1 "N adds a draft at the top with the caret in it" and rule 1 "never lose text": what is
 * typed right after N, while the entry is still being created, lands in it, and its letters are
 * not desk shortcuts (K key event, P pin, N another entry).
 */
describeE2E('typing right after N (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let file: LiveFileJson;
  let a: DeskSession;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchChromium()]);
    const list = await (await apiAs(server, 'editor')).get('/api/live-files');
    file = (list.json as unknown as { liveFiles: LiveFileJson[] }).liveFiles.find((f) => f.title.startsWith('Almaty floods'))!;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  beforeEach(async () => {
    a = await newDeskContext(browser, server, 'editor', { noNavigate: true });
    await openLiveFile(a.page, server, file.id);
    await expect.poll(() => connection(a.page).then((c) => c.state), { timeout: UI_TIMEOUT }).toBe('live');
    await expect.poll(() => a.page.getByTestId('entry-card').count(), { timeout: UI_TIMEOUT }).toBeGreaterThan(0);
    // A slow create (a busy server, a phone network): every key below is typed before the entry exists.
    await a.page.route('**/api/live-files/*/entries', async (route) => {
      if (route.request().method() === 'POST') await new Promise((r) => setTimeout(r, 600));
      await route.continue();
    });
  });
  afterEach(async () => {
    await a?.context.close();
  });

  async function newEntryAfter(before: Set<string>): Promise<string> {
    let id: string | undefined;
    await expect.poll(async () => (id = (await deskOrder(a.page)).find((x) => !before.has(x))), { timeout: UI_TIMEOUT }).toBeTruthy();
    return id!;
  }

  async function serverPreview(entryId: string): Promise<string | undefined> {
    const read = await (await apiAs(server, 'editor')).get(`/api/live-files/${file.id}`);
    return (read.json as unknown as { entries: EntryJson[] }).entries.find((e) => e.id === entryId)?.preview;
  }

  it('press N with a card focused, type at once: the text is exactly what was typed, nothing pinned or marked', async () => {
    const text = 'Roads to Kapchagay closed';
    // Focus a card, so P and K would act on it if they were taken as shortcuts.
    const first = (await deskOrder(a.page))[0]!;
    await card(a.page, first).focus();
    const firstBefore = await card(a.page, first).evaluate((c) => ({ pinned: c.hasAttribute('pinned'), key: c.hasAttribute('key-event') }));
    const before = new Set(await deskOrder(a.page));
    const count = before.size;

    await a.page.keyboard.press('n');
    await a.page.keyboard.type(text);

    const id = await newEntryAfter(before);
    await expect.poll(() => isEditorFocused(a.page, id), { timeout: UI_TIMEOUT }).toBe(true);
    await expect.poll(() => editorText(a.page, id), { timeout: UI_TIMEOUT }).toBe(text);
    // Typing goes on where the type-ahead ended.
    await a.page.keyboard.type(' in both directions.');
    await expect.poll(() => editorText(a.page, id), { timeout: UI_TIMEOUT }).toBe(`${text} in both directions.`);

    const c = card(a.page, id);
    expect(await c.getAttribute('key-event'), 'the K of "Kapchagay" did not mark it a key event').toBeNull();
    expect(await c.getAttribute('pinned'), 'the p of "Kapchagay" did not pin it').toBeNull();
    expect(await c.getByTestId('key-mark').count()).toBe(0);
    expect(await c.getByTestId('pinned-mark').count()).toBe(0);
    expect(await card(a.page, first).evaluate((el) => ({ pinned: el.hasAttribute('pinned'), key: el.hasAttribute('key-event') })),
      'the card focused before N is unchanged').toEqual(firstBefore);
    expect(await a.page.getByTestId('entry-card').count(), 'no second entry from a typed n').toBe(count + 1);
    await expect.poll(() => serverPreview(id), { timeout: UI_TIMEOUT }).toBe(`${text} in both directions.`);
    expect(a.errors).toEqual([]);
  });

  it('click "New entry", type at once (with a typo fixed by Backspace): the text lands in the new entry', async () => {
    const before = new Set(await deskOrder(a.page));
    await a.page.getByTestId('new-entry').click();
    await a.page.keyboard.type('Roads to Kapchagayy');
    await a.page.keyboard.press('Backspace');
    await a.page.keyboard.type(' closed');

    const id = await newEntryAfter(before);
    await expect.poll(() => editorText(a.page, id), { timeout: UI_TIMEOUT }).toBe('Roads to Kapchagay closed');
    expect(await card(a.page, id).getAttribute('key-event')).toBeNull();
    expect(await card(a.page, id).getAttribute('pinned')).toBeNull();
    expect(await a.page.getByTestId('entry-card').count()).toBe(before.size + 1);
    expect(a.errors).toEqual([]);
  });
});
