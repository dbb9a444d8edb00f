import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { describeE2E, goOffline, goOnline, launchChromium, newDeskContext, signInThroughForm, withoutOfflineNoise, type DeskSession } from '../support/chromium.js';
import { api, loginOf, signIn, startTestServer, type TestServer } from '../support/startTestServer.js';
import { demoFile, UI_TIMEOUT, type LiveFileJson } from '../support/e2eDesk.js';
import { entriesWith, fileUpdate, filingRows, filingsOf, filingWorkerReady, openFiling, openTab, rowWith, writeUpdate } from '../support/e2eFiling.js';
import { smallPhoto } from '../support/testPhotos.js';
import { tempDir } from '../support/tempDir.js';

/**
 * Issue 11, the correspondent's filing page (/file) on an emulated phone (390×844, touch, mobile
 * UA) against the real server and build: the outbox offline and across a reload, exactly once and
 * in order, the chief's queue live, My filings live (a rejection's note, Edit and resubmit, a
 * permalink), a session that ends, and Clear this device.
 */
describeE2E('filing from a phone (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let file: LiveFileJson;
  let dir: string;
  const sessions: DeskSession[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchChromium()]);
    ({ file } = await demoFile(server, 'chief'));
    dir = await tempDir('livedesk-filing-photos-');
  });
  afterEach(async () => {
    for (const s of sessions.splice(0)) await s.context.close();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function phone(): Promise<DeskSession> {
    const s = await openFiling(browser, server);
    sessions.push(s);
    return s;
  }

  async function chiefQueue(): Promise<Page> {
    const s = await newDeskContext(browser, server, 'chief', { noNavigate: true });
    sessions.push(s);
    await s.page.goto(`${server.url}/#/queue`);
    await s.page.locator('ld-queue-page').getByTestId('queue-counts').waitFor({ timeout: UI_TIMEOUT });
    return s.page;
  }
  const queueIds = (page: Page) => page.locator('ld-queue-page [data-testid="queue-item"]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.entryId ?? ''));

  it('[FI9] [FI3] [FI10] [FI16] offline: three updates with two photos survive a reload; back online each reaches the server once, in order, and the chief\'s queue shows them live', async () => {
    const tag = randomUUID().slice(0, 6);
    const texts = [`Water is over the dam ${tag}`, `Rescuers reach Medeu ${tag}`, `Road to Shymbulak shut ${tag}`];
    const [photoA, photoB] = await Promise.all([smallPhoto(dir, `a-${tag}`, '#27a'), smallPhoto(dir, `b-${tag}`, '#a52')]);
    const chief = await chiefQueue();
    const queuedBefore = await queueIds(chief);
    const { page, context, errors } = await phone();
    await filingWorkerReady(page);

    await goOffline(context);
    await fileUpdate(page, { text: texts[0]!, place: 'Medeu district', headline: `Dam overflow ${tag}`, links: ['https://www.youtube.com/watch?v=dQw4w9WgXcQ'], asDesk: true });
    await fileUpdate(page, { text: texts[1]!, place: 'Medeu district', photos: [{ path: photoA, caption: `Rescue boats ${tag}` }] });
    await fileUpdate(page, { text: texts[2]!, photos: [{ path: photoB, caption: `Closed road ${tag}` }] });
    // Half-written, not filed: kept on the device while typing.
    await page.getByTestId('compose-text').fill(`Still writing ${tag}`);
    await expect.poll(() => page.getByTestId('connection-state').textContent(), { timeout: UI_TIMEOUT }).toMatch(/Offline/);
    await expect.poll(async () => (await page.getByTestId('outbox-summary').textContent())?.trim(), { timeout: UI_TIMEOUT }).toMatch(/^3 waiting to send, 2 photos/);
    // Nothing reached the server.
    for (const t of texts) expect(await entriesWith(server, file.id, t), t).toEqual([]);

    // Reload while still offline: the page from the service worker, the outbox and the half-written text from IndexedDB.
    await page.reload();
    expect(page.url()).not.toMatch(/^chrome-error:/);
    await page.getByTestId('compose-text').waitFor({ timeout: UI_TIMEOUT });
    await expect.poll(() => page.getByTestId('compose-text').inputValue(), { timeout: UI_TIMEOUT }).toBe(`Still writing ${tag}`);
    expect(await page.getByTestId('place-chip').allTextContents()).toEqual(['Medeu district']);
    await openTab(page, 'filings');
    await expect.poll(() => filingRows(page).filter({ hasText: tag }).count(), { timeout: UI_TIMEOUT }).toBe(3);
    // The reloaded outbox tries at once (the pill follows requests, not the browser's flag): each
    // row may read 'sending' for a moment before its request fails and it waits again.
    for (const t of texts) await expect.poll(() => rowWith(page, t).getAttribute('data-state'), { timeout: UI_TIMEOUT, message: t }).toBe('waiting');
    expect(await page.getByTestId('tab-outbox-count').textContent()).toMatch(/3/);

    // Back online: it all goes on its own, each once, in the order filed.
    await goOnline(context);
    await expect.poll(() => page.getByTestId('outbox-empty').count(), { timeout: 45_000 }).toBe(1);
    const found = await Promise.all(texts.map((t) => entriesWith(server, file.id, t)));
    expect(found.map((f) => f.length), 'one entry per filing').toEqual([1, 1, 1]);
    expect(found.map((f) => f[0]!.status)).toEqual(['submitted', 'submitted', 'submitted']);
    const ids = found.map((f) => f[0]!.id);
    const mine = await filingsOf(server, 'correspondent');
    const byId = new Map(mine.map((m) => [m.entry.id, m.entry]));
    const submittedAt = ids.map((id) => byId.get(id)!.lastAction!.at);
    expect([...submittedAt].sort(), 'submitted in the order filed').toEqual(submittedAt);
    expect(byId.get(ids[0]!)!.place).toBe('Medeu district');
    expect(byId.get(ids[0]!)!.headline).toBe(`Dam overflow ${tag}`);
    expect(byId.get(ids[0]!)!.bylines).toEqual(['Newsroom desk']);
    expect(byId.get(ids[1]!)!.bylines).toEqual(['Dana Sadykova']);

    // The chief's queue page got them live, oldest waiting first, with the photos and their captions.
    await expect.poll(async () => (await queueIds(chief)).filter((id) => ids.includes(id)), { timeout: UI_TIMEOUT }).toEqual(ids);
    expect((await queueIds(chief)).slice(0, queuedBefore.length)).toEqual(queuedBefore);
    const queue = await api(server, await signIn(server, 'chief'), 'GET', '/api/queue');
    const items = (queue.json as unknown as { items: Array<{ entry: { id: string }; currentHtml: string }> }).items;
    const html = (id: string) => items.find((i) => i.entry.id === id)!.currentHtml;
    expect(html(ids[1]!)).toContain(`Rescue boats ${tag}`);
    expect(html(ids[1]!)).toMatch(/<img|<picture/);
    expect(html(ids[2]!)).toContain(`Closed road ${tag}`);
    expect(html(ids[0]!)).toMatch(/youtube|dQw4w9WgXcQ/);

    // On the phone: each is Submitted, and the half-written text is still in the form.
    await expect.poll(async () => Promise.all(texts.map((t) => rowWith(page, t).getAttribute('data-state'))), { timeout: UI_TIMEOUT }).toEqual(['submitted', 'submitted', 'submitted']);
    await openTab(page, 'write');
    expect(await page.getByTestId('compose-text').inputValue()).toBe(`Still writing ${tag}`);
    expect(withoutOfflineNoise(errors)).toEqual([]);
  });

  it('[FI11] [FI13] My filings is live: a rejection and its note reach the phone without a reload, Edit and resubmit sends that entry again, a published one links to its permalink; offline it says "as of"', async () => {
    const tag = randomUUID().slice(0, 6);
    const { page, context } = await phone();
    await fileUpdate(page, { text: `Evacuation at school 12 ${tag}`, place: 'Auezov district' });
    await fileUpdate(page, { text: `Shelter opens at the arena ${tag}` });
    await openTab(page, 'filings');
    await expect.poll(() => rowWith(page, `school 12 ${tag}`).getAttribute('data-state'), { timeout: UI_TIMEOUT }).toBe('submitted');
    await expect.poll(() => rowWith(page, `arena ${tag}`).getAttribute('data-state'), { timeout: UI_TIMEOUT }).toBe('submitted');
    const [rejected] = await entriesWith(server, file.id, `school 12 ${tag}`);
    const [published] = await entriesWith(server, file.id, `arena ${tag}`);
    const chiefCookie = await signIn(server, 'chief');
    const act = async (id: string, action: string, body: Record<string, unknown>) => {
      const now = (await api(server, chiefCookie, 'GET', `/api/entries/${id}`)).json as unknown as { version: number };
      const res = await fetch(`${server.url}/api/entries/${id}/${action}`, {
        method: 'POST', headers: { 'content-type': 'application/json', cookie: chiefCookie, 'idempotency-key': randomUUID() },
        body: JSON.stringify({ version: now.version, ...body }),
      });
      expect(res.status, `${action}: ${await res.clone().text()}`).toBe(200);
    };

    // The chief rejects with a note: the phone shows it within seconds, no reload.
    const note = `Which school number? Name the source ${tag}`;
    await act(rejected!.id, 'reject', { note });
    const row = rowWith(page, `school 12 ${tag}`);
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 10_000 }).toBe('rejected');
    expect(await row.getByTestId('filing-note').textContent()).toContain(note);
    expect(await row.getByTestId('filing-note').textContent()).toContain('Timur Ospanov');

    // Published: a link to its permalink.
    await act(published!.id, 'publish', {});
    const pubRow = rowWith(page, `arena ${tag}`);
    await expect.poll(() => pubRow.getAttribute('data-state'), { timeout: 10_000 }).toBe('published');
    const slug = (await server.store.liveFiles.findById(file.id))!.slug;
    expect(await pubRow.getByTestId('filing-permalink').getAttribute('href')).toBe(`/live/${slug}/${published!.id}`);

    // Edit and resubmit: the whole filing in the form, the note above it; the same entry goes back.
    await row.getByTestId('filing-resubmit').click();
    await expect.poll(() => page.getByTestId('compose-text').inputValue(), { timeout: UI_TIMEOUT }).toBe(`Evacuation at school 12 ${tag}`);
    expect(await page.getByTestId('compose-place').inputValue()).toBe('Auezov district');
    expect(await page.getByTestId('compose-editing').textContent()).toContain(note);
    await page.getByTestId('compose-text').fill(`Evacuation at school No. 12, police said ${tag}`);
    expect(await page.getByTestId('submit-filing').textContent()).toMatch(/Resubmit/);
    await page.getByTestId('submit-filing').click();
    await page.getByTestId('compose-status').waitFor({ timeout: UI_TIMEOUT });
    await openTab(page, 'filings');
    await expect.poll(() => rowWith(page, `police said ${tag}`).getAttribute('data-state'), { timeout: UI_TIMEOUT }).toBe('submitted');
    expect(await entriesWith(server, file.id, `school 12 ${tag}`)).toEqual([]);
    const again = await entriesWith(server, file.id, `police said ${tag}`);
    expect(again.map((e) => [e.id, e.status])).toEqual([[rejected!.id, 'submitted']]);

    // Offline: the list says how old it is.
    await goOffline(context);
    await page.getByTestId('filings-as-of').waitFor({ timeout: UI_TIMEOUT });
    expect(await page.getByTestId('filings-as-of').textContent()).toMatch(/^as of \d\d:\d\d$/);
    await goOnline(context);
    await expect.poll(() => page.getByTestId('filings-as-of').count(), { timeout: 30_000 }).toBe(0);
  });

  it('[FI10] a place typed while the page re-reads its live files stays in the form and is filed', async () => {
    const tag = randomUUID().slice(0, 6);
    const { page } = await phone();
    await page.getByTestId('compose-place').waitFor({ timeout: UI_TIMEOUT });
    // Make the page look for another file to file to (as when the one it had closes), and hold
    // its read of the last file used until the place has been typed: the keystrokes land mid-read.
    await page.evaluate(() => {
      type Probe = { session: { compose: { liveFileId: string }; db: { readMeta: (key: string) => Promise<unknown> }; refresh: () => Promise<void> } };
      const w = window as unknown as { readHeld?: boolean; releaseRead?: () => void; refreshed?: Promise<void> };
      const session = (document.querySelector('ld-filing-app') as unknown as Probe).session;
      const read = session.db.readMeta.bind(session.db);
      const released = new Promise<void>((resolve) => { w.releaseRead = resolve; });
      session.db.readMeta = async (key: string) => {
        if (key.startsWith('lastFile:')) {
          w.readHeld = true;
          await released;
        }
        return read(key);
      };
      session.compose.liveFileId = 'a-file-that-closed';
      w.refreshed = session.refresh();
    });
    await expect.poll(() => page.evaluate(() => (window as unknown as { readHeld?: boolean }).readHeld === true), { timeout: UI_TIMEOUT }).toBe(true);
    await page.getByTestId('compose-place').fill(`Auezov district ${tag}`);
    await page.evaluate(async () => {
      const w = window as unknown as { releaseRead: () => void; refreshed: Promise<void> };
      w.releaseRead();
      await w.refreshed;
    });
    expect(await page.getByTestId('compose-place').inputValue()).toBe(`Auezov district ${tag}`);
    await fileUpdate(page, { text: `Queue at the water truck ${tag}` });
    let filed: Array<{ id: string }> = [];
    await expect.poll(async () => (filed = await entriesWith(server, file.id, `water truck ${tag}`)).length, { timeout: UI_TIMEOUT }).toBe(1);
    const cookie = await signIn(server, 'chief');
    const entry = (await api(server, cookie, 'GET', `/api/entries/${filed[0]!.id}`)).json as unknown as { place?: string };
    expect(entry.place).toBe(`Auezov district ${tag}`);
  });

  it('[FI7] a session that ends keeps the outbox: the sign-in form says what waits, and after sign-in each filing goes once', async () => {
    const tag = randomUUID().slice(0, 6);
    const { page, context } = await phone();
    // The page and its worker must be fully there before the network goes (its chunks load lazily).
    await filingWorkerReady(page);
    await page.getByTestId('compose-text').waitFor({ timeout: UI_TIMEOUT });
    await goOffline(context);
    await fileUpdate(page, { text: `Filed before the session ended ${tag}` });
    // The session ends on the server while the phone is offline (expired, or signed out elsewhere).
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    expect((await api(server, cookie, 'DELETE', '/api/session')).status).toBe(204);
    await goOnline(context);
    await page.getByTestId('signin-username').waitFor({ timeout: 45_000 });
    expect(await page.locator('ld-signin-page .notice').textContent()).toMatch(/1 filing is kept on this phone/);
    expect(await entriesWith(server, file.id, tag)).toEqual([]);
    await signInThroughForm(page, 'correspondent', loginOf(server, 'correspondent').password);
    await page.getByTestId('compose-text').waitFor({ timeout: UI_TIMEOUT });
    await openTab(page, 'filings');
    await expect.poll(() => rowWith(page, tag).getAttribute('data-state'), { timeout: 30_000 }).toBe('submitted');
    expect((await entriesWith(server, file.id, tag)).length).toBe(1);
  });

  it('[FI14] Clear this device names what goes, warns louder while something is unsent, then leaves nothing: no IndexedDB, no caches, no session', async () => {
    const tag = randomUUID().slice(0, 6);
    const photo = await smallPhoto(dir, `c-${tag}`);
    const { page, context } = await phone();
    await filingWorkerReady(page);
    // The server does not take entries right now: the filing stays unsent (the photo goes).
    await page.route('**/api/live-files/*/entries', (route) => route.abort('connectionfailed'));
    await fileUpdate(page, { text: `Unsent when cleared ${tag}`, photos: [{ path: photo, caption: 'x' }] });
    await writeUpdate(page, { text: `Half-written ${tag}` });
    await openTab(page, 'device');
    await page.getByTestId('clear-device').click();
    const dialog = page.getByTestId('clear-dialog');
    await dialog.getByTestId('clear-summary').waitFor({ timeout: UI_TIMEOUT });
    expect(await dialog.getByTestId('clear-summary').textContent()).toMatch(/1 unsent filing, 1 photo, the update you are writing/);
    expect(await dialog.getByTestId('clear-warning').textContent()).toMatch(/1 filing has not reached the desk. It will be lost/);
    expect(await dialog.getByTestId('clear-confirm').textContent()).toMatch(/Delete 1 unsent and clear/);
    // Keep everything: nothing goes.
    await dialog.getByTestId('clear-cancel').click();
    await page.getByTestId('clear-device').click();
    await dialog.getByTestId('clear-confirm').click();
    await page.getByTestId('signin-username').waitFor({ timeout: UI_TIMEOUT });
    const left = await page.evaluate(async () => ({
      dbs: (await indexedDB.databases()).map((d) => d.name),
      caches: await caches.keys(),
      workers: (await navigator.serviceWorker.getRegistrations()).length,
      storage: Object.keys(localStorage).filter((k) => k.startsWith('livedesk:')),
    }));
    expect(left).toEqual({ dbs: [], caches: [], workers: 0, storage: [] });
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    expect((await api(server, cookie, 'GET', '/api/session')).status).toBe(401);
    expect(await entriesWith(server, file.id, tag)).toEqual([]);
  });
});
