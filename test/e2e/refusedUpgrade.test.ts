import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { WebSocket } from 'ws';
import { entryDocName } from '../../shared/collab/docName.js';
import { describeE2E, launchChromium, newDeskContext, type DeskSession } from '../support/chromium.js';
import { openRawCollab } from '../support/collabClients.js';
import { signIn, startTestServer, type TestServer } from '../support/startTestServer.js';
import { card, createEntryViaApi, demoFile, openLiveFile, UI_TIMEOUT, type LiveFileJson } from '../support/e2eDesk.js';

/**
 * A browser sees every refused collab upgrade as 1006. Refused for a reason other than access
 * (here: too many connections from this address), the desk keeps retrying and never says
 * "Your access was removed" (docs/spec.md RL7).
 */
describeE2E('a collab upgrade refused for another reason than access (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let file: LiveFileJson;
  let desk: DeskSession;
  const held: WebSocket[] = [];

  beforeAll(async () => {
    // The page itself needs two (Socket.IO and the desk document); the test holds the rest.
    [server, browser] = await Promise.all([startTestServer({ env: { MAX_CONNECTIONS_PER_ADDRESS: '4' } }), launchChromium()]);
    ({ file } = await demoFile(server));
    desk = await newDeskContext(browser, server, 'editor', { noNavigate: true });
  });
  afterAll(async () => {
    for (const ws of held) ws.terminate();
    await desk?.context.close();
    await browser?.close();
    await server?.close();
  });

  it('[RL7] refused while the person may still see the entry: no access-removed banner, and it connects once there is room', async () => {
    const entry = await createEntryViaApi(server, 'editor', file.id, 'Дорога открыта.');
    await openLiveFile(desk.page, server, file.id);
    await card(desk.page, entry.id).waitFor({ timeout: UI_TIMEOUT });
    const cookie = await signIn(server, 'editor');
    for (let i = 0; i < 2; i++) held.push(await openRawCollab(`${server.wsUrl}/collab`, entryDocName(entry.id), { cookie }));
    let attempts = 0;
    desk.page.on('websocket', (ws) => {
      if (decodeURIComponent(ws.url()).includes(entryDocName(entry.id))) attempts++;
    });
    await card(desk.page, entry.id).getByTestId('entry-edit').click();
    // Past the three refusals after which the desk used to give up and say access was removed.
    await expect.poll(() => attempts, { timeout: UI_TIMEOUT }).toBeGreaterThan(4);
    expect(await desk.page.getByTestId('read-only-banner').count()).toBe(0);
    held.pop()!.terminate(); // room again
    // The editor mounts once its document has loaded, which takes the connection refused so far.
    const content = card(desk.page, entry.id).getByTestId('editor-content');
    await content.waitFor({ timeout: UI_TIMEOUT });
    await expect.poll(() => content.getAttribute('contenteditable'), { timeout: UI_TIMEOUT }).toBe('true');
    await expect.poll(() => content.textContent(), { timeout: UI_TIMEOUT }).toContain('Дорога открыта.');
    expect(await desk.page.getByTestId('read-only-banner').count()).toBe(0);
  });
});
