import { randomUUID } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { api, signIn, type TestServer } from './startTestServer.js';

/** Page-level helpers for the desk e2e tests. Playwright CSS locators pierce open shadow roots. */

export interface LiveFileJson {
  id: string;
  title: string;
  timezone: string;
}
export interface EntryJson {
  id: string;
  preview: string;
  headline?: string;
  status: string;
}

/** Generous: two cores, a browser per context, a server and vitest. */
export const UI_TIMEOUT = 20_000;

export async function apiAs(server: TestServer, username: string) {
  const cookie = await signIn(server, username);
  return {
    cookie,
    get: (path: string) => api(server, cookie, 'GET', path),
    post: (path: string, body: unknown) => api(server, cookie, 'POST', path, body),
  };
}

/** The demo live file ("Almaty floods") and its entries as the server shows them to `username`. */
export async function demoFile(server: TestServer, username = 'editor'): Promise<{ file: LiveFileJson; entries: EntryJson[] }> {
  const a = await apiAs(server, username);
  const list = await a.get('/api/live-files');
  const files = (list.json as unknown as { liveFiles: LiveFileJson[] }).liveFiles;
  const file = files.find((f) => f.title.startsWith('Almaty floods'));
  if (!file) throw new Error(`no demo live file in ${JSON.stringify(files)}`);
  const read = await a.get(`/api/live-files/${file.id}`);
  return { file, entries: (read.json as unknown as { entries: EntryJson[] }).entries };
}

/** Creates an entry over the API (as `username`) and returns it. */
export async function createEntryViaApi(server: TestServer, username: string, liveFileId: string, text: string): Promise<EntryJson> {
  const a = await apiAs(server, username);
  const res = await a.post(`/api/live-files/${liveFileId}/entries`, { idempotencyKey: randomUUID(), text });
  if (res.status !== 201) throw new Error(`create entry: ${res.status} ${JSON.stringify(res.json)}`);
  return ((res.json as Record<string, unknown>).entry ?? res.json) as unknown as EntryJson;
}

export async function openLiveFile(page: Page, server: TestServer, liveFileId: string): Promise<void> {
  await page.goto(`${server.url}/#/files/${liveFileId}`);
  await page.getByTestId('live-file-title').waitFor({ timeout: UI_TIMEOUT });
}

export function card(page: Page, entryId: string): Locator {
  return page.locator(`ld-entry-card[data-entry-id="${entryId}"]`);
}

/** Entry ids of the cards in display order. */
export async function deskOrder(page: Page): Promise<string[]> {
  return page.locator('ld-entry-card').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.entryId ?? ''));
}

/** Expands a card and waits for its editor to be mounted (document loaded). */
export async function expandEntry(page: Page, entryId: string): Promise<Locator> {
  const c = card(page, entryId);
  await c.scrollIntoViewIfNeeded();
  const content = c.getByTestId('editor-content');
  if ((await content.count()) === 0) await c.getByTestId('entry-edit').click();
  await content.waitFor({ timeout: UI_TIMEOUT });
  return content;
}

/** Expands, focuses the text and puts the caret at its very end. */
export async function caretAtEnd(page: Page, entryId: string): Promise<Locator> {
  const content = await expandEntry(page, entryId);
  await content.click();
  await expect.poll(() => isEditorFocused(page, entryId), { timeout: UI_TIMEOUT }).toBe(true);
  await page.keyboard.press('Control+End');
  return content;
}

export async function isEditorFocused(page: Page, entryId: string): Promise<boolean> {
  return card(page, entryId).evaluate((c) => {
    const active = c.shadowRoot?.activeElement;
    return !!active && (active as HTMLElement).isContentEditable;
  });
}

/**
 * The document text of an entry's open editor (ProseMirror state, blocks joined by "\n"), or null
 * when its editor is not mounted. Read from the model, not the DOM: the DOM also holds remote caret labels.
 */
