import { randomUUID } from 'node:crypto';
import { act } from '../support/workflow.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Role } from '../../shared/roles.js';
import { describeE2E, DESKTOP, goOffline, goOnline, launchChromium, newDeskContext, PHONE, screenshot, signInThroughForm, watchErrors, type DeskSession } from '../support/chromium.js';
import { startTestServer, type TestServer } from '../support/startTestServer.js';
import { blockingViolations, formatFindings } from '../support/e2eAxe.js';
import { card, demoFile, expandEntry, horizontalOverflow, openLiveFile, UI_TIMEOUT, type EntryJson, type LiveFileJson } from '../support/e2eDesk.js';

/**
 * Issue 9, "Every role lands somewhere that works": a correspondent opening a live file, the
 * access banner only on a real revocation (and its Sign in never looping), in real Chromium.
 */
describeE2E('every role lands somewhere that works (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let file: LiveFileJson;
  let all: EntryJson[];
  const sessions: DeskSession[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchChromium()]);
    ({ file, entries: all } = await demoFile(server, 'editor'));
  });
  afterAll(async () => {
    for (const s of sessions) await s.context.close();
    await browser?.close();
    await server?.close();
  });

  /** Collab documents the page tried to open (every WebSocket to /collab/, refused or not). */
  function collabDocsOpened(page: Page): string[] {
    const opened: string[] = [];
    page.on('websocket', (ws) => {
      const m = /\/collab\/([^?]+)/.exec(ws.url());
      if (m) opened.push(decodeURIComponent(m[1]!));
    });
    return opened;
  }

  async function session(username: string): Promise<DeskSession> {
    const s = await newDeskContext(browser, server, username, { noNavigate: true });
    sessions.push(s);
    return s;
  }

  /** A fresh account of the demo newsroom in its own browser context (not signed in yet). */
  async function freshPerson(role: Role): Promise<{ id: string; username: string; password: string; s: DeskSession }> {
    const demo = await server.store.accounts.findByUsername('editor');
    const username = `${role}-${randomUUID().slice(0, 8)}`;
    const password = randomUUID();
    const account = await server.server.services.accounts.createAccount({ newsroomId: demo!.newsroomId, username, displayName: `Test ${username.slice(-4)}`, role, password });
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB', timezoneId: 'Asia/Almaty', reducedMotion: 'reduce' });
    context.setDefaultTimeout(UI_TIMEOUT);
    const page = await context.newPage();
    const s: DeskSession = { context, page, username, displayName: account.displayName, errors: watchErrors(page) };
    sessions.push(s);
    return { id: account.id, username, password, s };
  }

  const banner = (page: Page) => page.getByTestId('read-only-banner');
  const visibleIds = (page: Page) => page.locator('ld-entry-card').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.entryId ?? '').sort());

  /** The caret is in some card's editor (Playwright types Cyrillic as text input, which type-ahead capture cannot see). */
  const editorFocused = (page: Page) => page.waitForFunction(() => [...document.querySelector('ld-app')!.shadowRoot!.querySelector('ld-live-file-page')!
    .shadowRoot!.querySelectorAll('ld-entry-card')].some((c) => (c.shadowRoot?.activeElement as HTMLElement | null)?.isContentEditable), null, { timeout: UI_TIMEOUT });

  /** Tries a collab document from inside the page, with its cookie: did the server let it open? */
  async function opensInPage(page: Page, docName: string): Promise<boolean> {
    return page.evaluate((doc) => new Promise<boolean>((resolve) => {
      const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/collab/${encodeURIComponent(doc)}`);
      ws.onopen = () => (ws.close(), resolve(true));
      ws.onclose = () => resolve(false);
    }), docName);
  }

  it('[RL1] [CP4] a correspondent opening a live file sees her own entries, writes her draft and creates one; no desk document, no access banner', async () => {
    const me = await server.store.accounts.findByUsername('correspondent');
    const hers = all.filter((e) => (e as EntryJson & { authorId: string }).authorId === me!.id);
    expect(hers.length).toBeGreaterThan(0);
    const s = await session('correspondent');
    const opened = collabDocsOpened(s.page);
    await openLiveFile(s.page, server, file.id);
    await expect.poll(() => visibleIds(s.page), { timeout: UI_TIMEOUT }).toEqual(hers.map((e) => e.id).sort());

    // A new entry: created, written, on the server.
    const newEntry = s.page.getByTestId('new-entry');
    await expect.poll(() => newEntry.isEnabled(), { timeout: UI_TIMEOUT }).toBe(true);
    await newEntry.click();
    const text = 'Медеу: вода отступает, спасатели на месте.';
    await editorFocused(s.page);
    await s.page.keyboard.type(text);
    await expect.poll(async () => (await server.store.entries.listByLiveFile(file.id)).filter((e) => e.authorId === me!.id).map((e) => e.preview),
      { timeout: UI_TIMEOUT }).toContain(text);
    const created = (await server.store.entries.listByLiveFile(file.id)).find((e) => e.preview === text)!;
    await expect.poll(() => s.page.getByTestId('connection-status').getAttribute('data-state'), { timeout: UI_TIMEOUT }).toBe('live');

    // Her draft, written again after a reload: the page still works as hers.
    await s.page.reload();
    await s.page.getByTestId('live-file-title').waitFor({ timeout: UI_TIMEOUT });
    const content = await expandEntry(s.page, created.id);
    await content.click();
    await s.page.keyboard.press('Control+End');
    await s.page.keyboard.type(' Ещё.');
    await expect.poll(async () => (await server.store.entries.findById(created.id))!.preview, { timeout: UI_TIMEOUT }).toBe(`${text} Ещё.`);

    // The page never asked for the desk document, nor for anyone else's entry.
    expect(opened.filter((d) => d.startsWith('file:'))).toEqual([]);
    const foreign = all.find((e) => !hers.includes(e))!;
    expect(opened).not.toContain(`entry:${foreign.id}`);
    expect(await banner(s.page).count()).toBe(0);
    // Her cards offer what she can do: edit. Pins, key marks and moves are the desk's (no grip, no buttons).
    for (const id of ['drag-grip', 'entry-pin', 'entry-key', 'entry-move-up', 'entry-move-down']) expect(await s.page.getByTestId(id).count(), id).toBe(0);
    expect(await s.page.getByTestId('entry-edit').count()).toBe(hers.length + 1);
    // Nor filters that mean nothing on her page (every entry is hers; key marks live in the desk doc).
    expect(await s.page.locator('[data-testid^="filter-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))).toEqual(['filter-all', 'filter-drafts']);
    // And the server still refuses both, to her own cookie from her own page.
    expect(await opensInPage(s.page, `file:${file.id}`)).toBe(false);
    expect(await opensInPage(s.page, `entry:${foreign.id}`)).toBe(false);
    expect(await opensInPage(s.page, `entry:${created.id}`)).toBe(true);
    expect(s.errors.filter((e) => !/WebSocket|403/.test(e))).toEqual([]);
  });

  it('[RL1] with no entry open her connection state still tells the truth: offline when the network goes, live when it is back', async () => {
    const s = await session('correspondent');
    await openLiveFile(s.page, server, file.id);
    const state = () => s.page.getByTestId('connection-status').getAttribute('data-state');
    await expect.poll(state, { timeout: UI_TIMEOUT }).toBe('live');
    await goOffline(s.context);
    await expect.poll(state, { timeout: UI_TIMEOUT }).toBe('offline');
    await goOnline(s.context);
    await expect.poll(state, { timeout: UI_TIMEOUT }).toBe('live');
  });

  it('[RL2] her entry going to the desk turns that card read-only, not her page: no banner, New entry still works', async () => {
    const me = (await server.store.accounts.findByUsername('correspondent'))!;
    const s = await session('correspondent');
    await openLiveFile(s.page, server, file.id);
    const draft = (await server.store.entries.listByLiveFile(file.id)).find((e) => e.authorId === me.id && e.status === 'draft')
      ?? (await server.server.services.entries.create(me, file.id, { idempotencyKey: randomUUID(), text: 'Черновик.' })).entry;
    await card(s.page, draft.id).waitFor({ timeout: UI_TIMEOUT });
    const content = await expandEntry(s.page, draft.id);
    await expect.poll(() => content.getAttribute('contenteditable'), { timeout: UI_TIMEOUT }).toBe('true');

    await act(server, 'correspondent', draft.id, 'submit');
    await expect.poll(() => content.getAttribute('contenteditable'), { timeout: UI_TIMEOUT }).toBe('false');
    await expect.poll(() => card(s.page, draft.id).getByTestId('entry-headline-input').getAttribute('readonly'), { timeout: UI_TIMEOUT }).not.toBeNull();
    // A submitted entry of hers she already had (the demo's), opened after: read-only too.
    const submitted = (await server.store.entries.listByLiveFile(file.id)).find((e) => e.authorId === me.id && e.status === 'published')!;
    const other = await expandEntry(s.page, submitted.id);
    await expect.poll(() => other.getAttribute('contenteditable'), { timeout: UI_TIMEOUT }).toBe('false');
    expect(await banner(s.page).count()).toBe(0);
    expect(await s.page.getByTestId('new-entry').isEnabled()).toBe(true);
    expect(await s.page.getByTestId('connection-status').getAttribute('data-state')).not.toBe('stopped');
  });

  it('[RL3] a real revocation shows the banner; its Sign in, as the same account, lands on a working page and never loops', async () => {
    const accountId = (await server.store.accounts.findByUsername('editor2'))!.id;
    const s = await session('editor2');
    await openLiveFile(s.page, server, file.id);
    const entriesNow = (await server.store.entries.listByLiveFile(file.id)).length;
    await expect.poll(() => s.page.locator('ld-entry-card').count(), { timeout: UI_TIMEOUT }).toBe(entriesNow);

    await server.server.services.accounts.updateAccount(accountId, { role: 'correspondent' });
    try {
      await banner(s.page).waitFor({ timeout: UI_TIMEOUT });
      expect(await banner(s.page).textContent()).toContain('Your access was removed.');
      await s.page.getByTestId('banner-sign-in').click();
      await s.page.getByTestId('signin-form').waitFor({ timeout: UI_TIMEOUT });
      const opened = collabDocsOpened(s.page);
      await signInThroughForm(s.page, 'editor2', server.logins.find((l) => l.username === 'editor2')!.password);

      // Back on the same live file, as who she now is: her own entries, writable, no banner.
      await s.page.getByTestId('live-file-title').waitFor({ timeout: UI_TIMEOUT });
      const hers = all.filter((e) => (e as EntryJson & { authorId: string }).authorId === accountId).map((e) => e.id).sort();
      await expect.poll(() => visibleIds(s.page), { timeout: UI_TIMEOUT }).toEqual(hers);
      await expect.poll(() => s.page.getByTestId('new-entry').isEnabled(), { timeout: UI_TIMEOUT }).toBe(true);
      await s.page.getByTestId('new-entry').click();
      await editorFocused(s.page);
      await s.page.keyboard.type('После повышения… то есть понижения.');
      await expect.poll(async () => (await server.store.entries.listByLiveFile(file.id)).some((e) => e.authorId === accountId && e.preview.startsWith('После')),
        { timeout: UI_TIMEOUT }).toBe(true);
      expect(opened.filter((d) => d.startsWith('file:'))).toEqual([]);
      expect(await banner(s.page).count()).toBe(0);
    } finally {
      await server.server.services.accounts.updateAccount(accountId, { role: 'editor' });
    }
  });

  it('[RL3] a correspondent deactivated on her page is told, and Sign in does not bring the banner back', async () => {
    const p = await freshPerson('correspondent');
    await p.s.page.goto(`${server.url}/#/files/${file.id}`);
    await signInThroughForm(p.s.page, p.username, p.password);
    await p.s.page.getByTestId('live-file-title').waitFor({ timeout: UI_TIMEOUT });
    await expect.poll(() => p.s.page.getByTestId('empty-state').count(), { timeout: UI_TIMEOUT }).toBe(1);
    await p.s.page.getByTestId('new-entry').click();
    await p.s.page.keyboard.type('Before.');
    await expect.poll(async () => (await server.store.entries.listByLiveFile(file.id)).some((e) => e.authorId === p.id && e.preview === 'Before.'),
      { timeout: UI_TIMEOUT }).toBe(true);

    await server.server.services.accounts.updateAccount(p.id, { active: false });
    await banner(p.s.page).waitFor({ timeout: UI_TIMEOUT });
    expect(await banner(p.s.page).textContent()).toContain('Your access was removed.');
    await p.s.page.getByTestId('banner-sign-in').click();
    await signInThroughForm(p.s.page, p.username, p.password);
    await p.s.page.getByTestId('signin-error').waitFor({ timeout: UI_TIMEOUT });
    expect(await banner(p.s.page).count()).toBe(0);

    await server.server.services.accounts.updateAccount(p.id, { active: true });
    await signInThroughForm(p.s.page, p.username, p.password);
    await p.s.page.getByTestId('live-file-title').waitFor({ timeout: UI_TIMEOUT });
    await expect.poll(() => p.s.page.locator('ld-entry-card').count(), { timeout: UI_TIMEOUT }).toBe(1);
    await expect.poll(() => p.s.page.getByTestId('new-entry').isEnabled(), { timeout: UI_TIMEOUT }).toBe(true);
    expect(await banner(p.s.page).count()).toBe(0);
  });

  /** The row of a live file in the list page the viewer has open: its count and "updated" time. */
  async function row(page: Page, fileId: string): Promise<{ count: string; updated: string | null }> {
    const item = page.locator(`[data-testid="live-file-item"][data-live-file-id="${fileId}"]`);
    const [count, updated] = await Promise.all([item.getByTestId('live-file-count').textContent(), item.getByTestId('live-file-updated').getAttribute('datetime')]);
    return { count: (count ?? '').trim(), updated };
  }

  it('[RL4] [RL5] the live-files list counts what each viewer can open, and moves live when an entry is created or edited', async () => {
    const desk = await session('editor');
    const reporter = await session('correspondent');
    await Promise.all([desk.page.goto(server.url), reporter.page.goto(server.url)]);
    const demoCount = (await server.store.entries.listByLiveFile(file.id)).length;
    const me = (await server.store.accounts.findByUsername('correspondent'))!;
    const hersInDemo = (await server.store.entries.listByLiveFile(file.id)).filter((e) => e.authorId === me.id).length;
    await expect.poll(() => row(desk.page, file.id).then((r) => r.count), { timeout: UI_TIMEOUT }).toBe(`${demoCount} entries`);
    await expect.poll(() => row(reporter.page, file.id).then((r) => r.count), { timeout: UI_TIMEOUT }).toBe(`${hersInDemo} entries`);

    // A new file, seen by both lists as it opens.
    const editor = (await server.store.accounts.findByUsername('editor'))!;
    const fresh = await server.server.services.liveFiles.create(editor, { title: `Row test ${randomUUID().slice(0, 6)}`, timezone: 'Asia/Almaty' });
    await expect.poll(() => row(reporter.page, fresh.id).then((r) => r.count), { timeout: UI_TIMEOUT }).toBe('0 entries');
    await expect.poll(() => row(desk.page, fresh.id).then((r) => r.count), { timeout: UI_TIMEOUT }).toBe('0 entries');

    const byEditor = (await server.server.services.entries.create(editor, fresh.id, { idempotencyKey: randomUUID(), text: 'Desk first.' })).entry;
    await expect.poll(() => row(desk.page, fresh.id), { timeout: UI_TIMEOUT }).toEqual({ count: '1 entry', updated: byEditor.updatedAt });
    const edited = await server.server.services.entries.updateMeta(editor, byEditor.id, { headline: 'Edited on the desk' });
    await expect.poll(() => row(desk.page, fresh.id), { timeout: UI_TIMEOUT }).toEqual({ count: '1 entry', updated: edited.updatedAt });

    const own = (await server.server.services.entries.create(me, fresh.id, { idempotencyKey: randomUUID(), text: 'Hers.' })).entry;
    await expect.poll(() => row(reporter.page, fresh.id), { timeout: UI_TIMEOUT }).toEqual({ count: '1 entry', updated: own.updatedAt });
    await expect.poll(() => row(desk.page, fresh.id), { timeout: UI_TIMEOUT }).toEqual({ count: '2 entries', updated: own.updatedAt });
    // Her row never counted the desk's entry, nor moved for it (her first update is her own entry's).
    expect(await row(reporter.page, fresh.id)).toEqual({ count: '1 entry', updated: own.updatedAt });
    expect([...desk.errors, ...reporter.errors]).toEqual([]);
  });

  it('[RL6] an admin lands on an admin home: the people and their roles, and the live files to open as a desk role', async () => {
    const s = await session('admin');
    await s.page.goto(server.url);
    const home = s.page.locator('ld-admin-home');
    await home.getByRole('heading', { name: 'Admin', exact: true }).waitFor({ timeout: UI_TIMEOUT });
    expect(await s.page.locator('ld-desk-page').count()).toBe(0);
    const accounts = home.getByTestId('admin-accounts');
    await accounts.locator('[data-testid="person-row"][data-username="editor"]').waitFor({ timeout: UI_TIMEOUT });
    await accounts.getByRole('heading', { name: 'People and roles' }).waitFor();
    await home.locator(`[data-testid="live-file-item"][data-live-file-id="${file.id}"]`).waitFor({ timeout: UI_TIMEOUT });
    expect(await s.page.getByTestId('sign-out').count()).toBe(1);
    expect(await s.page.locator('nav').textContent()).toContain('admin');

    // A live file opens for her as for an editor (every entry, the desk's controls).
    await home.locator(`[data-testid="live-file-item"][data-live-file-id="${file.id}"]`).click();
    await s.page.getByTestId('live-file-title').waitFor({ timeout: UI_TIMEOUT });
    const entriesNow = (await server.store.entries.listByLiveFile(file.id)).length;
    await expect.poll(() => s.page.locator('ld-entry-card').count(), { timeout: UI_TIMEOUT }).toBe(entriesNow);
    await expect.poll(() => s.page.getByTestId('entry-pin').first().isEnabled(), { timeout: UI_TIMEOUT }).toBe(true);
    // Back goes home; "All live files" is the list, with the form to start one.
    await s.page.locator('ld-live-file-page a.back').click();
    await home.getByTestId('admin-all-files').click();
    await s.page.getByTestId('create-live-file-form').waitFor({ timeout: UI_TIMEOUT });
    expect(s.errors).toEqual([]);
  });

  it('[RL6] the other roles keep their homes: editors and chiefs the live-files list with its form, a correspondent the list without it', async () => {
    for (const [username, form] of [['editor', 1], ['chief', 1], ['correspondent', 0]] as const) {
      const s = await session(username);
      await s.page.goto(server.url);
      await s.page.locator('ld-desk-page').getByTestId('live-file-item').first().waitFor({ timeout: UI_TIMEOUT });
      expect(await s.page.locator('ld-admin-home').count(), username).toBe(0);
      expect(await s.page.getByTestId('create-live-file-form').count(), username).toBe(form);
      await s.context.close();
      sessions.splice(sessions.indexOf(s), 1);
    }
  });

  for (const size of [{ name: '1280', phone: false, viewport: DESKTOP }, { name: '390', phone: true, viewport: PHONE }] as const) {
    it(`[AX1] the role homes and a correspondent's live file at ${size.name} px: screenshots (looked at by hand), no serious axe finding`, async () => {
      const shots: Array<[username: string, name: string]> = [
        ['admin', `role-admin-home-${size.name}`],
        ['editor', `role-editor-list-${size.name}`],
        ['correspondent', `role-correspondent-list-${size.name}`],
        ['correspondent', `role-correspondent-file-${size.name}`],
      ];
      for (const [username, name] of shots) {
        const s = await newDeskContext(browser, server, username, { viewport: size.viewport, phone: size.phone, noNavigate: true });
        try {
          if (name.includes('-file-')) {
            await openLiveFile(s.page, server, file.id);
            await s.page.locator('ld-entry-card').first().waitFor({ timeout: UI_TIMEOUT });
            await expandEntry(s.page, (await s.page.locator('ld-entry-card').first().getAttribute('data-entry-id'))!);
          } else {
            await s.page.goto(server.url);
            await s.page.getByTestId('live-file-item').first().waitFor({ timeout: UI_TIMEOUT });
          }
          await screenshot(s.page, name, { fullPage: !name.includes('-file-') });
          const axe = await blockingViolations(s.page);
          expect(axe, `${name}:\n  ${formatFindings(axe)}`).toEqual([]);
          if (size.phone) {
            const { overflow, culprits } = await horizontalOverflow(s.page);
            expect(overflow, `${name} scrolls sideways: ${culprits.join(', ')}`).toBeLessThanOrEqual(0);
          }
          expect(s.errors).toEqual([]);
        } finally {
          await s.context.close();
        }
      }
    });
  }
});
