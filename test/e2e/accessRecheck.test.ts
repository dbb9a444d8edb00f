import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import * as Y from 'yjs';
import { entryDocName } from '../../shared/collab/docName.js';
import { textOf } from '../support/entryText.js';
import { describeE2E, launchChromium, newDeskContext, type DeskSession } from '../support/chromium.js';
import { startTestServer, type TestServer } from '../support/startTestServer.js';
import { caretAtEnd, card, createEntryViaApi, demoFile, openLiveFile, UI_TIMEOUT, type LiveFileJson } from '../support/e2eDesk.js';

/** docs/spec.md AC7: a role change reaches a desk that is already open, in the browser too. */
describeE2E('access re-checked on an open desk (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let file: LiveFileJson;
  let demoted: DeskSession;
  let colleague: DeskSession;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchChromium()]);
    ({ file } = await demoFile(server));
    demoted = await newDeskContext(browser, server, 'editor2');
    colleague = await newDeskContext(browser, server, 'editor');
  });
  afterAll(async () => {
    await demoted?.context.close();
    await colleague?.context.close();
    await browser?.close();
    await server?.close();
  });

  it('[AC7] an editor demoted while typing is told at once, editing stops, and nothing more of theirs reaches the desk', async () => {
    const entry = await createEntryViaApi(server, 'editor', file.id, 'Уровень воды растёт.');
    await Promise.all([openLiveFile(demoted.page, server, file.id), openLiveFile(colleague.page, server, file.id)]);
    const content = await caretAtEnd(demoted.page, entry.id);
    await demoted.page.keyboard.type(' Before.');
    const seen = card(colleague.page, entry.id).getByTestId('entry-preview');
    await expect.poll(() => seen.textContent(), { timeout: UI_TIMEOUT }).toContain('Before.');

    const accountId = (await server.store.accounts.findByUsername('editor2'))!.id;
    const started = Date.now();
    await server.server.services.accounts.updateAccount(accountId, { role: 'correspondent' });
    const banner = demoted.page.getByTestId('read-only-banner');
    await banner.waitFor({ timeout: UI_TIMEOUT });
    const tookMs = Date.now() - started;
    expect(await banner.getAttribute('data-reason')).toBe('access-revoked');
    expect(await banner.textContent()).toContain('Your access was removed.');
    await expect.poll(() => content.getAttribute('contenteditable'), { timeout: UI_TIMEOUT }).toBe('false');
    // Typing now changes nothing anywhere (the editor is read-only, the server would drop it anyway).
    await demoted.page.keyboard.type(' After.');
    const stored = new Y.Doc();
    Y.applyUpdate(stored, await server.server.collab.read(entryDocName(entry.id)));
    expect(textOf(stored)).toContain('Before.');
    expect(textOf(stored)).not.toContain('After.');
    console.log(`[AC7] demotion to banner in Chromium: ${tookMs} ms`);
    expect([...demoted.errors, ...colleague.errors].filter((e) => !/WebSocket|1006|403/.test(e))).toEqual([]);
    await server.server.services.accounts.updateAccount(accountId, { role: 'editor' });
  });
});
