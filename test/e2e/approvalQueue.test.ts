import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { describeE2E, DESKTOP, launchChromium, newDeskContext, PHONE, screenshot, type DeskSession } from '../support/chromium.js';
import { api, signIn, startTestServer, type TestServer } from '../support/startTestServer.js';
import { blockingViolations, formatFindings } from '../support/e2eAxe.js';
import { card, createEntryViaApi, demoFile, expandEntry, horizontalOverflow, isEditorFocused, openLiveFile, UI_TIMEOUT, type LiveFileJson } from '../support/e2eDesk.js';

/**
 * The desk side of the approval workflow in real Chromium (ux.md §1, §2): the chief's queue, the
 * workflow on the desk's cards, the history and the live-file settings, over the real server.
 */
interface Entry {
  id: string;
  status: string;
  version: number;
  revision: number;
  note?: string;
  publishAt?: string;
  preview: string;
  liveFileId: string;
}
interface PublicEntry {
  id: string;
  text: string;
  corrected: boolean;
  retracted: null | { reason: string; at: string };
}

const SLUG = 'almaty-floods';

describeE2E('approval queue and desk workflow (Chromium)', () => {
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

  async function session(username: string, opts: { phone?: boolean } = {}): Promise<DeskSession> {
    const s = await newDeskContext(browser, server, username, { noNavigate: true, phone: opts.phone });
    sessions.push(s);
    return s;
  }

  const cookies = new Map<string, string>();
  async function as(username: string) {
    if (!cookies.has(username)) cookies.set(username, await signIn(server, username));
    return cookies.get(username)!;
  }
  async function entryNow(id: string): Promise<Entry> {
    const res = await api(server, await as('editor'), 'GET', `/api/entries/${id}`);
    expect(res.status).toBe(200);
    return res.json as unknown as Entry;
  }
  /** A workflow step over the API, as `username` (the state the test starts from). */
  async function step(username: string, id: string, action: string, extra: Record<string, unknown> = {}): Promise<Entry> {
    const now = await entryNow(id);
    const res = await api(server, await as(username), 'POST', `/api/entries/${id}/${action}`, { version: now.version, ...extra });
    expect(res.status, `${action}: ${JSON.stringify(res.json)}`).toBe(200);
    return res.json as unknown as Entry;
  }
  async function newEntry(username: string, text: string, liveFileId = file.id): Promise<Entry> {
    return (await createEntryViaApi(server, username, liveFileId, text)) as unknown as Entry;
  }
  async function publicEntries(): Promise<PublicEntry[]> {
    const res = await fetch(`${server.url}/api/public/live/${SLUG}?limit=100`); // no cookie: what readers get
    expect(res.status).toBe(200);
    return ((await res.json()) as { entries: PublicEntry[] }).entries;
  }
  async function openQueue(page: Page): Promise<void> {
    await page.goto(`${server.url}/#/queue`);
    await page.locator('ld-queue-page').getByTestId('queue-counts').waitFor({ timeout: UI_TIMEOUT });
    await expect.poll(() => page.getByTestId('queue-waiting-count').textContent(), { timeout: UI_TIMEOUT }).not.toBe('…');
  }
  const queueItem = (page: Page, id: string): Locator => page.locator(`ld-queue-page [data-testid="queue-item"][data-entry-id="${id}"]`);
  const detail = (page: Page): Locator => page.locator('ld-queue-page').getByTestId('queue-detail');
  /** The queue entry that has focus (its list button), or null. */
  const focusedItem = (page: Page) => page.evaluate(() => {
    const root = document.querySelector('ld-app')?.shadowRoot?.querySelector('ld-queue-page')?.shadowRoot;
    return (root?.activeElement as HTMLElement | null)?.dataset.entryId ?? null;
  });
  /** Presses J until the queue has `id` selected. */
  async function selectInQueue(page: Page, id: string) {
    await queueItem(page, id).waitFor({ timeout: UI_TIMEOUT });
    await queueItem(page, id).click();
    await expect.poll(() => detail(page).getAttribute('data-entry-id'), { timeout: UI_TIMEOUT }).toBe(id);
  }
  const badge = (page: Page, id: string) => card(page, id).getByTestId('status-badge').getAttribute('data-status');
  /** The caret is in some card's editor. */
  const editorFocused = (page: Page) => page.waitForFunction(() => [...document.querySelector('ld-app')!.shadowRoot!.querySelector('ld-live-file-page')!
    .shadowRoot!.querySelectorAll('ld-entry-card')].some((c) => (c.shadowRoot?.activeElement as HTMLElement | null)?.isContentEditable), null, { timeout: UI_TIMEOUT });

  it('[QU12] [QU4] [QU8] submit, reject with a note seen live, fix and resubmit, publish from the queue; then a correction and a retraction reach readers', { timeout: 240_000 }, async () => {
    const dana = await session('correspondent');
    const chief = await session('chief');
    await openLiveFile(dana.page, server, file.id);
    await openQueue(chief.page);
    const waitingBefore = Number(await chief.page.getByTestId('queue-waiting-count').textContent());
    await expect.poll(() => chief.page.getByTestId('queue-count').textContent(), { timeout: UI_TIMEOUT }).toBe(String(waitingBefore));

    // Dana writes a new entry and submits it from the editor with Ctrl+Enter.
    const newEntryButton = dana.page.getByTestId('new-entry');
    await expect.poll(() => newEntryButton.isEnabled(), { timeout: UI_TIMEOUT }).toBe(true);
    await newEntryButton.click();
    await editorFocused(dana.page);
    const text = 'Спасатели вывезли из Медеу ещё 40 человек.';
    await dana.page.keyboard.type(text);
    const me = (await server.store.accounts.findByUsername('correspondent'))!;
    await expect.poll(async () => (await server.store.entries.listByLiveFile(file.id)).find((e) => e.authorId === me.id && e.preview === text)?.id,
      { timeout: UI_TIMEOUT }).toBeTruthy();
    const id = (await server.store.entries.listByLiveFile(file.id)).find((e) => e.preview === text)!.id;
    await dana.page.keyboard.press('Control+Enter');
    await expect.poll(() => badge(dana.page, id), { timeout: UI_TIMEOUT }).toBe('submitted');
    await expect.poll(() => card(dana.page, id).getByTestId('entry-waiting').textContent(), { timeout: UI_TIMEOUT }).toMatch(/^waiting /);

    // The chief's queue (another browser) gets it without a reload, and the header's count follows.
    await queueItem(chief.page, id).waitFor({ timeout: UI_TIMEOUT });
    await expect.poll(() => chief.page.getByTestId('queue-count').textContent(), { timeout: UI_TIMEOUT }).toBe(String(waitingBefore + 1));
    const order = await chief.page.locator('ld-queue-page [data-testid="queue-item"]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.entryId));
    expect(order[order.length - 1], 'the newest submission waits last (oldest first)').toBe(id);
    await selectInQueue(chief.page, id);
    expect(await detail(chief.page).getByTestId('queue-diff-summary').textContent()).toMatch(/words?, all new/);
    expect(await detail(chief.page).getByTestId('queue-preview').textContent()).toContain(text);

    // Rejected with a note (R, type, Enter).
    await chief.page.keyboard.press('r');
    const note = 'Назовите источник, пожалуйста.';
    await chief.page.locator('ld-queue-page').getByTestId('flow-prompt-text').fill(note);
    await chief.page.keyboard.press('Enter');
    await expect.poll(() => queueItem(chief.page, id).count(), { timeout: UI_TIMEOUT }).toBe(0);
    expect((await entryNow(id)).status).toBe('rejected');

    // Dana sees the note live, on her card, with who sent it back.
    await expect.poll(() => card(dana.page, id).getByTestId('entry-sent-back').textContent().catch(() => ''), { timeout: UI_TIMEOUT })
      .toMatch(new RegExp(`Sent back by Timur Ospanov: .?${note}`));
    expect(await badge(dana.page, id)).toBe('rejected');

    // Edit and resubmit: she writes again (the server lets her), then submits.
    await card(dana.page, id).getByTestId('flow-edit-resubmit').click();
    const content = card(dana.page, id).getByTestId('editor-content');
    await expect.poll(() => content.getAttribute('contenteditable'), { timeout: UI_TIMEOUT }).toBe('true');
    await content.click();
    await expect.poll(() => isEditorFocused(dana.page, id), { timeout: UI_TIMEOUT }).toBe(true);
    await dana.page.keyboard.press('Control+End');
    await dana.page.keyboard.type(' Источник: ДЧС.');
    const fixed = `${text} Источник: ДЧС.`;
    await expect.poll(async () => (await entryNow(id)).preview, { timeout: UI_TIMEOUT }).toBe(fixed);
    await dana.page.keyboard.press('Control+Enter');
    await expect.poll(async () => (await entryNow(id)).status, { timeout: UI_TIMEOUT }).toBe('submitted');
    await expect.poll(() => badge(dana.page, id), { timeout: UI_TIMEOUT }).toBe('submitted');

    // Back in the queue, live; published from it with P.
    await selectInQueue(chief.page, id);
    expect(await detail(chief.page).getByTestId('queue-preview').textContent()).toContain('Источник: ДЧС.');
    await chief.page.keyboard.press('p');
    await expect.poll(() => queueItem(chief.page, id).count(), { timeout: UI_TIMEOUT }).toBe(0);
    await expect.poll(() => badge(dana.page, id), { timeout: UI_TIMEOUT }).toBe('published');
    const published = (await publicEntries()).find((e) => e.id === id);
    expect(published?.text).toBe(fixed);
    expect(published?.corrected).toBe(false);

    // A correction: an editor changes one word of the published entry (the card warns), submits; the chief publishes it.
    const arman = await session('editor');
    await openLiveFile(arman.page, server, file.id);
    await card(arman.page, id).waitFor({ timeout: UI_TIMEOUT });
    await expandEntry(arman.page, id);
    expect(await card(arman.page, id).getByTestId('correction-warning').textContent()).toContain('Readers see this once approved as a correction.');
    const editor = card(arman.page, id).getByTestId('editor-content');
    await editor.click();
    await arman.page.keyboard.press('Control+End');
    await arman.page.keyboard.type(' Обновлено.');
    const corrected = `${fixed} Обновлено.`;
    await expect.poll(async () => (await entryNow(id)).preview, { timeout: UI_TIMEOUT }).toBe(corrected);
    await expect.poll(() => card(arman.page, id).getByTestId('entry-correction-unsent').count(), { timeout: UI_TIMEOUT }).toBe(1);
    await arman.page.keyboard.press('Control+Enter');
    await expect.poll(async () => (await entryNow(id)).status, { timeout: UI_TIMEOUT }).toBe('submitted');
    expect((await publicEntries()).find((e) => e.id === id)?.text, 'readers keep the published wording meanwhile').toBe(fixed);

    await selectInQueue(chief.page, id);
    // The diff shows only the added word, nothing removed.
    await expect.poll(async () => (await detail(chief.page).getByTestId('diff-added').allTextContents()).map((t) => t.trim()), { timeout: UI_TIMEOUT }).toEqual(['Обновлено.']);
    expect(await detail(chief.page).getByTestId('diff-removed').count()).toBe(0);
    await detail(chief.page).getByTestId('queue-publish').click();
    await expect.poll(() => queueItem(chief.page, id).count(), { timeout: UI_TIMEOUT }).toBe(0);
    await expect.poll(async () => (await publicEntries()).find((e) => e.id === id), { timeout: UI_TIMEOUT }).toMatchObject({ text: corrected, corrected: true });

    // A retraction from the chief's card: a required reason; readers get the note; the card turns read-only.
    await openLiveFile(chief.page, server, file.id);
    await card(chief.page, id).waitFor({ timeout: UI_TIMEOUT });
    await expandEntry(chief.page, id);
    await card(chief.page, id).getByTestId('flow-retract').click();
    await card(chief.page, id).getByTestId('flow-prompt-confirm').click();
    expect(await card(chief.page, id).getByTestId('flow-prompt-error').textContent()).toMatch(/Write the reason/);
    const reason = 'Данные не подтвердились.';
    await card(chief.page, id).getByTestId('flow-prompt-text').fill(reason);
    await chief.page.keyboard.press('Enter');
    await expect.poll(async () => (await publicEntries()).find((e) => e.id === id)?.retracted?.reason, { timeout: UI_TIMEOUT }).toBe(reason);
    await expect.poll(() => card(chief.page, id).getByTestId('entry-retraction-reason').textContent().catch(() => ''), { timeout: UI_TIMEOUT }).toBe(reason);
    await expect.poll(() => badge(dana.page, id), { timeout: UI_TIMEOUT }).toBe('retracted');
    await expect.poll(() => card(chief.page, id).getByTestId('editor-content').getAttribute('contenteditable'), { timeout: UI_TIMEOUT }).toBe('false');
    expect([...dana.errors, ...chief.errors, ...arman.errors].filter((e) => !/409|403/.test(e))).toEqual([]);
  });

  it('[QU3] keyboard only: J moves, R rejects with a note (Esc cancels), P publishes, S schedules at a typed time; focus goes to the next entry each time', { timeout: 120_000 }, async () => {
    const mine: Entry[] = [];
    for (const t of ['Первое для очереди.', 'Второе для очереди.', 'Третье для очереди.']) {
      const e = await newEntry('correspondent', t);
      mine.push(await step('correspondent', e.id, 'submit'));
    }
    const chief = await session('chief');
    await openQueue(chief.page);
    for (const e of mine) await queueItem(chief.page, e.id).waitFor({ timeout: UI_TIMEOUT });
    // J from the top until the first of them is selected (each press focuses the entry it selects).
    for (let i = 0; i < 30 && (await detail(chief.page).getAttribute('data-entry-id')) !== mine[0]!.id; i++) await chief.page.keyboard.press('j');
    expect(await focusedItem(chief.page)).toBe(mine[0]!.id);
    await chief.page.keyboard.press('k');
    expect(await focusedItem(chief.page)).not.toBe(mine[0]!.id);
    await chief.page.keyboard.press('j');
    expect(await focusedItem(chief.page)).toBe(mine[0]!.id);
    // H: the history, Esc back.
    await chief.page.keyboard.press('h');
    await chief.page.getByTestId('history-dialog').getByTestId('history-step').first().waitFor({ timeout: UI_TIMEOUT });
    await chief.page.keyboard.press('Escape');
    await expect.poll(() => chief.page.getByTestId('history-dialog').count(), { timeout: UI_TIMEOUT }).toBe(0);

    // R opens the note, Esc cancels (focus back on Reject), R again, an empty Enter is refused, then sent.
    await chief.page.keyboard.press('r');
    const prompt = chief.page.locator('ld-queue-page ld-flow-prompt');
    await prompt.getByTestId('flow-prompt-text').waitFor({ timeout: UI_TIMEOUT });
    await chief.page.keyboard.press('Escape');
    await expect.poll(() => prompt.count(), { timeout: UI_TIMEOUT }).toBe(0);
    await chief.page.keyboard.press('r');
    await prompt.getByTestId('flow-prompt-text').waitFor({ timeout: UI_TIMEOUT });
    await chief.page.keyboard.press('Enter');
    await prompt.getByTestId('flow-prompt-error').waitFor({ timeout: UI_TIMEOUT });
    await chief.page.keyboard.type('Check the number.');
    await chief.page.keyboard.press('Enter');
    await expect.poll(() => focusedItem(chief.page), { timeout: UI_TIMEOUT }).toBe(mine[1]!.id);
    expect(await entryNow(mine[0]!.id)).toMatchObject({ status: 'rejected', note: 'Check the number.' });

    // P publishes the selected one; focus lands on the next.
    await chief.page.keyboard.press('p');
    await expect.poll(() => focusedItem(chief.page), { timeout: UI_TIMEOUT }).toBe(mine[2]!.id);
    expect((await entryNow(mine[1]!.id)).status).toBe('published');

    // S: a time in the file's zone, echoed with UTC and how soon; Enter schedules it.
    await chief.page.keyboard.press('s');
    const time = prompt.getByTestId('flow-prompt-time');
    await time.waitFor({ timeout: UI_TIMEOUT });
    await time.fill('23:59');
    expect(await prompt.getByTestId('flow-prompt-echo').textContent()).toMatch(/^(tomorrow )?23:59 Almaty, 18:59 UTC, in \d+ (h|min)/);
    await chief.page.keyboard.press('Enter');
    await expect.poll(async () => (await entryNow(mine[2]!.id)).status, { timeout: UI_TIMEOUT }).toBe('scheduled');
    const at = new Date((await entryNow(mine[2]!.id)).publishAt!);
    expect(at.getUTCHours() * 60 + at.getUTCMinutes()).toBe(18 * 60 + 59);
    expect(at.getTime()).toBeGreaterThan(Date.now());
    // It no longer waits: the scheduler publishes it at that time.
    await expect.poll(() => queueItem(chief.page, mine[2]!.id).count(), { timeout: UI_TIMEOUT }).toBe(0);
    expect(chief.errors).toEqual([]);
  });

  it('[QU5] another chief acted first: the queue names who, refreshes and applies nothing twice; a click retried after no answer reuses its key', { timeout: 120_000 }, async () => {
    const a = await step('correspondent', (await newEntry('correspondent', 'Гонка за публикацию.')).id, 'submit');
    const b = await step('correspondent', (await newEntry('correspondent', 'Повтор без ответа.')).id, 'submit');
    const chief = await session('chief');
    await openQueue(chief.page);
    await selectInQueue(chief.page, a.id);
    // Hold the queue's refetch so the page still shows the entry when the admin publishes it.
    let hold = true;
    await chief.page.route('**/api/queue', async (route) => {
      while (hold) await new Promise((r) => setTimeout(r, 50));
      await route.continue();
    });
    await step('admin', a.id, 'publish');
    await chief.page.keyboard.press('p');
    const notice = chief.page.locator('ld-queue-page').getByTestId('queue-notice');
    await notice.waitFor({ timeout: UI_TIMEOUT });
    expect(await notice.textContent()).toContain('Admin');
    hold = false;
    await chief.page.unroute('**/api/queue');
    await expect.poll(() => queueItem(chief.page, a.id).count(), { timeout: UI_TIMEOUT }).toBe(0);
    const history = await api(server, await as('editor'), 'GET', `/api/entries/${a.id}/history`);
    const steps = (history.json as unknown as { audit: Array<{ action: string; actorName: string }> }).audit;
    expect(steps.filter((s) => s.action === 'publish')).toEqual([expect.objectContaining({ actorName: 'Admin' })]);

    // No answer for the first try of a publish: Try again sends the same Idempotency-Key; published once.
    const keys: string[] = [];
    let failFirst = true;
    await chief.page.route(`**/api/entries/${b.id}/publish`, async (route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (failFirst) {
        failFirst = false;
        return route.abort('failed');
      }
      await route.continue();
    });
    await selectInQueue(chief.page, b.id);
    await detail(chief.page).getByTestId('queue-publish').click();
    const retry = detail(chief.page).getByTestId('queue-retry');
    await retry.waitFor({ timeout: UI_TIMEOUT });
    expect(await detail(chief.page).getByTestId('queue-refusal').textContent()).toMatch(/Nothing was changed; try again/);
    await retry.click();
    await expect.poll(async () => (await entryNow(b.id)).status, { timeout: UI_TIMEOUT }).toBe('published');
    expect(keys.length).toBe(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
  });

  it('[QU6] [QU11] settings: four-eyes on; the author-chief sees Publish disabled with the reason; the file restricted to named members; audit export', { timeout: 120_000 }, async () => {
    const chiefAccount = (await server.store.accounts.findByUsername('chief'))!;
    const created = await api(server, await as('chief'), 'POST', '/api/live-files', { title: `Four eyes ${randomUUID().slice(0, 6)}`, timezone: 'Asia/Almaty' });
    expect(created.status).toBe(201);
    const fresh = created.json as unknown as LiveFileJson;
    const own = await step('chief', (await newEntry('chief', 'Написал сам, публикует другой.', fresh.id)).id, 'submit');

    // Her own card in a second browser: Publish enabled until four-eyes turns on, then disabled with the reason, live.
    const other = await session('chief');
    await openLiveFile(other.page, server, fresh.id);
    await card(other.page, own.id).waitFor({ timeout: UI_TIMEOUT });
    expect(await card(other.page, own.id).getByTestId('flow-publish').isEnabled()).toBe(true);
    const chief = await session('chief');
    await openLiveFile(chief.page, server, fresh.id);
    await chief.page.getByTestId('file-settings-open').click();
    const dialog = chief.page.getByTestId('file-settings');
    await dialog.getByTestId('access-four-eyes').check();
    await dialog.getByTestId('access-restricted').check();
    const people = dialog.getByTestId('access-person');
    await people.first().waitFor({ timeout: UI_TIMEOUT });
    const editorId = (await server.store.accounts.findByUsername('editor'))!.id;
    const adminId = (await server.store.accounts.findByUsername('admin'))!.id;
    await dialog.locator(`[data-testid="access-person"][data-person-id="${editorId}"]`).check();
    await dialog.locator(`[data-testid="access-person"][data-person-id="${adminId}"]`).check();
    await screenshot(chief.page, 'queue-settings-1280', { fullPage: false });
    await dialog.getByTestId('file-settings-save').click();
    await expect.poll(() => dialog.getByTestId('file-settings-saved').textContent(), { timeout: UI_TIMEOUT }).toMatch(/Saved: 3 members, four-eyes on/);
    await expect.poll(() => card(other.page, own.id).getByTestId('flow-publish').isDisabled(), { timeout: UI_TIMEOUT }).toBe(true);
    expect(await card(other.page, own.id).getByTestId('flow-why').textContent()).toMatch(/Four-eyes is on/);
    const stored = (await server.store.liveFiles.findById(fresh.id))!;
    expect(stored.fourEyes).toBe(true);
    expect([...(stored.members ?? [])].sort()).toEqual([chiefAccount.id, editorId, adminId].sort());
    // The correspondent (not a member) no longer sees the file.
    const list = await api(server, await as('correspondent'), 'GET', '/api/live-files');
    expect((list.json as unknown as { liveFiles: LiveFileJson[] }).liveFiles.map((f) => f.id)).not.toContain(fresh.id);

    // The audit export links download for the desk.
    const csvHref = await dialog.getByTestId('audit-csv').getAttribute('href');
    const csv = await fetch(`${server.url}${csvHref}`, { headers: { cookie: await as('chief') } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(await csv.text()).toContain('submit');
    const jsonHref = await dialog.getByTestId('audit-json').getAttribute('href');
    expect((await fetch(`${server.url}${jsonHref}`, { headers: { cookie: await as('chief') } })).status).toBe(200);
    await chief.page.keyboard.press('Escape');
    await expect.poll(() => dialog.count(), { timeout: UI_TIMEOUT }).toBe(0);
    expect(await chief.page.getByTestId('file-settings-open').evaluate((el) => el.matches(':focus'))).toBe(true);

    // Four-eyes in the queue: her own entry's Publish and Schedule stay visible, disabled, with the reason; P says it.
    await openQueue(chief.page);
    await selectInQueue(chief.page, own.id);
    expect(await detail(chief.page).getByTestId('queue-publish').isDisabled()).toBe(true);
    expect(await detail(chief.page).getByTestId('queue-schedule').isDisabled()).toBe(true);
    expect(await detail(chief.page).getByTestId('queue-reject').isEnabled()).toBe(true);
    expect(await detail(chief.page).getByTestId('queue-why').textContent()).toMatch(/Four-eyes is on/);
    expect((await detail(chief.page).getByTestId('queue-four-eyes').textContent())?.replace(/\s+/g, ' ')).toMatch(/a chief other than Timur Ospanov publishes this/);
    await chief.page.keyboard.press('p');
    await expect.poll(() => chief.page.getByTestId('queue-announcer').textContent(), { timeout: UI_TIMEOUT }).toMatch(/Four-eyes is on/);
    expect((await entryNow(own.id)).status).toBe('submitted');
    // The admin, a member who did not write it, may.
    const admin = await session('admin');
    await openQueue(admin.page);
    await selectInQueue(admin.page, own.id);
    expect(await detail(admin.page).getByTestId('queue-publish').isEnabled()).toBe(true);
  });

  it('[QU7] [QU9] [QU10] desk cards in every state: Submit (Ctrl+Enter on the card), the badge live, waiting time, schedule time, the note, retraction reason, history', { timeout: 150_000 }, async () => {
    const draft = await newEntry('editor', 'Черновик редактора для карточки.');
    const submitted = await step('correspondent', (await newEntry('correspondent', 'Отправлено и ждёт.')).id, 'submit');
    const scheduledIn = new Date(Date.now() + 2 * 3600_000).toISOString();
    const scheduledE = await newEntry('correspondent', 'Запланировано на потом.');
    await step('correspondent', scheduledE.id, 'submit');
    await step('chief', scheduledE.id, 'schedule', { publishAt: scheduledIn });
    const rejected = await newEntry('correspondent', 'Отклонено с заметкой.');
    await step('correspondent', rejected.id, 'submit');
    await step('chief', rejected.id, 'reject', { note: 'Уточните время.' });
    const retracted = await newEntry('correspondent', 'Снято с публикации.');
    await step('correspondent', retracted.id, 'submit');
    await step('chief', retracted.id, 'publish');
    await step('chief', retracted.id, 'retract', { reason: 'Ошибка в цифрах.' });

    const chief = await session('chief');
    const arman = await session('editor');
    await Promise.all([openLiveFile(chief.page, server, file.id), openLiveFile(arman.page, server, file.id)]);
    for (const e of [draft, submitted, scheduledE, rejected, retracted]) await card(chief.page, e.id).waitFor({ timeout: UI_TIMEOUT });
    expect(await card(chief.page, submitted.id).getByTestId('entry-waiting').textContent()).toMatch(/^waiting (under a minute|\d+ min)$/);
    expect(await card(chief.page, scheduledE.id).getByTestId('status-badge').textContent()).toMatch(/Scheduled (\d{1,2} [A-Z][a-z]{2}, )?\d\d:\d\d/); // two hours on may be tomorrow in the file's zone
    expect(await card(chief.page, rejected.id).getByTestId('entry-sent-back').textContent()).toMatch(/Sent back by Timur Ospanov: .?Уточните время\./);
    expect(await card(chief.page, retracted.id).getByTestId('entry-retracted').textContent()).toMatch(/Retracted by Timur Ospanov at \d\d:\d\d: .?Ошибка в цифрах\./);
    // The chief's card offers the chief's steps; the editor's only Submit.
    for (const id of ['flow-publish', 'flow-schedule', 'flow-reject']) expect(await card(chief.page, submitted.id).getByTestId(id).count(), id).toBe(1);
    for (const id of ['flow-publish', 'flow-schedule', 'flow-reject']) expect(await card(arman.page, submitted.id).getByTestId(id).count(), id).toBe(0);
    expect(await card(arman.page, draft.id).getByTestId('flow-submit').count()).toBe(1);
    expect(await card(arman.page, retracted.id).getByTestId('entry-flow').locator('button').count()).toBe(0);

    for (const e of [draft, submitted, scheduledE, rejected, retracted]) {
      await card(chief.page, e.id).scrollIntoViewIfNeeded();
      await card(chief.page, e.id).screenshot({ path: `screenshots/card-${(await entryNow(e.id)).status}-1280.png`, animations: 'disabled' });
    }

    // The same cards on a phone, the chief's and the author's (her rejected entry, with its note and Edit and resubmit).
    const phone = await session('chief', { phone: true });
    const danaPhone = await session('correspondent', { phone: true });
    await Promise.all([openLiveFile(phone.page, server, file.id), openLiveFile(danaPhone.page, server, file.id)]);
    for (const e of [draft, submitted, scheduledE, rejected, retracted]) {
      await card(phone.page, e.id).scrollIntoViewIfNeeded();
      await card(phone.page, e.id).screenshot({ path: `screenshots/card-${(await entryNow(e.id)).status}-390.png`, animations: 'disabled' });
    }
    // A folded card on the phone keeps Submit one tap away, behind ⋯.
    await card(phone.page, draft.id).scrollIntoViewIfNeeded();
    expect(await card(phone.page, draft.id).getByTestId('entry-submit').isVisible()).toBe(false);
    await card(phone.page, draft.id).getByTestId('entry-more').tap();
    await expect.poll(() => card(phone.page, draft.id).getByTestId('entry-submit').isVisible(), { timeout: UI_TIMEOUT }).toBe(true);
    await card(danaPhone.page, rejected.id).scrollIntoViewIfNeeded();
    expect(await card(danaPhone.page, rejected.id).getByTestId('flow-edit-resubmit').count()).toBe(1);
    await card(danaPhone.page, rejected.id).screenshot({ path: 'screenshots/card-rejected-390-author.png', animations: 'disabled' });
    const { overflow, culprits } = await horizontalOverflow(phone.page);
    expect(overflow, `the desk scrolls sideways: ${culprits.join(', ')}`).toBeLessThanOrEqual(0);
    expect(await smallTargets(phone.page), 'targets under 44×44 px on the phone desk').toEqual([]);
    await phone.context.close();
    await danaPhone.context.close();
    sessions.splice(sessions.indexOf(phone), 1);
    sessions.splice(sessions.indexOf(danaPhone), 1);

    // Ctrl+Enter on the focused card submits it; the chief's badge follows live.
    await card(arman.page, draft.id).focus();
    await arman.page.keyboard.press('Control+Enter');
    await expect.poll(async () => (await entryNow(draft.id)).status, { timeout: UI_TIMEOUT }).toBe('submitted');
    await expect.poll(() => badge(chief.page, draft.id), { timeout: UI_TIMEOUT }).toBe('submitted');

    // Reject from the chief's card needs a note; it goes back live to the editor.
    await card(chief.page, draft.id).getByTestId('flow-reject').click();
    await card(chief.page, draft.id).getByTestId('flow-prompt-text').fill('Добавьте источник.');
    await card(chief.page, draft.id).getByTestId('flow-prompt-confirm').click();
    await expect.poll(() => badge(arman.page, draft.id), { timeout: UI_TIMEOUT }).toBe('rejected');

    // History: every step with who and the exact time; Esc closes, focus returns to the button.
    const historyButton = card(chief.page, retracted.id).getByTestId('entry-history');
    await historyButton.click();
    const dialog = chief.page.getByTestId('history-dialog');
    await dialog.getByTestId('history-step').first().waitFor({ timeout: UI_TIMEOUT });
    const steps = await dialog.getByTestId('history-step').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.action));
    expect(steps).toEqual(['submit', 'publish', 'retract']);
    const first = await dialog.getByTestId('history-step').first().textContent();
    expect(first).toMatch(/\d\d:\d\d:\d\d/);
    expect(first).toMatch(/Dana Sadykova submitted/);
    expect(first).toMatch(/Draft → Submitted/);
    expect(await dialog.getByTestId('history-publication').count()).toBeGreaterThanOrEqual(1);
    await screenshot(chief.page, 'card-history-1280', { fullPage: false });
    await chief.page.keyboard.press('Escape');
    await expect.poll(() => dialog.count(), { timeout: UI_TIMEOUT }).toBe(0);
    expect(await historyButton.evaluate((el) => el.matches(':focus'))).toBe(true);
    expect([...chief.errors, ...arman.errors]).toEqual([]);
  });

  /** Every element a finger can press in the page (shadow roots included), with its box. */
  async function smallTargets(page: Page): Promise<string[]> {
    return page.evaluate(() => {
      const out: string[] = [];
      const selector = 'button, a[href], input, select, textarea, summary, [role="button"], [tabindex]:not([tabindex="-1"])';
      const walk = (root: Document | ShadowRoot) => {
        for (const el of root.querySelectorAll('*')) {
          if (el.shadowRoot) walk(el.shadowRoot);
          if (!el.matches(selector) || (el as HTMLElement).isContentEditable) continue;
          const r = el.getBoundingClientRect();
          if (r.width === 0 || r.height === 0 || el.closest('.visually-hidden')) continue;
          if (r.width < 44 || r.height < 44) out.push(`${el.tagName.toLowerCase()} "${el.getAttribute('aria-label') ?? el.getAttribute('data-testid') ?? (el.textContent ?? '').trim().slice(0, 30)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
        }
      };
      walk(document);
      return out;
    });
  }

  for (const size of [{ name: '1280', phone: false, viewport: DESKTOP }, { name: '390', phone: true, viewport: PHONE }] as const) {
    it(`[QU13] [QU1] [QU2] the queue at ${size.name} px: the list, the diff and preview, the note field; no serious axe finding; screenshots (looked at by hand)`, { timeout: 120_000 }, async () => {
      const published = await newEntry('correspondent', 'Вода поднялась на улицах Медеуского района.');
      await step('correspondent', published.id, 'submit');
      await step('chief', published.id, 'publish');
      const s = await session('editor');
      await openLiveFile(s.page, server, file.id);
      await expandEntry(s.page, published.id);
      await card(s.page, published.id).getByTestId('editor-content').click();
      await s.page.keyboard.press('Control+End');
      await s.page.keyboard.type(' Сильно.');
      await expect.poll(async () => (await entryNow(published.id)).preview, { timeout: UI_TIMEOUT }).toMatch(/Сильно\.$/);
      await step('editor', published.id, 'submit');
      await s.context.close();
      sessions.splice(sessions.indexOf(s), 1);

      const chief = await session('chief', { phone: size.phone });
      if (!size.phone) await chief.page.setViewportSize(size.viewport);
      await openQueue(chief.page);
      await queueItem(chief.page, published.id).waitFor({ timeout: UI_TIMEOUT });
      // Oldest first; each with its age in words.
      const ages = await chief.page.locator('ld-queue-page [data-testid="queue-item-age"]').allTextContents();
      expect(ages.every((a) => /^waiting (under a minute|\d+ min|since \d\d:\d\d)$/.test(a)), ages.join(' | ')).toBe(true);
      await screenshot(chief.page, `queue-${size.name}`, { fullPage: false });
      let axe = await blockingViolations(chief.page);
      expect(axe, `queue list:\n  ${formatFindings(axe)}`).toEqual([]);

      await queueItem(chief.page, published.id).click();
      await expect.poll(() => detail(chief.page).getAttribute('data-entry-id'), { timeout: UI_TIMEOUT }).toBe(published.id);
      expect((await detail(chief.page).getByTestId('diff-added').allTextContents()).map((t) => t.trim())).toEqual(['Сильно.']);
      expect(await detail(chief.page).locator('del').count()).toBe(0);
      await screenshot(chief.page, `queue-${size.name}-correction`, { fullPage: size.phone });
      await detail(chief.page).getByTestId('queue-reject').click();
      await chief.page.locator('ld-queue-page').getByTestId('flow-prompt-text').waitFor({ timeout: UI_TIMEOUT });
      await screenshot(chief.page, `queue-${size.name}-reject`, { fullPage: size.phone });
      axe = await blockingViolations(chief.page);
      expect(axe, `queue with the note field:\n  ${formatFindings(axe)}`).toEqual([]);
      if (size.phone) {
        const { overflow, culprits } = await horizontalOverflow(chief.page);
        expect(overflow, `the queue scrolls sideways: ${culprits.join(', ')}`).toBeLessThanOrEqual(0);
        expect(await smallTargets(chief.page), 'targets under 44×44 px').toEqual([]);
      }
      // Night mode too.
      await chief.page.getByTestId('theme-switch').click();
      await screenshot(chief.page, `queue-${size.name}-dark`, { fullPage: false });
      axe = await blockingViolations(chief.page);
      expect(axe, `queue in night mode:\n  ${formatFindings(axe)}`).toEqual([]);
      await chief.page.getByTestId('theme-switch').click();
      await step('chief', published.id, 'reject', { note: 'Не нужно.' });
      expect(chief.errors).toEqual([]);
    });
  }
});
