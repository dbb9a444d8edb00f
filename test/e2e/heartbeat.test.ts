import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { describeE2E, launchChromium, newDeskContext, screenshot, withoutOfflineNoise, type DeskSession } from '../support/chromium.js';
import { startTestServer, type TestServer } from '../support/startTestServer.js';
import { card, caretAtEnd, connection, createEntryViaApi, demoFile, editorText, expandEntry, openLiveFile, UI_TIMEOUT, type LiveFileJson } from '../support/e2eDesk.js';
import { Limits } from '../../shared/limits.js';

/**
 * The network goes but the sockets stay open: Chromium's emulated offline holds every frame of an
 * open WebSocket (as a phone losing signal does) instead of closing it. The desk must not go on
 * saying "Live" (issue 9, "State is always true"). Default heartbeat period (Limits.collabHeartbeatMs).
 */

/**
 * Test instrumentation: the browser never learns that the network went (navigator.onLine stays true,
 * no 'offline' event), as on a phone whose radio is up but carries nothing. Only silence can tell.
 */
const BROWSER_UNAWARE = `(() => {
  Object.defineProperty(Navigator.prototype, 'onLine', { configurable: true, get: () => true });
  for (const type of ['offline', 'online']) addEventListener(type, (e) => e.stopImmediatePropagation(), true);
})();`;

/** Time from `since` until the status shows `state` (polling every 100 ms), in ms. */
async function msUntilState(s: DeskSession, state: string, since: number, timeout: number): Promise<number> {
  await expect.poll(() => connection(s.page).then((c) => c.state), { timeout, interval: 100 }).toBe(state);
  return Date.now() - since;
}

