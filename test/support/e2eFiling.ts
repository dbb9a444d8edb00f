// Helpers for the filing page's e2e tests (/file on an emulated phone). Playwright CSS locators
// pierce the open shadow roots of the Lit elements.
import type { Browser, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { MOBILE_UA, newDeskContext, type DeskSession } from './chromium.js';
import { api, signIn, type TestServer } from './startTestServer.js';
import { UI_TIMEOUT } from './e2eDesk.js';

export const PHONE_390 = { width: 390, height: 844 } as const;
export const PHONE_320 = { width: 320, height: 640 } as const;

/** A phone (touch, mobile UA) signed in as `username`, on /file with the compose form showing. */
export async function openFiling(browser: Browser, server: TestServer, username = 'correspondent', opts: { viewport?: { width: number; height: number }; colorScheme?: 'light' | 'dark' } = {}): Promise<DeskSession> {
  const s = await newDeskContext(browser, server, username, { phone: true, viewport: opts.viewport ?? PHONE_390, userAgent: MOBILE_UA, colorScheme: opts.colorScheme, noNavigate: true });
  await s.page.goto(`${server.url}/file`);
  await s.page.getByTestId('compose-text').waitFor({ timeout: UI_TIMEOUT });
  return s;
}

/** Waits until the filing page's service worker controls the page (its shell is cached then). */
export async function filingWorkerReady(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
}

export interface Update {
  text: string;
  place?: string;
  headline?: string;
  photos?: Array<{ path: string; caption: string }>;
  links?: string[];
  asDesk?: boolean;
}

/** Types an update into the compose form (photos through the gallery input) and waits for its photos to be ready. */
export async function writeUpdate(page: Page, u: Update): Promise<void> {
  if (u.place !== undefined) await page.getByTestId('compose-place').fill(u.place);
  await page.getByTestId('compose-text').fill(u.text);
  if (u.headline) await page.getByTestId('compose-headline').fill(u.headline);
  for (const [i, p] of (u.photos ?? []).entries()) {
    await page.getByTestId('photo-gallery').setInputFiles(p.path);
    const card = page.getByTestId('compose-photo').nth(i);
    await card.waitFor({ timeout: UI_TIMEOUT });
    await card.getByTestId('photo-caption').fill(p.caption);
  }
  for (const [i, link] of (u.links ?? []).entries()) {
    if (i > 0) await page.getByTestId('add-link').click();
    await page.getByTestId('compose-link').nth(i).fill(link);
  }
  if (u.asDesk) await page.getByTestId('byline-desk').click();
}

/** Writes and submits; resolves once the form is empty again (the update is in the outbox). */
export async function fileUpdate(page: Page, u: Update, intent: 'submit' | 'draft' = 'submit'): Promise<void> {
  await writeUpdate(page, u);
  await page.getByTestId(intent === 'submit' ? 'submit-filing' : 'save-draft').click();
  await page.getByTestId('compose-status').waitFor({ timeout: UI_TIMEOUT });
  await expect.poll(() => page.getByTestId('compose-text').inputValue(), { timeout: UI_TIMEOUT }).toBe('');
}

export function filingRows(page: Page): Locator {
  return page.locator('ld-my-filings [data-testid="filing-row"]');
}

export function rowWith(page: Page, text: string): Locator {
  return filingRows(page).filter({ hasText: text });
}

export async function openTab(page: Page, tab: 'write' | 'filings' | 'device'): Promise<void> {
  await page.getByTestId(`tab-${tab}`).click();
  if (tab === 'filings') await page.locator('ld-my-filings').waitFor({ timeout: UI_TIMEOUT });
}

export interface FilingJson {
  entry: { id: string; status: string; version: number; preview: string; headline?: string; place?: string; note?: string; bylines: string[]; createdAt: string; lastAction?: { action: string; at: string } };
  liveFile: { id: string; slug: string; title: string };
}

/** GET /api/me/filings as `username` (over HTTP, beside the browser). */
export async function filingsOf(server: TestServer, username: string): Promise<FilingJson[]> {
  const cookie = await signIn(server, username);
  const res = await api(server, cookie, 'GET', '/api/me/filings');
  return (res.json as unknown as { filings: FilingJson[] }).filings;
}

/** How many entries of the newsroom's files carry `text` in their preview (as the chief sees them). */
export async function entriesWith(server: TestServer, liveFileId: string, text: string): Promise<Array<{ id: string; status: string; preview: string }>> {
  const cookie = await signIn(server, 'chief');
  const res = await api(server, cookie, 'GET', `/api/live-files/${liveFileId}`);
  const entries = (res.json as unknown as { entries: Array<{ id: string; status: string; preview: string }> }).entries;
  return entries.filter((e) => e.preview.includes(text));
}
