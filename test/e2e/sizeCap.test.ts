import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { describeE2E, launchChromium, newDeskContext, screenshot, PHONE, DESKTOP, type DeskSession } from '../support/chromium.js';
import { signIn, startTestServer, type TestServer } from '../support/startTestServer.js';
import {
  apiAs, card, caretAtEnd, connection, createEntryViaApi, demoFile, editorText, expandEntry, openLiveFile, storedUpdates, UI_TIMEOUT, type LiveFileJson,
} from '../support/e2eDesk.js';
import { openCollabDoc } from '../support/collabClients.js';
import * as Y from 'yjs';
import { docToPlainText } from '../../shared/editor/plainText.js';
import { deskEntries } from '../../shared/collab/deskDoc.js';
import { ENTRY_FRAGMENT } from '../../shared/editor/schema.js';
import { Limits } from '../../shared/limits.js';
import { CollabClose } from '../../shared/collab/closeCodes.js';

/**
 * Issue 8 "Remove the history squash": an entry's stored state is capped (Limits.maxDocBytes, the
 * server's real cap). The desk warns well before it; a change past it is refused by the server
 * (CollabClose.DocumentTooLarge), stays on the writer's device, and the card says what happened.
 */
describeE2E('entry size cap (Chromium)', () => {
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

  async function desk(username: string, liveFileId = file.id): Promise<DeskSession> {
    const s = await newDeskContext(browser, server, username, { noNavigate: true });
    sessions.push(s);
    await openLiveFile(s.page, server, liveFileId);
    await expect.poll(() => connection(s.page).then((c) => c.state), { timeout: UI_TIMEOUT }).toBe('live');
    return s;
  }

  /**
   * Pastes about `bytes` of plain text (paragraphs of ~1,000 characters, `marker` first) at the caret,
   * the way a browser delivers a paste: one ClipboardEvent that ProseMirror turns into one change.
   * The text is built in the page, so megabytes never cross the DevTools pipe.
   */
  async function pasteBig(page: Page, entryId: string, bytes: number, marker: string) {
    await card(page, entryId).getByTestId('editor-content').evaluate((el, { bytes, marker }) => {
      const para = 'The water rose over the embankment near the bridge and the rescue teams moved people uphill. ';
      const line = para.repeat(Math.ceil(1000 / para.length));
      const lines = [marker];
      let size = marker.length;
      while (size < bytes) {
        lines.push(line);
        size += line.length + 1;
      }
      const data = new DataTransfer();
      data.setData('text/plain', lines.join('\n'));
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, { bytes, marker });
  }

  const sizeStatus = (page: Page, entryId: string) => card(page, entryId).getByTestId('entry-size-status');
  const sizeKind = (page: Page, entryId: string) => card(page, entryId).getByTestId('entry-size').getAttribute('data-kind');

  it('[DC4] past the warning size the card says "This entry is getting long: split it" (polite status), and the text still syncs', async () => {
    const entry = await createEntryViaApi(server, 'editor', file.id, 'Evacuation continues.');
    const a = await desk('editor');
    await caretAtEnd(a.page, entry.id);
    expect(await sizeKind(a.page, entry.id)).toBe('ok');
    expect((await sizeStatus(a.page, entry.id).textContent())?.trim()).toBe('');

    // A paste that lands between the warning and the cap.
    const bytes = Math.round((Limits.docWarnBytes + Limits.maxDocBytes) / 2) - 64 * 1024;
    await pasteBig(a.page, entry.id, bytes, 'WARN-MARKER');
    await expect.poll(() => sizeKind(a.page, entry.id), { timeout: UI_TIMEOUT }).toBe('warn');
    const status = sizeStatus(a.page, entry.id);
    expect(await status.getAttribute('role')).toBe('status');
    expect((await status.textContent())?.replace(/\s+/g, ' ')).toContain('This entry is getting long: split it.');
    expect(await status.isVisible()).toBe(true);

    // Below the cap, so nothing was refused: the server has it all, and the editor stays editable.
    await expect.poll(() => connection(a.page), { timeout: UI_TIMEOUT }).toEqual({ state: 'live', unsent: 0, text: 'Live' });
    expect(await card(a.page, entry.id).getByTestId('editor-content').getAttribute('contenteditable')).toBe('true');
    const reader = await openCollabDoc(`${server.wsUrl}/collab`, `entry:${entry.id}`, { headers: { cookie: await signIn(server, 'editor2') } });
    try {
      expect(docToPlainText(reader.doc.getXmlFragment(ENTRY_FRAGMENT))).toContain('WARN-MARKER');
    } finally {
      reader.destroy();
    }

    await screenshot(a.page, 'entry-size-warning-1280', { fullPage: false });
    await a.page.setViewportSize(PHONE);
    await status.scrollIntoViewIfNeeded();
    await screenshot(a.page, 'entry-size-warning-390', { fullPage: false });
    await a.page.setViewportSize(DESKTOP);
    expect(a.errors).toEqual([]);
  });

  it('[DC5] a paste past the cap is refused: the card says so, the text stays on screen and on the device, no reconnect loop, and nobody else gets it', async () => {
    const entry = await createEntryViaApi(server, 'editor', file.id, 'Dam holds.');
    const [a, b] = await Promise.all([desk('editor'), desk('editor2')]);
    await expandEntry(b.page, entry.id);
    await caretAtEnd(a.page, entry.id);
    await expect.poll(() => editorText(b.page, entry.id), { timeout: UI_TIMEOUT }).toBe('Dam holds.');

    // Every WebSocket A's page opens to this entry's document (the handshake, not just a frame).
    const entrySockets: string[] = [];
    a.page.on('websocket', (ws) => {
      if (ws.url().includes(entry.id)) entrySockets.push(ws.url());
    });
    // B watches for the refused text arriving, at any moment.
    await card(b.page, entry.id).getByTestId('editor-content').evaluate((ed) => {
      const w = window as unknown as { sawRefused?: boolean };
      w.sawRefused = false;
      new MutationObserver(() => { if (ed.textContent?.includes('CAP-MARKER')) w.sawRefused = true; })
        .observe(ed, { childList: true, subtree: true, characterData: true });
    });

    // Over the cap, under the frame limit: the server itself must refuse it.
    const bytes = Limits.maxDocBytes + 256 * 1024;
    expect(bytes).toBeLessThan(Limits.maxCollabFrameBytes - 64 * 1024);
    await pasteBig(a.page, entry.id, bytes, 'CAP-MARKER');

    await expect.poll(() => sizeKind(a.page, entry.id), { timeout: UI_TIMEOUT }).toBe('refused');
    const status = sizeStatus(a.page, entry.id);
    const said = (await status.textContent())?.replace(/\s+/g, ' ').trim() ?? '';
    expect(said).toContain('This entry reached its size limit, so your latest changes were not sent.');
    expect(said).toContain('They are still on this device');
    expect(said, 'no codes in the main text').not.toMatch(/\d{4}|document-too-large/);
    expect(await status.getAttribute('role')).toBe('status');
    // The code is under Details.
    const details = card(a.page, entry.id).getByTestId('entry-size-details');
    expect(await details.textContent()).toContain(String(CollabClose.DocumentTooLarge.code));

    // The text is still there to read and select, read-only; the header does not claim it was sent.
    const text = await editorText(a.page, entry.id);
    expect(text?.startsWith('Dam holds.CAP-MARKER')).toBe(true);
    expect(text!.length).toBeGreaterThan(Limits.maxDocBytes);
    const content = card(a.page, entry.id).getByTestId('editor-content');
    expect(await content.getAttribute('contenteditable')).toBe('false');
    expect(await content.evaluate((el) => getComputedStyle(el).userSelect)).not.toBe('none');
    const c = await connection(a.page);
    expect(c.unsent).toBeGreaterThan(0);
    expect(c.state, 'the rest of the desk stays live').toBe('live');
    expect(c.text).toContain('not sent');
    expect(await details.textContent()).toMatch(/[1-9]\d* changes? not sent/);
    // Nothing was cleared from the device.
    expect(await storedUpdates(a.page, `entry:${entry.id}`)).toBeGreaterThan(0);

    // No reconnect loop: past the provider's longest backoff (5 s), still the one socket it opened
    // before the refusal (none after it), and B never saw the refused text.
    const opened = entrySockets.length;
    await a.page.waitForTimeout(7_000);
    expect(entrySockets.length - opened, `entry sockets opened after the refusal: ${entrySockets.join(', ')}`).toBe(0);
    expect(await b.page.evaluate(() => (window as unknown as { sawRefused?: boolean }).sawRefused)).toBe(false);
    expect(await editorText(b.page, entry.id)).toBe('Dam holds.');
    expect((await connection(b.page)).state).toBe('live');
    // The server stored none of it: a fresh joiner gets the entry as it was.
    const joiner = await openCollabDoc(`${server.wsUrl}/collab`, `entry:${entry.id}`, { headers: { cookie: await signIn(server, 'editor2') } });
    try {
      expect(docToPlainText(joiner.doc.getXmlFragment(ENTRY_FRAGMENT))).toBe('Dam holds.');
    } finally {
      joiner.destroy();
    }

    // Other entries on A's desk are still editable.
    const other = await createEntryViaApi(server, 'editor2', file.id, 'Roads closed.');
    await card(a.page, other.id).waitFor({ timeout: UI_TIMEOUT });
    expect(await card(a.page, other.id).getByTestId('entry-pin').isDisabled()).toBe(false);

    // "Copy text" copies this device's text, or shows it to copy by hand where the clipboard is blocked.
    await card(a.page, entry.id).getByTestId('entry-copy-text').click();
    await expect.poll(async () => {
      const copied = await card(a.page, entry.id).locator('.size .copied').textContent().catch(() => null);
      if (copied) return copied;
      return (await card(a.page, entry.id).getByTestId('entry-copy-fallback').inputValue({ timeout: 100 }).catch(() => '')).slice(0, 20);
    }, { timeout: UI_TIMEOUT }).toMatch(/^Copied [\d,]+ characters|^Dam holds\.CAP-MARKER/);
    await card(a.page, entry.id).getByTestId('entry-size').scrollIntoViewIfNeeded();
    await screenshot(a.page, 'entry-size-refused-1280', { fullPage: false });
    await a.page.setViewportSize(PHONE);
    await card(a.page, entry.id).getByTestId('entry-size').scrollIntoViewIfNeeded();
    await screenshot(a.page, 'entry-size-refused-390', { fullPage: false });
    await details.locator('summary').click();
    await screenshot(a.page, 'entry-size-refused-390-details', { fullPage: false });
    await a.page.setViewportSize(DESKTOP);
    expect(a.errors.filter((e) => !/WebSocket/.test(e))).toEqual([]);
  });

  it('[DC6] the desk document near the cap warns; a desk change past it is refused: banner, pins and moves off, entries still editable, no reconnect loop', async () => {
    const chief = await apiAs(server, 'chief');
    const created = await chief.post('/api/live-files', { title: 'Size cap desk', timezone: 'Asia/Almaty' });
    expect(created.status).toBe(201);
    const deskFile = ((created.json as Record<string, unknown>).liveFile ?? created.json) as unknown as LiveFileJson;
    const entry = await createEntryViaApi(server, 'editor', deskFile.id, 'Shelters open.');

    // Someone fills the desk document to just under the cap (a field the desk never reads).
    const filler = await openCollabDoc(`${server.wsUrl}/collab`, `file:${deskFile.id}`, { headers: { cookie: await signIn(server, 'editor2') } });
    try {
      const before = Y.encodeStateAsUpdate(filler.doc).byteLength;
      const sv = Y.encodeStateVector(filler.doc);
      // What the server checks: its stored state plus the incoming update, against the cap.
      const updateBytes = (len: number) => {
        const scratch = new Y.Doc();
        scratch.clientID = filler.doc.clientID; // the same id, so the same encoded length
        Y.applyUpdate(scratch, Y.encodeStateAsUpdate(filler.doc));
        deskEntries(scratch).get(entry.id)!.set('filler', 'x'.repeat(len));
        return Y.encodeStateAsUpdate(scratch, sv).byteLength;
      };
      const target = Limits.maxDocBytes - 4 - before;
      let len = target - 64;
      len += target - updateBytes(len);
      expect(updateBytes(len)).toBe(target);
      deskEntries(filler.doc).get(entry.id)!.set('filler', 'x'.repeat(len));
    } finally {
      filler.destroy();
    }
    // The server took it: a fresh joiner gets the full desk document.
    await expect.poll(async () => {
      const c = await openCollabDoc(`${server.wsUrl}/collab`, `file:${deskFile.id}`, { headers: { cookie: await signIn(server, 'editor2') } });
      try {
        return Y.encodeStateAsUpdate(c.doc).byteLength;
      } finally {
        c.destroy();
      }
    }, { timeout: UI_TIMEOUT }).toBeGreaterThan(Limits.maxDocBytes - 64);

    const a = await desk('editor', deskFile.id);
    await expect.poll(() => a.page.getByTestId('desk-size-warning').isVisible(), { timeout: UI_TIMEOUT }).toBe(true);
    expect(await a.page.getByTestId('desk-size-warning').getAttribute('role')).toBe('status');
    await screenshot(a.page, 'desk-size-warning-1280', { fullPage: false });

    const deskSockets: string[] = [];
    a.page.on('websocket', (ws) => {
      if (ws.url().includes(`file:${deskFile.id}`)) deskSockets.push(ws.url());
    });
    // A pin is a few bytes: enough to go past the cap.
    await card(a.page, entry.id).getByTestId('entry-pin').click();
    await expect.poll(() => a.page.getByTestId('desk-too-large').isVisible(), { timeout: UI_TIMEOUT }).toBe(true);
    const banner = a.page.getByTestId('desk-too-large');
    const said = (await banner.locator('> span').textContent())?.replace(/\s+/g, ' ') ?? '';
    expect(said).toContain('This live file reached its size limit, so your latest changes to the order, pins or key marks were not sent.');
    expect(said, 'no codes in the main text').not.toMatch(/\d{4}|document-too-large/);
    expect(await banner.getByTestId('desk-size-details').textContent()).toContain(String(CollabClose.DocumentTooLarge.code));
    expect(await a.page.getByTestId('desk-size-warning').count(), 'the refusal replaces the warning').toBe(0);
    // The pin stays on this device, counted as unsent; no more desk changes are taken.
    expect(await card(a.page, entry.id).getAttribute('pinned')).not.toBeNull();
    await expect.poll(() => connection(a.page).then((c) => c.unsent), { timeout: UI_TIMEOUT }).toBeGreaterThan(0);
    expect(await card(a.page, entry.id).getByTestId('entry-key').isDisabled()).toBe(true);
    expect(await card(a.page, entry.id).getByTestId('entry-pin').isDisabled()).toBe(true);
    expect(await a.page.getByTestId('read-only-banner').count(), 'not a lost-access banner').toBe(0);

    // The entry is its own document: still editable, and what is typed reaches the server.
    await caretAtEnd(a.page, entry.id);
    await a.page.keyboard.type(' Bring water.');
    const reader = await openCollabDoc(`${server.wsUrl}/collab`, `entry:${entry.id}`, { headers: { cookie: await signIn(server, 'editor2') } });
    try {
      await expect.poll(() => docToPlainText(reader.doc.getXmlFragment(ENTRY_FRAGMENT)), { timeout: UI_TIMEOUT }).toBe('Shelters open. Bring water.');
    } finally {
      reader.destroy();
    }

    const opened = deskSockets.length;
    await a.page.waitForTimeout(6_000);
    expect(deskSockets.length - opened, 'desk sockets opened after the refusal').toBe(0);
    await screenshot(a.page, 'desk-size-refused-1280', { fullPage: false });
    await a.page.setViewportSize(PHONE);
    await screenshot(a.page, 'desk-size-refused-390', { fullPage: false });
    expect(a.errors.filter((e) => !/WebSocket/.test(e))).toEqual([]);
  });
});
