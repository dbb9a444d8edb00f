import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { describeE2E, launchChromium, newDeskContext, type DeskSession } from '../support/chromium.js';
import { startTestServer, type TestServer } from '../support/startTestServer.js';
import { card, connection, createEntryViaApi, demoFile, openLiveFile, UI_TIMEOUT, type LiveFileJson } from '../support/e2eDesk.js';

/** ux.md §1 toolbar "[Search /]": find an entry in a long file by any word, in any of our scripts. */
describeE2E('desk search (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let file: LiveFileJson;
  let a: DeskSession;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchChromium()]);
    file = (await demoFile(server)).file;
    a = await newDeskContext(browser, server, 'editor', { noNavigate: true });
    await openLiveFile(a.page, server, file.id);
  });
  afterAll(async () => {
    await a?.context.close();
    await browser?.close();
    await server?.close();
  });

  const cards = () => a.page.getByTestId('entry-card');
  const visibleTexts = () => cards().evaluateAll((els) => els.map((el) => `${el.shadowRoot?.textContent ?? ''} ${el.textContent ?? ''}`.toLowerCase()));

  it('/ focuses the box; Cyrillic and Kazakh match whatever the case; live entries are searched too; Esc clears', async () => {
    await expect.poll(() => connection(a.page).then((c) => c.state), { timeout: UI_TIMEOUT }).toBe('live');
    await expect.poll(() => cards().count(), { timeout: UI_TIMEOUT }).toBeGreaterThan(5);
    const all = await cards().count();
    const search = a.page.getByTestId('desk-search');

    await a.page.locator('body').click({ position: { x: 5, y: 5 } }); // outside any editor
    await a.page.keyboard.press('/');
    await expect.poll(() => search.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    await a.page.keyboard.type('МЕДЕУ');
    // The Russian and the Kazakh report both say "Медеу…"; nothing else does.
    await expect.poll(() => cards().count(), { timeout: UI_TIMEOUT }).toBe(2);
    for (const text of await visibleTexts()) expect(text).toContain('медеу');

    // Colleagues file two entries: the one that matches shows up in the searched desk at once; the
    // other, filed first (so it has reached this page once the second shows), stays hidden.
    const other = await createEntryViaApi(server, 'editor2', file.id, 'Power is back in the upper districts.');
    const filed = await createEntryViaApi(server, 'editor2', file.id, 'Медеу ауданында су деңгейі төмендеді.');
    await expect.poll(() => card(a.page, filed.id).count(), { timeout: UI_TIMEOUT }).toBe(1);
    expect(await card(a.page, other.id).count()).toBe(0);
    expect(await cards().count()).toBe(3);

    await a.page.keyboard.press('Escape');
    await expect.poll(() => cards().count(), { timeout: UI_TIMEOUT }).toBe(all + 2);
    expect(await search.inputValue()).toBe('');
  });

  it('every word must match; a query nothing matches says so and offers to clear it', async () => {
    const search = a.page.getByTestId('desk-search');
    await search.fill('medeu akimat');
    await expect.poll(() => cards().count(), { timeout: UI_TIMEOUT }).toBe(1);
    expect((await visibleTexts())[0]).toContain('where to get help');

    await search.fill('tsunami');
    await expect.poll(() => a.page.getByTestId('no-match').isVisible(), { timeout: UI_TIMEOUT }).toBe(true);
    await a.page.getByTestId('no-match').getByRole('button', { name: 'Clear the search' }).click();
    await expect.poll(() => cards().count(), { timeout: UI_TIMEOUT }).toBeGreaterThan(5);
  });
});
