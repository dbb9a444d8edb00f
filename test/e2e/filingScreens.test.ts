import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { describeE2E, launchChromium, MOBILE_UA, screenshot, type DeskSession } from '../support/chromium.js';
import { blockingViolations, formatFindings } from '../support/e2eAxe.js';
import { api, signIn, startTestServer, type TestServer } from '../support/startTestServer.js';
import { demoFile, UI_TIMEOUT, type LiveFileJson } from '../support/e2eDesk.js';
import { entriesWith, fileUpdate, openFiling, openTab, PHONE_320, PHONE_390, rowWith, writeUpdate } from '../support/e2eFiling.js';
import { smallPhoto } from '../support/testPhotos.js';
import { tempDir } from '../support/tempDir.js';

/**
 * Issue 11: the filing page as a correspondent in a crowd holds it: one column from 320 px, 44 px
 * targets, 16 px inputs, Submit at the bottom within thumb reach, axe clean, light and dark; with
 * screenshots (screenshots/filing-*.png) of every part in the states that matter.
 */

/** Every visible control in the page, shadow roots included: its box, and its font size for fields. */
const CONTROLS = `(() => {
  const out = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll('button, a[href], input, select, textarea, summary, [role=switch]')) {
      const r = el.getBoundingClientRect();
      const cs = getComputedStyle(el);
      if (r.width <= 1 || r.height <= 1 || cs.visibility === 'hidden' || cs.display === 'none') continue;
      // A file input lies over its button (transparent, the same box): measured like the button.
      out.push({ what: el.tagName.toLowerCase() + (el.dataset.testid ? '[' + el.dataset.testid + ']' : '') + (el.textContent ? ' ' + el.textContent.trim().slice(0, 24) : ''),
        w: r.width, h: r.height, font: parseFloat(cs.fontSize), field: /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName) && el.type !== 'file' });
    }
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
  };
  walk(document);
  return out;
})()`;

/** The innermost elements reaching past the phone's width (for the failure message). */
const WIDER_THAN = (width: number) => `(() => {
  const out = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) walk(el.shadowRoot);
      const r = el.getBoundingClientRect();
      if (r.right > ${width} + 0.5 && ![...el.children].some((c) => c.getBoundingClientRect().right > ${width} + 0.5)) out.push(el.tagName.toLowerCase() + '.' + el.className + ' ' + Math.round(r.right) + ': ' + (el.textContent || '').trim().slice(0, 60));
    }
  };
  walk(document);
  return out.slice(0, 10);
})()`;

interface Control { what: string; w: number; h: number; font: number; field: boolean }

async function checkPhoneLayout(page: Page, where: string): Promise<void> {
  const size = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth, client: document.documentElement.clientWidth, scale: visualViewport?.scale ?? 1 }));
  const width = page.viewportSize()!.width;
  // A page wider than the phone makes mobile Chromium zoom out (innerWidth grows with it): compare with the device's width.
  const wide = size.scroll > width ? ((await page.evaluate(WIDER_THAN(width))) as string[]) : [];
  expect({ ...size, where, wide }, `${where}: horizontal scroll or zoomed out`).toEqual({ scroll: width, inner: width, client: width, scale: 1, where, wide: [] });
  const controls = (await page.evaluate(CONTROLS)) as Control[];
  expect(controls.length, where).toBeGreaterThanOrEqual(3);
  const small = controls.filter((c) => c.w < 44 || c.h < 44).map((c) => `${c.what} ${c.w.toFixed(0)}×${c.h.toFixed(0)}`);
  expect(small, `${where}: targets under 44 px`).toEqual([]);
  const tinyText = controls.filter((c) => c.field && c.font < 16).map((c) => `${c.what} ${c.font}px`);
  expect(tinyText, `${where}: inputs under 16 px (iOS zooms)`).toEqual([]);
}

async function axeClean(page: Page, where: string): Promise<void> {
  const found = await blockingViolations(page);
  expect(found, `${where}:\n  ${formatFindings(found)}`).toEqual([]);
}