export async function editorText(page: Page, entryId: string): Promise<string | null> {
  return card(page, entryId).evaluate((c) => {
    const ed = c.shadowRoot?.querySelector('ld-entry-editor') as (HTMLElement & { editorView?: { state: { doc: { content: { size: number }; textBetween(a: number, b: number, sep: string): string } } } }) | null;
    const doc = ed?.editorView?.state.doc;
    return doc ? doc.textBetween(0, doc.content.size, '\n') : null;
  });
}

/** Remote carets drawn in an entry's editor, by the name in their label. */
export function remoteCaret(page: Page, entryId: string, name: string): Locator {
  return card(page, entryId).locator('.ProseMirror-yjs-cursor', { hasText: name });
}

export function connectionStatus(page: Page): Locator {
  return page.getByTestId('connection-status');
}

export async function connection(page: Page): Promise<{ state: string | null; unsent: number; text: string }> {
  const s = connectionStatus(page);
  const [state, unsent, text] = await Promise.all([s.getAttribute('data-state'), s.getAttribute('data-unsent'), s.textContent()]);
  return { state, unsent: Number(unsent ?? 0), text: (text ?? '').replace(/\s+/g, ' ').trim() };
}

/** Horizontal overflow of the page (0 when nothing scrolls sideways). */
export async function horizontalOverflow(page: Page): Promise<{ overflow: number; culprits: string[] }> {
  return page.evaluate(() => {
    const doc = document.documentElement;
    const overflow = Math.max(doc.scrollWidth, document.body.scrollWidth) - doc.clientWidth;
    const culprits: string[] = [];
    if (overflow > 0) {
      const walk = (root: Document | ShadowRoot) => {
        for (const el of root.querySelectorAll('*')) {
          const r = el.getBoundingClientRect();
          if (r.right > doc.clientWidth + 0.5 && r.width > 0) {
            culprits.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.split(/\s+/).join('.') : ''} right=${Math.round(r.right)}`);
          }
          if (el.shadowRoot) walk(el.shadowRoot);
        }
      };
      walk(document);
    }
    return { overflow, culprits: culprits.slice(0, 15) };
  });
}

/** Card presence avatars (people editing this entry) and header facepile names. */
export async function cardEditors(page: Page, entryId: string): Promise<string[]> {
  return card(page, entryId).locator('[data-testid="presence-avatar"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-name') ?? ''));
}
export async function headerPresence(page: Page): Promise<string[]> {
  return page.locator('ld-live-file-page header [data-testid="presence-avatar"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-name') ?? ''));
}

/** Ids of the unpinned cards, in display order. */
export async function unpinnedOrder(page: Page): Promise<string[]> {
  return page.locator('ld-entry-card').evaluateAll((els) => els.filter((e) => !e.hasAttribute('pinned')).map((e) => (e as HTMLElement).dataset.entryId ?? ''));
}

/** The polite announcer's current text. */
export async function announcement(page: Page): Promise<string> {
  return ((await page.getByTestId('announcer').textContent()) ?? '').trim();
}

/**
 * How many updates y-indexeddb holds on this device for a collab document (`entry:<id>` or
 * `file:<id>`), or -1 when there is no database for it yet.
 */
export async function storedUpdates(page: Page, docName: string): Promise<number> {
  return page.evaluate(async (doc) => {
    const dbs = await indexedDB.databases();
    const name = dbs.map((d) => d.name ?? '').find((n) => n.endsWith(`:${doc}`));
    if (!name) return -1;
    return new Promise<number>((resolve, reject) => {
      const req = indexedDB.open(name);
      req.onerror = () => reject(req.error);
      req.onsuccess = () => {
        const db = req.result;
        if (!db.objectStoreNames.contains('updates')) return db.close(), resolve(0);
        const count = db.transaction('updates', 'readonly').objectStore('updates').count();
        count.onsuccess = () => (db.close(), resolve(count.result));
        count.onerror = () => (db.close(), reject(count.error));
      };
    });
  }, docName);
}
