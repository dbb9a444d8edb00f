import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { describeE2E, goOffline, goOnline, launchChromium, newDeskContext, screenshot, withoutOfflineNoise, PHONE, type DeskSession } from '../support/chromium.js';
import { startTestServer, type TestServer } from '../support/startTestServer.js';
import { blockingViolations, formatFindings } from '../support/e2eAxe.js';
import { apiAs, card, connection, deskOrder, editorText, expandEntry, isEditorFocused, openLiveFile, UI_TIMEOUT, type EntryJson, type LiveFileJson } from '../support/e2eDesk.js';

/**
 * ux.md rule 1 "never lose text" and §3 "submit writes to the outbox first (with an idempotency key)":
 * a new entry made while the server cannot be reached waits on this device, editable, and is
 * created once, with everything typed into it, when the server answers.
 */
describeE2E('a new entry made offline (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let file: LiveFileJson;
  let a: DeskSession;
  let b: DeskSession;
  /** Idempotency keys of every create request A's page made. */
  let keys: string[];

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
    [a, b] = await Promise.all([
      newDeskContext(browser, server, 'editor', { noNavigate: true }),
      newDeskContext(browser, server, 'editor2', { noNavigate: true }),
    ]);
    keys = [];
    a.page.on('request', (req) => {
      if (req.method() === 'POST' && /\/api\/live-files\/[^/]+\/entries$/.test(req.url())) keys.push((req.postDataJSON() as { idempotencyKey: string }).idempotencyKey);
    });
    await Promise.all([openLiveFile(a.page, server, file.id), openLiveFile(b.page, server, file.id)]);
    for (const s of [a, b]) await expect.poll(() => connection(s.page).then((c) => c.state), { timeout: UI_TIMEOUT }).toBe('live');
  });
  afterEach(async () => {
    await a?.context.close();
    await b?.context.close();
  });

  async function serverEntries(): Promise<EntryJson[]> {
    const read = await (await apiAs(server, 'editor')).get(`/api/live-files/${file.id}`);
    return (read.json as unknown as { entries: EntryJson[] }).entries;
  }

  function pendingCard(page: Page) {
    return page.getByTestId('pending-entry');
  }

  async function pendingText(page: Page): Promise<string | null> {
    return pendingCard(page).first().evaluate((el) => {
      // The plain field stands in when the editor's code could not be fetched (offline before any entry was opened).
      const plain = el.shadowRoot?.querySelector('textarea');
      if (plain) return plain.value;
      const ed = el.shadowRoot?.querySelector('ld-entry-editor') as (HTMLElement & { editorView?: { state: { doc: { content: { size: number }; textBetween(a: number, b: number, s: string): string } } } }) | null;
      const doc = ed?.editorView?.state.doc;
      return doc ? doc.textBetween(0, doc.content.size, '\n') : null;
    });
  }

  it('[OB1] offline: New entry, type; it waits on the device; online: created once with every word, the other editor sees it', async () => {
    const before = new Set(await deskOrder(a.page));
    const serverBefore = (await serverEntries()).length;
    await goOffline(a.context);

    await a.page.getByTestId('new-entry').click();
    await a.page.keyboard.type('Roads to Kapchagay closed');
    await pendingCard(a.page).waitFor({ timeout: UI_TIMEOUT });
    await expect.poll(() => pendingText(a.page), { timeout: UI_TIMEOUT }).toBe('Roads to Kapchagay closed');
    await a.page.keyboard.type(' in both directions.');
    await expect.poll(() => pendingText(a.page)).toBe('Roads to Kapchagay closed in both directions.');
    expect(await pendingCard(a.page).getByTestId('pending-state').textContent()).toContain('Waiting to send');
    // No "can't be reached" failure: the entry is simply waiting, and the header counts it.
    expect(await a.page.locator('ld-live-file-page p.error[role=alert]').count()).toBe(0);
    await expect.poll(() => connection(a.page).then((c) => c.unsent), { timeout: UI_TIMEOUT }).toBeGreaterThanOrEqual(1);
    await screenshot(a.page, 'offline-create-1280', { fullPage: false });
    const axe = await blockingViolations(a.page);
    expect(axe, `the waiting card: ${formatFindings(axe)}`).toEqual([]);
    expect((await serverEntries()).length, 'nothing reached the server').toBe(serverBefore);

    // Back online, the create goes out (slowly: a phone network) while the person keeps typing.
    await a.page.route('**/api/live-files/*/entries', async (route) => {
      if (route.request().method() === 'POST') await new Promise((r) => setTimeout(r, 700));
      await route.continue();
    });
    await goOnline(a.context);
    await a.page.keyboard.type(' Police are at the bridge.', { delay: 40 });
    const text = 'Roads to Kapchagay closed in both directions. Police are at the bridge.';

    let id: string | undefined;
    await expect.poll(async () => (id = (await deskOrder(a.page)).find((x) => !before.has(x))), { timeout: UI_TIMEOUT }).toBeTruthy();
    await expect.poll(() => pendingCard(a.page).count(), { timeout: UI_TIMEOUT }).toBe(0);
    await expect.poll(() => editorText(a.page, id!), { timeout: UI_TIMEOUT }).toBe(text);
    // The real card took over with the caret in its text: typing goes on there.
    await expect.poll(() => isEditorFocused(a.page, id!), { timeout: UI_TIMEOUT }).toBe(true);
    await a.page.keyboard.type(' Detour via Kaskelen.');
    const full = `${text} Detour via Kaskelen.`;
    await expect.poll(() => editorText(a.page, id!), { timeout: UI_TIMEOUT }).toBe(full);

    // Exactly one entry on the server, with the whole text; every request used the same key.
    await expect.poll(async () => (await serverEntries()).filter((e) => e.preview.includes('Kapchagay')).map((e) => [e.id, e.preview]), { timeout: UI_TIMEOUT })
      .toEqual([[id, full]]);
    expect((await serverEntries()).length).toBe(serverBefore + 1);
    expect(keys.length, 'the offline try and the one that got through').toBeGreaterThanOrEqual(2);
    expect(new Set(keys).size, `one idempotency key for every try: ${keys.join(', ')}`).toBe(1);
    await expect.poll(() => connection(a.page), { timeout: 30_000 }).toMatchObject({ state: 'live', unsent: 0 });

    // The other editor sees it, text and all.
    await card(b.page, id!).waitFor({ timeout: UI_TIMEOUT });
    await expandEntry(b.page, id!);
    await expect.poll(() => editorText(b.page, id!), { timeout: UI_TIMEOUT }).toBe(full);
    // Nothing left in the outbox.
    expect(await a.page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('livedesk:outbox:')))).toEqual([]);
    expect(withoutOfflineNoise(a.errors)).toEqual([]);
  });

  it('[OB3] with the editor already loaded, the waiting entry is the rich editor: paragraphs and a fixed typo arrive as typed', async () => {
    // Open one entry first: the editor's code is on the page before the network goes.
    const first = (await deskOrder(a.page))[1]!;
    await expandEntry(a.page, first);
    await goOffline(a.context);
    await a.page.getByTestId('new-entry').click();
    await pendingCard(a.page).waitFor({ timeout: UI_TIMEOUT });
    await expect.poll(() => pendingCard(a.page).locator('[data-testid="editor-content"]').count(), { timeout: UI_TIMEOUT }).toBe(1);
    await a.page.keyboard.type('Water is falling in Medeuu');
    await a.page.keyboard.press('Backspace');
    await a.page.keyboard.press('Enter');
    await a.page.keyboard.type('Next update at 18:00.');
    await expect.poll(() => pendingText(a.page), { timeout: UI_TIMEOUT }).toBe('Water is falling in Medeu\nNext update at 18:00.');
    await goOnline(a.context);
    await expect.poll(() => pendingCard(a.page).count(), { timeout: UI_TIMEOUT }).toBe(0);
    await expect.poll(async () => (await serverEntries()).filter((e) => e.preview.includes('Water is falling')).map((e) => e.preview), { timeout: UI_TIMEOUT })
      .toEqual(['Water is falling in Medeu\n\nNext update at 18:00.']);
    expect(new Set(keys).size).toBe(1);
    await expect.poll(() => connection(a.page), { timeout: 30_000 }).toMatchObject({ state: 'live', unsent: 0 });
  });

  it('[OB2] the server away: the waiting entry and its text survive a reload, and are created once when it answers', async () => {
    const serverBefore = (await serverEntries()).length;
    // The server does not answer creates (down behind its proxy): the page loads, creates fail.
    await a.page.route('**/api/live-files/*/entries', (route) => (route.request().method() === 'POST' ? route.abort('connectionrefused') : route.continue()));
    await a.page.getByTestId('new-entry').click();
    await a.page.keyboard.type('Shelter at School No. 12 is full.');
    await expect.poll(() => pendingText(a.page), { timeout: UI_TIMEOUT }).toBe('Shelter at School No. 12 is full.');
    await a.page.setViewportSize(PHONE);
    await screenshot(a.page, 'offline-create-390', { fullPage: false });

    await a.page.reload();
    await a.page.getByTestId('live-file-title').waitFor({ timeout: UI_TIMEOUT });
    await pendingCard(a.page).waitFor({ timeout: UI_TIMEOUT });
    await expect.poll(() => pendingText(a.page), { timeout: UI_TIMEOUT }).toBe('Shelter at School No. 12 is full.');
    expect((await serverEntries()).length).toBe(serverBefore);

    await a.page.unroute('**/api/live-files/*/entries');
    // The next try (the backoff timer) gets through.
    await expect.poll(async () => (await serverEntries()).filter((e) => e.preview.includes('School No. 12 is full')).length, { timeout: 45_000 }).toBe(1);
    await expect.poll(() => pendingCard(a.page).count(), { timeout: UI_TIMEOUT }).toBe(0);
    expect((await serverEntries()).length).toBe(serverBefore + 1);
    expect(new Set(keys).size).toBe(1);
    expect(withoutOfflineNoise(a.errors).filter((e) => !/ERR_CONNECTION_REFUSED/.test(e))).toEqual([]);
  });
});