describeE2E('the filing page on a phone: layout, accessibility, screenshots (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let file: LiveFileJson;
  let dir: string;
  const sessions: DeskSession[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchChromium()]);
    ({ file } = await demoFile(server, 'chief'));
    dir = await tempDir('livedesk-filing-screens-');
  });
  afterEach(async () => {
    for (const s of sessions.splice(0)) await s.context.close();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function phone(viewport: { width: number; height: number }, colorScheme: 'light' | 'dark' = 'light'): Promise<DeskSession> {
    const s = await openFiling(browser, server, 'correspondent', { viewport, colorScheme });
    sessions.push(s);
    return s;
  }

  /** Rejected with a note, published, waiting for the network, refused: the states My filings shows. */
  async function filingsInEveryState(page: Page, tag: string): Promise<void> {
    await fileUpdate(page, { text: `Two bridges closed on the Esentai ${tag}`, place: 'Bostandyk district' });
    await fileUpdate(page, { text: `Volunteers hand out water at the stadium ${tag}`, headline: 'Water for evacuees' });
    await expect.poll(async () => (await entriesWith(server, file.id, `stadium ${tag}`)).map((e) => e.status), { timeout: UI_TIMEOUT }).toEqual(['submitted']);
    await expect.poll(async () => (await entriesWith(server, file.id, `on the Esentai ${tag}`)).map((e) => e.status), { timeout: UI_TIMEOUT }).toEqual(['submitted']);
    const [rej] = await entriesWith(server, file.id, `on the Esentai ${tag}`);
    const [pub] = await entriesWith(server, file.id, `stadium ${tag}`);
    const chief = await signIn(server, 'chief');
    for (const [entry, action, extra] of [[rej, 'reject', { note: 'Which bridges? Name them and say who closed them.' }], [pub, 'publish', {}]] as const) {
      const now = (await api(server, chief, 'GET', `/api/entries/${entry!.id}`)).json as unknown as { version: number };
      const res = await fetch(`${server.url}/api/entries/${entry!.id}/${action}`, {
        method: 'POST', headers: { 'content-type': 'application/json', cookie: chief, 'idempotency-key': randomUUID() }, body: JSON.stringify({ version: now.version, ...extra }),
      });
      expect(res.status).toBe(200);
    }
    // The server refuses one (403) and cannot be reached for another.
    await page.route('**/api/live-files/*/entries', async (route) => {
      if ((route.request().postData() ?? '').includes('refused')) {
        await route.fulfill({ status: 403, contentType: 'application/json', body: JSON.stringify({ error: { code: 'forbidden', message: 'You are not a member of this live file.' } }) });
      } else await route.abort('internetdisconnected');
    });
    await fileUpdate(page, { text: `Curfew from 22:00, the akimat says (refused) ${tag}` });
    await fileUpdate(page, { text: `Queue at the pharmacy on Abay ${tag}`, photos: [{ path: await smallPhoto(dir, `q-${tag}`, '#357'), caption: 'Queue' }] });
    await openTab(page, 'filings');
    await expect.poll(() => rowWith(page, `on the Esentai ${tag}`).getAttribute('data-state'), { timeout: UI_TIMEOUT }).toBe('rejected');
    await expect.poll(() => rowWith(page, `stadium ${tag}`).getAttribute('data-state'), { timeout: UI_TIMEOUT }).toBe('published');
    await expect.poll(() => rowWith(page, `(refused) ${tag}`).getAttribute('data-state'), { timeout: UI_TIMEOUT }).toBe('not-sent');
    await expect.poll(() => rowWith(page, `pharmacy on Abay ${tag}`).getAttribute('data-state'), { timeout: UI_TIMEOUT }).toBe('waiting');
  }

  for (const [name, viewport] of [['390', PHONE_390], ['320', PHONE_320]] as const) {
    it(`[FI15] at ${name} px: compose, My filings, This phone and Clear this device fit one column with 44 px targets, 16 px inputs and Submit at the bottom; axe finds nothing serious`, async () => {
      const tag = randomUUID().slice(0, 6);
      const { page } = await phone(viewport);
      // The form as a correspondent fills it: place, text, a photo, a link.
      const photo = await smallPhoto(dir, `p-${name}-${tag}`, '#2a6');
      await writeUpdate(page, {
        place: 'Medeu district', text: 'Water is over the dam near Medeu.\nPolice closed the road to Shymbulak; buses turn at the ice rink.',
        photos: [{ path: photo, caption: 'Water over the dam, seen from the ice rink' }], links: ['https://t.me/almaty_news/12345'],
      });
      await expect.poll(() => page.getByTestId('compose-photo').getAttribute('data-ready'), { timeout: UI_TIMEOUT }).toBe('true');
      await checkPhoneLayout(page, `compose ${name}`);
      const submit = await page.getByTestId('submit-filing').boundingBox();
      const vh = viewport.height;
      expect(submit, 'Submit on screen without scrolling').not.toBeNull();
      expect(submit!.y + submit!.height, 'Submit inside the viewport').toBeLessThanOrEqual(vh);
      expect(submit!.y, 'Submit in the bottom quarter (thumb reach)').toBeGreaterThanOrEqual(vh * 0.72);
      await axeClean(page, `compose ${name}`);
      await screenshot(page, `filing-compose-${name}`, { fullPage: false });
      await page.evaluate(() => scrollTo({ top: document.body.scrollHeight }));
      await screenshot(page, `filing-compose-${name}-end`, { fullPage: false });
      await page.evaluate(() => scrollTo({ top: 0 }));
      // Submit it for real: the form is empty again at once.
      await page.getByTestId('submit-filing').click();
      await page.getByTestId('compose-status').waitFor({ timeout: UI_TIMEOUT });
      await screenshot(page, `filing-compose-${name}-filed`, { fullPage: false });

      await filingsInEveryState(page, tag);
      await checkPhoneLayout(page, `filings ${name}`);
      await axeClean(page, `filings ${name}`);
      await screenshot(page, `filing-filings-${name}`, { fullPage: false });
      await screenshot(page, `filing-filings-${name}-full`);

      await openTab(page, 'device');
      await checkPhoneLayout(page, `device ${name}`);
      await axeClean(page, `device ${name}`);
      await page.getByTestId('clear-device').click();
      await page.getByTestId('clear-warning').waitFor({ timeout: UI_TIMEOUT });
      await axeClean(page, `clear dialog ${name}`);
      await screenshot(page, `filing-clear-${name}`, { fullPage: false });
      await page.getByTestId('clear-cancel').click();
    });
  }

  it('[FI15] night mode (prefers-color-scheme: dark) at 390 px: axe finds nothing serious; and the sign-in form at 320 px', async () => {
    const { page } = await phone(PHONE_390, 'dark');
    await writeUpdate(page, { place: 'Almaty, Republic Square', text: 'Crowd gathers at the square; police ask people to keep the road clear.' });
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(15, 17, 21)');
    await axeClean(page, 'compose dark');
    await screenshot(page, 'filing-compose-390-dark', { fullPage: false });
    await openTab(page, 'filings');
    await axeClean(page, 'filings dark');
    await screenshot(page, 'filing-filings-390-dark', { fullPage: false });

    const context = await browser.newContext({ viewport: PHONE_320, isMobile: true, hasTouch: true, deviceScaleFactor: 2, userAgent: MOBILE_UA, locale: 'en-GB' });
    try {
      const p = await context.newPage();
      await p.goto(`${server.url}/file`);
      await p.getByTestId('signin-username').waitFor({ timeout: UI_TIMEOUT });
      await checkPhoneLayout(p, 'sign-in 320');
      await axeClean(p, 'sign-in 320');
      await screenshot(p, 'filing-signin-320', { fullPage: false });
    } finally {
      await context.close();
    }
  });
});
