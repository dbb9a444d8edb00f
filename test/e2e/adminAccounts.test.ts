import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { describeE2E, launchChromium, newDeskContext, screenshot, watchErrors, DESKTOP, PHONE, type DeskSession } from '../support/chromium.js';
import { api, startTestServer, type TestServer } from '../support/startTestServer.js';
import { newsroomPeople, type Person } from '../support/newsroomPeople.js';
import { demoFile, horizontalOverflow, openLiveFile, UI_TIMEOUT, type LiveFileJson } from '../support/e2eDesk.js';
import { blockingViolations, formatFindings } from '../support/e2eAxe.js';

/** docs/spec.md AD8, AD9, AU11: the admin page, the Sessions page and the sign-in limit, in Chromium. */
describeE2E('people and roles, sessions (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let file: LiveFileJson;
  const people = newsroomPeople(() => server);
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ env: { LOGIN_MAX_FAILURES_PER_ACCOUNT: '3' } }), launchChromium()]);
    ({ file } = await demoFile(server));
  });
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function adminPage(opts: { phone?: boolean } = {}): Promise<DeskSession> {
    const s = await newDeskContext(browser, server, 'admin', { phone: opts.phone, noNavigate: true });
    contexts.push(s.context);
    await s.page.goto(server.url);
    await rowOf(s.page, 'editor').waitFor({ timeout: UI_TIMEOUT });
    return s;
  }

  /** A browser signed in as a person made by the test (newDeskContext knows only the demo logins). */
  async function personContext(person: Person): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB', timezoneId: 'Asia/Almaty', reducedMotion: 'reduce' });
    contexts.push(context);
    const [name, ...rest] = person.cookie.split('=');
    await context.addCookies([{ name: name!, value: rest.join('='), url: server.url, httpOnly: true, sameSite: 'Lax' }]);
    const page = await context.newPage();
    return { context, page, errors: watchErrors(page) };
  }

  const rowOf = (page: Page, username: string): Locator => page.locator(`[data-testid="person-row"][data-username="${username}"]`);

  async function addPerson(page: Page, p: { displayName: string; username: string; role: string; mode: 'invite' | 'password' }): Promise<string> {
    await page.getByTestId('add-person').click();
    await page.getByTestId('new-display-name').fill(p.displayName);
    await page.getByTestId('new-username').fill(p.username);
    await page.getByTestId('new-role').selectOption(p.role);
    await page.getByTestId(`mode-${p.mode}`).check();
    await page.getByTestId('create-person').click();
    const secret = page.getByTestId('secret-value');
    await secret.waitFor({ timeout: UI_TIMEOUT });
    return (await secret.textContent())!.trim();
  }

  it('[AD8] an admin adds a person with a first password, shown once: it signs in, and it is nowhere once Done', async () => {
    const { page, errors } = await adminPage();
    const username = `dana-${randomUUID().slice(0, 6)}`;
    const password = await addPerson(page, { displayName: 'Dana Sadykova', username, role: 'chief', mode: 'password' });
    expect(password).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    expect(await page.getByTestId('created-secret').textContent()).toContain('Shown only now');
    await screenshot(page, 'admin-people-password-1280');
    await rowOf(page, username).waitFor();
    expect(await rowOf(page, username).getByTestId('role-select').inputValue()).toBe('chief');
    await page.getByTestId('secret-done').click();
    expect(await page.getByTestId('secret-value').count()).toBe(0);
    await page.reload();
    await rowOf(page, username).waitFor({ timeout: UI_TIMEOUT });
    expect(await page.locator('body').evaluate((b, pw) => b.innerHTML.includes(pw), password)).toBe(false);
    expect(await page.locator('ld-admin-home').innerText()).not.toContain(password);
    const signedIn = await api(server, null, 'POST', '/api/session', { username, password });
    expect(signedIn.status).toBe(200);
    expect(errors).toEqual([]);
  });

  it('[AD8] an invite link opens in another browser, sets her password and signs her in; the link then says it was used', async () => {
    const { page } = await adminPage();
    const username = `aigerim-${randomUUID().slice(0, 6)}`;
    const link = await addPerson(page, { displayName: 'Айгерим Сейткали', username, role: 'correspondent', mode: 'invite' });
    expect(link).toMatch(new RegExp(`^${server.url}/#/invite/[A-Za-z0-9_-]{43}$`));
    expect(await rowOf(page, username).getByTestId('person-status').textContent()).toContain('Invited');

    const invited = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2, reducedMotion: 'reduce' });
    contexts.push(invited);
    const phone = await invited.newPage();
    const errors = watchErrors(phone);
    await phone.goto(link);
    await phone.getByTestId('invite-form').waitFor({ timeout: UI_TIMEOUT });
    expect(await phone.getByTestId('invite-form').textContent()).toContain('Айгерим Сейткали');
    await screenshot(phone, 'invite-390');
    await phone.getByTestId('invite-password').fill('Медеу-2026-flood');
    await phone.getByTestId('invite-password-again').fill('Медеу-2026-flood');
    await phone.getByTestId('invite-submit').click();
    await expect.poll(() => phone.getByTestId('who').textContent(), { timeout: UI_TIMEOUT }).toContain('Айгерим Сейткали');
    expect(phone.url()).not.toContain('invite');
    // Used: the same link now says so.
    const again = await invited.newPage();
    await again.goto(link);
    await again.getByTestId('invite-refused').waitFor({ timeout: UI_TIMEOUT });
    expect(await again.getByTestId('invite-refused').textContent()).toContain('already been used');
    expect(errors.filter((e) => !/status of 409/.test(e))).toEqual([]);
  });

  it('[AD8] a role change and a deactivation on the admin page reach the person’s open browser within a second', async () => {
    const { page } = await adminPage();
    const demoted = await people.newPerson('editor');
    const deactivated = await people.newPerson('editor');
    const desk = await personContext(demoted);
    const list = await personContext(deactivated);
    await openLiveFile(desk.page, server, file.id);
    await expect.poll(() => desk.page.getByTestId('connection-status').getAttribute('data-state'), { timeout: UI_TIMEOUT }).toBe('live');
    await list.page.goto(server.url);
    await list.page.locator('ld-desk-page').getByTestId('live-file-item').first().waitFor({ timeout: UI_TIMEOUT });
    await page.reload();
    await rowOf(page, deactivated.account.username).waitFor({ timeout: UI_TIMEOUT });

    // Demoted to correspondent: the open desk turns read-only with the access banner.
    let started = Date.now();
    await rowOf(page, demoted.account.username).getByTestId('role-select').selectOption('correspondent');
    await desk.page.getByTestId('read-only-banner').waitFor({ timeout: UI_TIMEOUT });
    const demotionMs = Date.now() - started;
    expect(await desk.page.getByTestId('read-only-banner').textContent()).toContain('Your access was removed.');
    await expect.poll(() => page.getByTestId('people-status').textContent()).toContain('is now correspondent');

    // Deactivated: one confirmation naming the effect, then her open list signs out.
    const row = rowOf(page, deactivated.account.username);
    await row.getByTestId('deactivate').click();
    const confirm = page.getByTestId('confirm-deactivate');
    expect(await confirm.textContent()).toMatch(/signed out everywhere at once.*entries stay/s);
    await screenshot(page, 'admin-people-confirm-1280');
    started = Date.now();
    await page.getByTestId('confirm-deactivate-yes').click();
    await list.page.getByTestId('signin-form').waitFor({ timeout: UI_TIMEOUT });
    const deactivationMs = Date.now() - started;
    expect(await list.page.locator('ld-signin-page .notice').textContent()).toContain('Your access was removed');
    await expect.poll(() => row.getByTestId('person-status').textContent()).toContain('Deactivated');
    expect(await page.getByTestId('people-status').textContent()).toContain('signed out everywhere now');
    await row.getByTestId('reactivate').waitFor();
    console.log(`[AD8] demotion to banner ${demotionMs} ms, deactivation to sign-in ${deactivationMs} ms (from the click)`);
    expect(demotionMs).toBeLessThan(1000);
    expect(deactivationMs).toBeLessThan(1000);
  });

  it('[FS5] a lost phone: “Sign out devices” on the admin page signs the person’s open browser out within a second; her account stays active', async () => {
    const { page } = await adminPage();
    const lost = await people.newPerson('correspondent');
    const phone = await personContext(lost);
    await phone.page.goto(server.url);
    await phone.page.locator('ld-desk-page').getByTestId('live-file-item').first().waitFor({ timeout: UI_TIMEOUT });
    await page.reload();
    const row = rowOf(page, lost.account.username);
    await row.waitFor({ timeout: UI_TIMEOUT });
    const started = Date.now();
    await row.getByTestId('end-sessions').click();
    await phone.page.getByTestId('signin-form').waitFor({ timeout: UI_TIMEOUT });
    expect(Date.now() - started).toBeLessThan(1000);
    await expect.poll(() => page.getByTestId('people-status').textContent()).toContain('signed out on one device');
    expect(await row.getByTestId('person-status').textContent()).not.toContain('Deactivated');
  });

  it('[AD8] the admin’s own row offers no way to lock herself out', async () => {
    const { page } = await adminPage();
    const mine = rowOf(page, 'admin');
    expect(await mine.getByTestId('role-select').isDisabled()).toBe(true);
    expect(await mine.getByTestId('deactivate').count()).toBe(0);
    expect(await mine.textContent()).toContain('You');
  });

  for (const size of [{ name: '1280', phone: false }, { name: '390', phone: true }] as const) {
    it(`[AD9] the admin page at ${size.name} px: no serious axe finding (table, form, a shown password, a confirmation), 44 px controls on a phone`, async () => {
      const { page, errors } = await adminPage({ phone: size.phone });
      await screenshot(page, `admin-people-${size.name}`);
      await screenshot(page, `admin-people-${size.name}-screen`, { fullPage: false });
      const checks: string[] = [];
      const check = async (what: string) => {
        const found = await blockingViolations(page);
        if (found.length) checks.push(`${what}:\n  ${formatFindings(found)}`);
        if (size.phone) {
          const { overflow, culprits } = await horizontalOverflow(page);
          expect(overflow, `${what}: sideways scroll by ${overflow}: ${culprits.join(', ')}`).toBeLessThanOrEqual(0);
          const small = await page.locator('ld-accounts-panel').evaluate((el) => {
            const out: string[] = [];
            for (const c of el.shadowRoot!.querySelectorAll('button, select, input, ld-add-person')) {
              const targets = c.tagName === 'LD-ADD-PERSON' ? [...c.shadowRoot!.querySelectorAll('button, select, input:not([type=radio])')] : [c];
              for (const t of targets) {
                const r = t.getBoundingClientRect();
                if (r.height > 0 && r.height < 43.5) out.push(`${t.tagName.toLowerCase()} "${(t.textContent ?? '').trim().slice(0, 30)}" ${Math.round(r.height)} px`);
              }
            }
            return out;
          });
          expect(small, `${what}: controls under 44 px`).toEqual([]);
        }
      };
      await check('the table');
      await page.getByTestId('add-person').click();
      await page.getByTestId('new-display-name').waitFor();
      await check('the add form');
      await screenshot(page, `admin-people-form-${size.name}`, { fullPage: false });
      await page.getByTestId('new-display-name').fill('Omar Beketov');
      await page.getByTestId('new-username').fill(`omar-${randomUUID().slice(0, 6)}`);
      await page.getByTestId('mode-password').check();
      await page.getByTestId('create-person').click();
      await page.getByTestId('secret-value').waitFor({ timeout: UI_TIMEOUT });
      await check('a shown password');
      await screenshot(page, `admin-people-password-${size.name}`, { fullPage: false });
      await page.getByTestId('secret-done').click();
      await rowOf(page, 'editor2').getByTestId('deactivate').click();
      await page.getByTestId('confirm-deactivate').waitFor();
      await check('a confirmation');
      await page.getByTestId('confirm-deactivate').scrollIntoViewIfNeeded();
      await screenshot(page, `admin-people-confirm-${size.name}`, { fullPage: false });
      await page.getByTestId('confirm-deactivate-no').click();
      expect(checks.join('\n')).toBe('');
      expect(errors).toEqual([]);
    });
  }

  it('[AU11] past the limit the sign-in page says when to try again and keeps what was typed; the Sessions page ends another device', async () => {
    const person = await people.newPerson('editor');
    const context = await browser.newContext({ viewport: DESKTOP, reducedMotion: 'reduce' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(server.url);
    for (let i = 0; i < 4; i++) {
      await page.getByTestId('signin-username').fill(person.account.username);
      await page.getByTestId('signin-password').fill('not-her-password');
      await page.getByTestId('signin-submit').click();
      await expect.poll(() => page.getByTestId('signin-submit').isEnabled()).toBe(true);
    }
    await expect.poll(() => page.getByTestId('signin-error').textContent()).toBe('Too many attempts. Try again in 15 minutes.');
    expect(await page.getByTestId('signin-username').inputValue()).toBe(person.account.username);
    await screenshot(page, 'signin-rate-limited-1280');

    // Another device of hers (the test's own cookie), then the Sessions page from her name in the bar.
    const laptop = await personContext(person);
    const phoneCookie = await people.signInWith(person.account.username, person.password!).catch(() => null);
    expect(phoneCookie).toBeNull(); // still limited: the account's window holds for every device
    await laptop.page.goto(server.url);
    await laptop.page.getByTestId('who').click();
    const rows = laptop.page.getByTestId('session-row');
    await rows.first().waitFor({ timeout: UI_TIMEOUT });
    expect(await laptop.page.locator('[data-testid="session-row"][data-current="true"]').textContent()).toContain('This device');
    await screenshot(laptop.page, 'sessions-1280');
    const other = await server.server.services.accounts.startSession(person.account, { userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1' });
    await laptop.page.reload();
    await expect.poll(() => rows.count(), { timeout: UI_TIMEOUT }).toBe(2);
    await laptop.page.getByTestId('end-session').click();
    await expect.poll(() => laptop.page.getByTestId('sessions-status').textContent()).toContain('Safari on iPhone or iPad is signed out');
    expect(await server.store.sessions.findById(other.session.id)).toBeNull();
    expect(await rows.count()).toBe(1);
    expect(laptop.errors).toEqual([]);
  });
});
