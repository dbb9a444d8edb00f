import { afterAll, beforeAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Browser } from 'playwright-core';
import { describeE2E, goOffline, goOnline, launchChromium, newDeskContext, screenshot, type DeskSession } from '../support/chromium.js';
import { signIn, startTestServer, type TestServer } from '../support/startTestServer.js';
import { caretAtEnd, connection, createEntryViaApi, demoFile, editorText, expandEntry, openLiveFile, UI_TIMEOUT, type LiveFileJson } from '../support/e2eDesk.js';
import { openCollabDoc } from '../support/collabClients.js';
import { ENTRY_FRAGMENT } from '../../shared/editor/schema.js';
import { retiredDocName } from '../../server/collab/squash.js';
import { seededRandom } from '../support/seededRandom.js';

/**
 * docs/protocol.md "Big documents": an editor whose tab was away while a heavy entry was squashed
 * comes back with text typed meanwhile. The text reaches everyone, once, and the tab reloads onto
 * the new lineage by itself.
 */
describeE2E('squashed entry, editor back from offline (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let file: LiveFileJson;
  let a: DeskSession;
  let b: DeskSession;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ env: { COLLAB_SQUASH_MIN_BYTES: '4000' } }), launchChromium()]);
    file = (await demoFile(server)).file;
  });
  afterAll(async () => {
    await a?.context.close();
    await b?.context.close();
    await browser?.close();
    await server?.close();
  });

  it('the offline text is merged once, the tab reloads onto the new lineage, unsent goes to 0', async () => {
    const entry = await createEntryViaApi(server, 'editor', file.id, 'Evacuation continues.');
    const docName = `entry:${entry.id}`;
    // A long editing history: a paragraph typed and rewritten thousands of times.
    const writer = await openCollabDoc(`${server.wsUrl}/collab`, docName, { headers: { cookie: await signIn(server, 'editor2') } });
    const text = new Y.XmlText();
    writer.doc.transact(() => {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [text]);
      const frag = writer.doc.getXmlFragment(ENTRY_FRAGMENT);
      frag.insert(frag.length, [p]);
    });
    const random = seededRandom(11);
    for (let i = 0; i < 1500; i++) {
      text.insert(random.int(text.length + 1), 'abc'[i % 3]!);
      if (text.length > 20) text.delete(random.int(text.length - 3), 3);
    }
    writer.doc.transact(() => {
      text.delete(0, text.length);
      text.insert(0, 'Dam holds.');
    });

    a = await newDeskContext(browser, server, 'editor', { noNavigate: true });
    await openLiveFile(a.page, server, file.id);
    await caretAtEnd(a.page, entry.id);
    await expect.poll(() => editorText(a.page, entry.id), { timeout: UI_TIMEOUT }).toBe('Evacuation continues.\nDam holds.');
    writer.destroy();
    // Only A's two sockets (desk and entry) are left before A's network goes (and the writer's
    // last frames have reached A: Chromium's offline mode holds frames still in flight).
    await expect.poll(() => server.server.collab.stats().connections, { timeout: UI_TIMEOUT }).toBe(2);

    // A's tab loses the network; with nobody left in the entry, the server squashes it.
    await goOffline(a.context);
    await expect.poll(async () => (await server.store.docs.load(retiredDocName(docName, 1))).snapshot !== null, { timeout: UI_TIMEOUT }).toBe(true);
    await a.page.keyboard.type(' Typed offline.');
    await expect.poll(() => connection(a.page).then((c) => c.unsent), { timeout: UI_TIMEOUT }).toBeGreaterThan(0);
    await a.page.evaluate(() => ((window as unknown as { beforeReset?: boolean }).beforeReset = true));

    await goOnline(a.context);
    // The server merges what A had not sent, then tells it to reload: a new page, no marker.
    await expect.poll(() => a.page.evaluate(() => (window as unknown as { beforeReset?: boolean }).beforeReset ?? false).catch(() => true), { timeout: 30_000 }).toBe(false);
    await a.page.getByTestId('live-file-title').waitFor({ timeout: UI_TIMEOUT });
    // The reloaded page says why it reloaded.
    await expect.poll(() => a.page.getByTestId('lineage-notice').isVisible(), { timeout: UI_TIMEOUT }).toBe(true);
    await screenshot(a.page, 'live-file-1280-lineage-notice', { fullPage: false });
    await expandEntry(a.page, entry.id);
    const merged = 'Evacuation continues.\nDam holds. Typed offline.';
    await expect.poll(() => editorText(a.page, entry.id), { timeout: UI_TIMEOUT }).toBe(merged);
    await expect.poll(() => connection(a.page), { timeout: UI_TIMEOUT }).toEqual({ state: 'live', unsent: 0, text: 'Live' });

    // Someone else opening it now sees the same text, once.
    b = await newDeskContext(browser, server, 'editor2', { noNavigate: true });
    await openLiveFile(b.page, server, file.id);
    await expandEntry(b.page, entry.id);
    await expect.poll(() => editorText(b.page, entry.id), { timeout: UI_TIMEOUT }).toBe(merged);
    expect(await b.page.getByTestId('lineage-notice').count(), 'only the tab that reloaded is told').toBe(0);
  });
});
