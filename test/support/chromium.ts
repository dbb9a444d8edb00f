import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { loginOf, signIn, type TestServer } from './startTestServer.js';

/**
 * Debian Chromium driven by playwright-core. We never download a browser: without
 * /usr/bin/chromium the e2e suite is skipped with a loud warning, or fails under CI=true.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM_PATH);

if (!haveChromium) {
  const msg = `Chromium not found at ${CHROMIUM_PATH}: the end-to-end tests cannot run (install the Debian package \`chromium\`).`;
  if (process.env.CI === 'true') throw new Error(`${msg} CI=true, so this is a failure.`);
  console.warn(`\n${'!'.repeat(100)}\n!!! SKIPPING E2E: ${msg}\n${'!'.repeat(100)}\n`);
}

/** `describe` that skips (loudly, see above) when Chromium is missing. */
export const describeE2E = describe.skipIf(!haveChromium);

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchChromium(): Promise<Browser> {
  if (!haveChromium) throw new Error(`Chromium not found at ${CHROMIUM_PATH}`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 60_000 });
}

export const DESKTOP = { width: 1280, height: 800 } as const;
export const PHONE = { width: 390, height: 844 } as const;

export interface DeskSession {
  context: BrowserContext;
  page: Page;
  username: string;
  displayName: string;
  /** Uncaught page errors and console errors seen so far (for assertions and reports). */
  errors: string[];
}

export interface DeskContextOptions {
  phone?: boolean;
  /** Any viewport (overrides phone's 390×844). */
  viewport?: { width: number; height: number };
  /** Sign in through the real sign-in form instead of injecting the API session cookie. */
  viaForm?: boolean;
  /** Skip navigating to the desk (the caller goes where it wants). */
  noNavigate?: boolean;
  /** A phone browser's User-Agent (with `phone`), for pages that look at it. */
  userAgent?: string;
  /** Emulated prefers-color-scheme. */
  colorScheme?: 'light' | 'dark';
}

/** Chrome on an Android phone, for `userAgent`. */
export const MOBILE_UA = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Mobile Safari/537.36';

/**
 * A fresh browser context signed in as a demo user, on the desk (live files list) page.
 * Fast path: sign in over the API and inject the session cookie; `viaForm` uses the sign-in page.
 */
export async function newDeskContext(browser: Browser, server: TestServer, username: string, opts: DeskContextOptions = {}): Promise<DeskSession> {
  const login = loginOf(server, username);
  const context = await browser.newContext({
    viewport: opts.viewport ?? (opts.phone ? PHONE : DESKTOP),
    ...(opts.phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : { deviceScaleFactor: 1 }),
    ...(opts.userAgent ? { userAgent: opts.userAgent } : {}),
    ...(opts.colorScheme ? { colorScheme: opts.colorScheme } : {}),
    locale: 'en-GB',
    timezoneId: 'Asia/Almaty',
    reducedMotion: 'reduce',
  });
  context.setDefaultTimeout(20_000);
  await context.addInitScript(SOCKET_TRACKER);
  const page = await context.newPage();
  const errors = watchErrors(page);
  const session: DeskSession = { context, page, username, displayName: login.displayName, errors };
  if (opts.viaForm) {
    await page.goto(server.url);
    await signInThroughForm(page, username, login.password);
    await expect.poll(() => page.getByTestId('sign-out').count(), { timeout: 20_000 }).toBe(1);
    return session;
  }
  const cookie = await signIn(server, username);
  const [name, ...rest] = cookie.split('=');
  await context.addCookies([{ name: name!, value: rest.join('='), url: server.url, httpOnly: true, sameSite: 'Lax' }]);
  if (!opts.noNavigate) {
    await page.goto(server.url);
    await page.getByTestId('sign-out').waitFor();
  }
  return session;
}

export async function signInThroughForm(page: Page, username: string, password: string): Promise<void> {
  await page.getByTestId('signin-username').fill(username);
  await page.getByTestId('signin-password').fill(password);
  await page.getByTestId('signin-submit').click();
}

/** Console noise a dropped network always makes (failed handshakes and fetches while offline). */
export function withoutOfflineNoise(errors: string[]): string[] {
  // The last one: Chromium's own log when the service worker's script cannot be fetched offline.
  return errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|ERR_NETWORK_CHANGED|Failed to fetch|An unknown error occurred when fetching the script/.test(e));
}

export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    // Chromium logs every 4xx fetch; a 401 on the signed-out session check is the normal path.
    if (msg.type() === 'error' && !/Failed to load resource: .*status of 401/.test(msg.text())) errors.push(`console.error: ${msg.text()}`);
  });
  return errors;
}

export const SCREENSHOT_DIR = fileURLToPath(new URL('../../screenshots', import.meta.url));

/** Full-page PNG into /work/main/screenshots/<name>.png (gitignored) for visual review. */
export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.png`);
  await page.screenshot({ path, fullPage: opts.fullPage ?? true, animations: 'disabled', caret: 'initial' });
  return path;
}

/**
 * Test instrumentation (behaviour unchanged): remembers every WebSocket the page opens, so the
 * tests can drop them. Chromium's offline emulation (context.setOffline) blocks new requests and
 * handshakes and flips navigator.onLine, but leaves already-open WebSockets alive and syncing.
 */
export const SOCKET_TRACKER = `(() => {
  const open = new Set();
  const Native = window.WebSocket;
  window.__e2eSockets = open;
  window.WebSocket = new Proxy(Native, {
    construct(target, args, newTarget) {
      const ws = Reflect.construct(target, args, newTarget);
      open.add(ws);
      ws.addEventListener('close', () => open.delete(ws));
      return ws;
    },
  });
})();`;

/**
 * Takes the whole context off the network the way a dead connection does: no new requests or
 * handshakes, navigator.onLine false, and every open WebSocket (collab and Socket.IO) dropped.
 */
export async function goOffline(context: BrowserContext): Promise<void> {
  await context.setOffline(true);
  for (const page of context.pages()) {
    // Resolves once every socket has fired 'close' (the page has seen the drop), or after 3 s: with
    // the network already gone a closing handshake can wait a minute for a close frame that never
    // comes (Chromium's timeout), and the page's own code may have started closing it first.
    await page.evaluate(async () => {
      const open = (window as unknown as { __e2eSockets?: Set<WebSocket> }).__e2eSockets;
      await Promise.all([...(open ?? [])].map((ws) => new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.addEventListener('close', () => resolve(), { once: true });
        setTimeout(resolve, 3000);
        ws.close(4000, 'e2e-offline');
      })));
    });
  }
}

export async function goOnline(context: BrowserContext): Promise<void> {
  await context.setOffline(false);
}

/** Number of WebSockets open in the page right now. */
export async function openSockets(page: Page): Promise<number> {
  return page.evaluate(() => {
    const open = (window as unknown as { __e2eSockets?: Set<WebSocket> }).__e2eSockets;
    return [...(open ?? [])].filter((ws) => ws.readyState === WebSocket.OPEN).length;
  });
}