describeE2E('the network gone with sockets open (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let file: LiveFileJson;
  const open: DeskSession[] = [];
  const figures: string[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchChromium()]);
    ({ file } = await demoFile(server));
  });
  afterEach(async () => {
    for (const s of open.splice(0)) await s.context.close();
  });
  afterAll(async () => {
    console.log(`\nheartbeat figures (period ${Limits.collabHeartbeatMs} ms):\n  ${figures.join('\n  ')}\n`);
    await browser?.close();
    await server?.close();
  });

  async function desks(opts: { unaware: boolean; phone?: boolean }) {
    const a = await newDeskContext(browser, server, 'editor', { noNavigate: true, phone: opts.phone });
    const b = await newDeskContext(browser, server, 'editor2', { noNavigate: true });
    open.push(a, b);
    if (opts.unaware) await a.context.addInitScript(BROWSER_UNAWARE);
    await Promise.all([openLiveFile(a.page, server, file.id), openLiveFile(b.page, server, file.id)]);
    for (const s of [a, b]) await expect.poll(() => connection(s.page).then((c) => c.state), { timeout: UI_TIMEOUT }).toBe('live');
    return { a, b };
  }

  /** Sockets stay open and silent: what setOffline does (and no more: nothing is closed by hand). */
  const dropNetwork = (c: BrowserContext) => c.setOffline(true);

  async function backOnlineAndConverged(a: DeskSession, b: DeskSession, entryId: string, pieces: string[]) {
    await a.context.setOffline(false);
    await expect.poll(() => connection(a.page), { timeout: 30_000 }).toEqual({ state: 'live', unsent: 0, text: 'Live' });
    await expandEntry(b.page, entryId);
    await expect.poll(async () => {
      const [ta, tb] = await Promise.all([editorText(a.page, entryId), editorText(b.page, entryId)]);
      return ta !== null && ta === tb && pieces.every((p) => ta.includes(p));
    }, { timeout: UI_TIMEOUT }).toBe(true);
  }

  it('[HB3] typing after the network went (browser unaware): "Reconnecting, 1 change not sent" within a few seconds; back online 0 and the other editor has it', async () => {
    const { a, b } = await desks({ unaware: true });
    const entry = await createEntryViaApi(server, 'editor', file.id, 'Bridge on Dostyk closed.');
    await Promise.all([card(a.page, entry.id).waitFor(), card(b.page, entry.id).waitFor()]);
    await caretAtEnd(a.page, entry.id);
    await caretAtEnd(b.page, entry.id);

    const wentAt = Date.now();
    await dropNetwork(a.context);
    await a.page.keyboard.type(' Detour via Abay.');
    const ms = await msUntilState(a, 'reconnecting', wentAt, 8000);
    figures.push(`typing, browser unaware: Live -> Reconnecting in ${ms} ms`);
    expect(ms, 'Reconnecting within a few seconds of the server going silent').toBeLessThan(6000);
    // The page sent the change (the socket looked open); the server never acknowledged it: unsent.
    await expect.poll(() => connection(a.page)).toEqual({ state: 'reconnecting', unsent: 1, text: 'Reconnecting, 1 change not sent, kept on this device' });
    await screenshot(a.page, 'desk-1280-reconnecting-sockets-open', { fullPage: false });
    expect(await editorText(b.page, entry.id)).not.toContain('Detour');

    await backOnlineAndConverged(a, b, entry.id, ['Bridge on Dostyk closed.', 'Detour via Abay.']);
    expect(withoutOfflineNoise([...a.errors, ...b.errors])).toEqual([]);
  });

  it('[HB3] typing after the network went (browser aware): "Offline, 1 change not sent" within a few seconds, never "Live, 0 unsent"', async () => {
    const { a, b } = await desks({ unaware: false });
    const entry = await createEntryViaApi(server, 'editor', file.id, 'Metro runs again.');
    await Promise.all([card(a.page, entry.id).waitFor(), card(b.page, entry.id).waitFor()]);
    await caretAtEnd(a.page, entry.id);

    const wentAt = Date.now();
    await dropNetwork(a.context);
    await a.page.keyboard.type(' Line 1 only.');
    const ms = await msUntilState(a, 'offline', wentAt, 8000);
    figures.push(`typing, browser aware: Live -> Offline in ${ms} ms`);
    expect(ms).toBeLessThan(6000);
    await expect.poll(() => connection(a.page)).toEqual({ state: 'offline', unsent: 1, text: 'Offline, 1 change not sent' });

    await backOnlineAndConverged(a, b, entry.id, ['Metro runs again.', 'Line 1 only.']);
    expect(withoutOfflineNoise([...a.errors, ...b.errors])).toEqual([]);
  });

  it('[HB4] idle when the browser reports going offline: Offline within a heartbeat period, nothing sent on the dead socket', async () => {
    const { a } = await desks({ unaware: false });
    const wentAt = Date.now();
    await dropNetwork(a.context);
    const ms = await msUntilState(a, 'offline', wentAt, Limits.collabHeartbeatMs + 5000);
    figures.push(`idle, browser aware: Live -> Offline in ${ms} ms`);
    expect(ms).toBeLessThanOrEqual(Limits.collabHeartbeatMs + 1500);
    await a.context.setOffline(false);
    await expect.poll(() => connection(a.page), { timeout: 30_000 }).toEqual({ state: 'live', unsent: 0, text: 'Live' });
  });

  it('[HB4] idle on a phone when the signal goes: Reconnecting within 2.5 heartbeat periods; a change made then is counted and arrives later', async () => {
    const { a, b } = await desks({ unaware: true, phone: true });
    const entry = await createEntryViaApi(server, 'editor', file.id, 'Schools open at ten.');
    await Promise.all([card(a.page, entry.id).waitFor(), card(b.page, entry.id).waitFor()]);
    await caretAtEnd(a.page, entry.id);

    const wentAt = Date.now();
    await dropNetwork(a.context);
    const ms = await msUntilState(a, 'reconnecting', wentAt, 2.5 * Limits.collabHeartbeatMs + 5000);
    figures.push(`idle, browser unaware: Live -> Reconnecting in ${ms} ms`);
    expect(ms).toBeLessThanOrEqual(2.5 * Limits.collabHeartbeatMs + 1500);
    await screenshot(a.page, 'desk-390-reconnecting', { fullPage: false });

    await a.page.keyboard.type(' Buses too.');
    await expect.poll(() => connection(a.page).then((c) => c.unsent)).toBe(1);
    await screenshot(a.page, 'desk-390-reconnecting-unsent', { fullPage: false });
    await backOnlineAndConverged(a, b, entry.id, ['Schools open at ten.', 'Buses too.']);
  });
});
