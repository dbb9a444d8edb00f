import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import * as Y from 'yjs';
import { ENTRY_FRAGMENT } from '../../shared/collab/docRoots.js';
import { entryDocName } from '../../shared/collab/docName.js';
import { XSS_PAYLOADS } from '../fixtures/xssPayloads.js';
import { describeE2E, launchChromium, newDeskContext, type DeskSession } from '../support/chromium.js';
import { openCollabDoc } from '../support/collabClients.js';
import { card, expandEntry, openLiveFile, UI_TIMEOUT } from '../support/e2eDesk.js';
import { newsroomPeople, type Person } from '../support/newsroomPeople.js';
import { startTestServer, type TestServer } from '../support/startTestServer.js';
import { entryOf, newEntry, publicGet, slugOf, transition } from '../support/workflowApi.js';

/**
 * The XSS corpus end to end (issue: "none executes in the desk, the queue, or the published HTML
 * loaded in real Chromium, and their visible text survives"). Every payload goes in the way an
 * attacker with an editor's account would send it: over /collab with the stock y-websocket client,
 * as Yjs structure the real editor writes (paragraph text, link marks, photo, embed and quote
 * attributes) plus the headline over HTTP; then submit and publish over HTTP. Chromium then shows
 * it on the editor's desk, in the chief's queue, and as the published HTML on our own origin with
 * no CSP at all (so only the sanitizer stands between a payload and the page), while the test
 * listens for dialogs, console errors, page errors, requests and websockets.
 */

const PER_ENTRY = 20;
const BATCHES: string[][] = [];
for (let i = 0; i < XSS_PAYLOADS.length; i += PER_ENTRY) BATCHES.push(XSS_PAYLOADS.slice(i, i + PER_ENTRY));

// ---- entry documents as y-prosemirror stores them (as in test/unit/renderEntry.test.ts) ----

type Child = Y.XmlElement | Y.XmlText;
function el(name: string, attrs: Record<string, unknown> = {}, children: Child[] = []): Y.XmlElement {
  const node = new Y.XmlElement(name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v as string);
  node.insert(0, children);
  return node;
}
function text(value: string, marks?: Record<string, unknown>): Y.XmlText {
  const t = new Y.XmlText();
  t.applyDelta([{ insert: value, ...(marks ? { attributes: marks } : {}) }]);
  return t;
}
const p = (value: string, marks?: Record<string, unknown>) => el('paragraph', {}, [text(value, marks)]);

/**
 * After the entry's first paragraph (its marker): each payload as a paragraph of its own, then each
 * payload again in every attribute an author controls. Each link is a paragraph of its own: the
 * schema refuses an unsafe href by dropping the whole text node that carries it.
 */
function batchBlocks(batch: readonly string[]): Y.XmlElement[] {
  return [
    ...batch.map((payload) => p(payload)),
    ...batch.flatMap((payload) => [
      p('unsafe link', { link: { href: payload } }),
      p('safe link', { link: { href: `https://example.com/${payload}` } }),
      el('photo', { mediaId: payload, caption: payload, credit: payload }),
      el('embed', { provider: 'youtube', embedId: payload, url: payload, caption: payload }),
      // A safe URL carrying the payload; the id is not a YouTube id, so the desk fetches no thumbnail.
      el('embed', { provider: 'youtube', embedId: payload, url: `https://www.youtube.com/watch?v=${payload}`, caption: payload }),
      el('quote', { attribution: payload }, [text(payload)]),
    ]),
  ];
}

/** A headline the HTTP schema takes (safeText: no NUL, no lone surrogate; trimmed; ≤ 300). */
// eslint-disable-next-line no-control-regex -- NUL is exactly what the schema refuses
const headlineOf = (batch: readonly string[], n: number) => batch.find((s) => s.length <= 300 && s === s.trim() && !/\u0000|\p{Cs}/u.test(s)) ?? `XSS corpus part ${n}`;
const markerOf = (n: number) => `XSS corpus part ${n} of ${BATCHES.length}`;

// ---- what the page must show ----

/**
 * innerText is the rendered text: it folds white space other than single spaces (tabs, line
 * breaks, form feeds, NBSP, runs of spaces, the ends of a block) and drops nothing visible. For a
 * payload holding such characters or control characters, innerText cannot equal it whatever we do,
 * so those (50 of 523) are compared with textContent, the exact DOM text, instead.
 */
// eslint-disable-next-line no-control-regex -- control characters are what innerText cannot keep
const innerTextKeeps = (s: string) => !/[\u0000-\u001F\u007F]/.test(s) && !/[^\S ]/.test(s) && !/ {2}/.test(s) && s === s.trim();

/**
 * The DOM text an HTML parser must make of a text run (the published HTML and the queue's preview
 * are parsed; the desk editor's DOM is built node by node and keeps the payload as it is): input
 * preprocessing turns CR and CRLF into LF, and the tree builder drops U+0000 in body text (HTML
 * spec 13.2.3.5, 13.2.6.4.7). Seven payloads hold a CR or a NUL; their published `text` is still exact.
 */
// eslint-disable-next-line no-control-regex -- NUL is what the parser drops
const parsedText = (s: string) => s.replace(/\r\n?/g, '\n').replace(/\u0000/g, '');

interface TextReport {
  entryId: string;
  /** Per payload paragraph (the article's 2nd, 3rd… <p>): its innerText and textContent. */
  paragraphs: Array<{ inner: string; content: string }>;
}

function textFailures(reports: TextReport[], entries: Array<{ id: string; batch: string[] }>, parsed: boolean): string[] {
  const failures: string[] = [];
  for (const { id, batch } of entries) {
    const report = reports.find((r) => r.entryId === id);
    if (!report) {
      failures.push(`entry ${id}: not shown`);
      continue;
    }
    batch.forEach((payload, i) => {
      const got = report.paragraphs[i];
      const expected = parsed ? parsedText(payload) : payload;
      if (!got) failures.push(`${JSON.stringify(payload)}: no paragraph`);
      else if (innerTextKeeps(payload) ? got.inner !== expected : got.content !== expected) {
        failures.push(`${JSON.stringify(payload)}: shown as ${JSON.stringify(innerTextKeeps(payload) ? got.inner : got.content)}`);
      }
    });
  }
  return failures;
}

// ---- in-page audits (serialized into the page: self-contained) ----

interface AuditOptions {
  /** Tags that may appear at all (lower case). */
  allowed: string[];
  /** img src must be under this (our media route), resolved against the page. */
  mediaPrefix: string;
  /** Also look inside open shadow roots (the desk's ld-embed cards). */
  shadow: boolean;
}

/** Every way the DOM under `root` breaks the published line: tags, handlers, script URLs, styles. */
function auditDom(root: Element, opts: AuditOptions): string[] {
  const found: string[] = [];
  const BANNED = ['script', 'iframe', 'object', 'embed', 'svg', 'math', 'style', 'base', 'meta', 'form', 'link', 'frame', 'frameset', 'applet',
    'portal', 'template', 'noscript', 'input', 'button', 'textarea', 'select', 'video', 'audio', 'source', 'image', 'isindex', 'keygen', 'marquee', 'xmp', 'plaintext', 'title'];
  const URL_ATTRS = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background', 'cite', 'srcset', 'dynsrc', 'lowsrc', 'ping', 'srcdoc', 'codebase', 'code'];
  const describe = (e: Element) => `<${e.tagName.toLowerCase()}${[...e.attributes].map((a) => ` ${a.name}="${a.value.slice(0, 60)}"`).join('')}>`;
  const walk = (scope: Element | ShadowRoot, inShadow: boolean) => {
    for (const e of scope.querySelectorAll('*')) {
      const tag = e.tagName.toLowerCase();
      // A <source> is a photo's only inside <picture> (renderEntry's photo card).
      const photoSource = tag === 'source' && e.parentElement?.tagName.toLowerCase() === 'picture';
      if (BANNED.includes(tag) && !(inShadow && tag === 'svg') && !photoSource) found.push(`banned element ${describe(e)}`);
      else if (!inShadow && !opts.allowed.includes(tag)) found.push(`unexpected element ${describe(e)}`);
      for (const a of e.attributes) {
        const name = a.name.toLowerCase();
        // eslint-disable-next-line no-control-regex -- browsers ignore controls and spaces in a scheme
        const bare = a.value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
        if (name.startsWith('on')) found.push(`handler ${name} on ${describe(e)}`);
        if (name === 'style' && !inShadow) found.push(`style on ${describe(e)}`);
        if (URL_ATTRS.includes(name) && /^(javascript|data|vbscript|livescript|mocha|blob|file|filesystem):/.test(bare)) found.push(`script URL ${describe(e)}`);
        if (name === 'srcdoc' || name === 'formaction' || name === 'action') found.push(`attribute ${name} on ${describe(e)}`);
        // A photo's srcset: our own media paths only, nothing else.
        if (name === 'srcset' && !a.value.split(',').every((c) => /^\/(api\/)?media\/[A-Za-z0-9_.-]+(\s+\d+w)?$/.test(c.trim()))) found.push(`srcset off our media ${describe(e)}`);
      }
      if (e instanceof HTMLAnchorElement && e.hasAttribute('href')) {
        if (!['http:', 'https:', 'mailto:'].includes(e.protocol)) found.push(`link protocol ${e.protocol} ${describe(e)}`);
        if (e.rel !== 'noopener noreferrer nofollow') found.push(`link rel "${e.rel}" ${describe(e)}`);
      }
      if (e instanceof HTMLImageElement && e.hasAttribute('src')) {
        if (!e.src.startsWith(opts.mediaPrefix) || e.src.slice(opts.mediaPrefix.length).includes('/')) found.push(`image off our media route ${describe(e)}`);
      }
      if (opts.shadow && e.shadowRoot) walk(e.shadowRoot, true);
    }
  };
  walk(root, false);
  return found;
}

/** Text of each payload paragraph of an entry: the block's direct <p> children after the marker. */
function paragraphTexts(root: Element, count: number): Array<{ inner: string; content: string }> {
  return [...root.querySelectorAll(':scope > p')].slice(1, 1 + count).map((e) => ({ inner: (e as HTMLElement).innerText, content: e.textContent ?? '' }));
}

// ---- listening ----

interface Watch {
  problems: string[];
  attach(page: Page): void;
}

/**
 * Records on `context` every request and websocket whose URL `allowed` refuses, and on each page
 * attached every dialog (dismissed), page error and console error. 404s of our own media route are
 * expected (photos name media that was never uploaded) and are the only console errors let through.
 */
function watch(context: BrowserContext, serverUrl: string, allowed: (url: URL, resourceType: string) => boolean): Watch {
  const problems: string[] = [];
  const origin = new URL(serverUrl).origin;
  const media = `${origin}/api/media/`;
  context.on('request', (r) => {
    const url = new URL(r.url());
    if (url.origin !== origin || !allowed(url, r.resourceType())) problems.push(`request ${r.method()} ${r.resourceType()} ${r.url().slice(0, 200)}`);
  });
  return {
    problems,
    attach(page: Page) {
      page.on('dialog', (d) => {
        problems.push(`dialog ${d.type()}: ${d.message()}`);
        void d.dismiss().catch(() => {});
      });
      page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
      page.on('console', (msg) => {
        if (msg.type() !== 'error') return;
        if (/^Failed to load resource: the server responded with a status of 404/.test(msg.text()) && msg.location().url.startsWith(media)) return;
        problems.push(`console.error: ${msg.text().slice(0, 300)} (${msg.location().url.slice(0, 120)})`);
      });
      page.on('websocket', (ws) => {
        const url = new URL(ws.url());
        if (url.host !== new URL(serverUrl).host || !/^\/(collab\/|socket\.io\/)/.test(url.pathname)) problems.push(`websocket ${ws.url()}`);
      });
    },
  };
}

/** Lets the page's own paths through and aborts everything else, so no test ever reaches the internet. */
async function keepOnOrigin(context: BrowserContext, serverUrl: string, extra?: (path: string) => string | null): Promise<void> {
  const origin = new URL(serverUrl).origin;
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    const body = url.origin === origin ? extra?.(url.pathname) : null;
    if (body != null) await route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body });
    else if (url.origin === origin) await route.continue();
    else await route.abort('blockedbyclient');
  });
}

/** Long enough for image errors, autofocus, animations, toggles and meta refreshes to have fired. */
const SETTLE_MS = 1500;

describeE2E('[PB8] the XSS corpus through collab, desk, queue and published HTML (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  const people = newsroomPeople(() => server);
  let editor: Person;
  let chief: Person;
  let fileId: string;
  const entries: Array<{ id: string; batch: string[]; headline: string }> = [];
  const sessions: DeskSession[] = [];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchChromium()]);
    [editor, chief] = await Promise.all([people.demoPerson('editor'), people.demoPerson('chief')]);
    fileId = await people.newLiveFile(editor, 'XSS corpus');
    for (const [i, batch] of BATCHES.entries()) {
      const headline = headlineOf(batch, i + 1);
      const created = await newEntry(server, editor, fileId, markerOf(i + 1), headline);
      entries.push({ id: created.id, batch, headline });
    }
    // Four at a time: each is its own stock y-websocket client (its own Yjs client id).
    for (let i = 0; i < entries.length; i += 4) {
      await Promise.all(entries.slice(i, i + 4).map(async ({ id, batch }) => {
        const name = entryDocName(id);
        const client = await openCollabDoc(`${server.wsUrl}/collab`, name, { headers: { cookie: editor.cookie } });
        const fragment = client.doc.getXmlFragment(ENTRY_FRAGMENT);
        client.doc.transact(() => fragment.insert(fragment.length, batchBlocks(batch)));
        const mine = Y.decodeStateVector(Y.encodeStateVector(client.doc)).get(client.doc.clientID);
        // Stored by the server (its durable state has every update of this client), before submitting.
        const stored = async () => Y.decodeStateVector(Y.encodeStateVectorFromUpdate(await server.server.collab.read(name))).get(client.doc.clientID);
        for (const deadline = Date.now() + 10_000; (await stored()) !== mine;) {
          if (Date.now() > deadline) throw new Error(`the server never stored the payloads of ${id}`);
          await new Promise((r) => setTimeout(r, 50));
        }
        client.destroy();
        const { version } = await entryOf(server, editor, id);
        const submitted = await transition(server, editor, id, 'submit', { version });
        expect(submitted.status, JSON.stringify(submitted.json)).toBe(200);
      }));
    }
  });
  afterAll(async () => {
    for (const s of sessions) await s.context.close();
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
  });

  async function deskSession(username: string): Promise<{ session: DeskSession; seen: Watch }> {
    const distFiles = new Set(readdirSync(fileURLToPath(new URL('../../dist', import.meta.url))));
    /** What the desk itself loads: the page, its built files (top-level ones by name), the API and Socket.IO's polling. */
    const deskPath = (url: URL) => url.pathname === '/' || /^\/(assets|api|socket\.io)\//.test(url.pathname) || distFiles.has(url.pathname.slice(1));
    const session = await newDeskContext(browser, server, username, { noNavigate: true });
    sessions.push(session);
    await keepOnOrigin(session.context, server.url);
    const seen = watch(session.context, server.url, deskPath);
    seen.attach(session.page);
    return { session, seen };
  }

  // In order: the queue shows the entries while they are submitted; the next test publishes them.
  it(`[PB8] ${XSS_PAYLOADS.length} payloads in ${BATCHES.length} submitted entries: nothing runs in the chief's approval queue, and each payload is the preview's text`, async () => {
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(300);
    const { session, seen } = await deskSession('chief');
    const { page } = session;
    await page.goto(`${server.url}/#/queue`);
    const queue = page.locator('ld-queue-page');
    await queue.getByTestId('queue-counts').waitFor({ timeout: UI_TIMEOUT });
    for (const { id } of entries) await queue.locator(`[data-testid="queue-item"][data-entry-id="${id}"]`).waitFor({ timeout: UI_TIMEOUT });

    const reports: TextReport[] = [];
    const dom: string[] = [];
    const diffs: string[] = [];
    for (const { id, batch } of entries) {
      await queue.locator(`[data-testid="queue-item"][data-entry-id="${id}"]`).click();
      const detail = queue.locator(`[data-testid="queue-detail"][data-entry-id="${id}"]`);
      await detail.waitFor({ timeout: UI_TIMEOUT });
      const preview = detail.getByTestId('queue-preview');
      reports.push({ entryId: id, paragraphs: await preview.evaluate(paragraphTexts, batch.length) });
      dom.push(...(await preview.evaluate(auditDom, { allowed: PUBLISHED_TAGS, mediaPrefix: `${server.url}/api/media/`, shadow: false })).map((f) => `${id}: ${f}`));
      // The word diff is Lit text: the payloads are in it as typed (no parser between).
      const diffText = (await detail.getByTestId('queue-diff').textContent()) ?? '';
      for (const payload of batch) if (!diffText.includes(payload)) diffs.push(`${JSON.stringify(payload)} not in the diff of ${id}`);
    }
    await page.waitForTimeout(SETTLE_MS);
    expect(seen.problems).toEqual([]);
    expect(dom).toEqual([]);
    expect(diffs).toEqual([]);
    expect(textFailures(reports, entries, true)).toEqual([]);
  });

  it('[PB8] published over HTTP, the public API has every payload exactly in the text, and its HTML runs nothing on our origin without a CSP', async () => {
    for (const { id } of entries) {
      const { version } = await entryOf(server, chief, id);
      const res = await transition(server, chief, id, 'publish', { version });
      expect(res.status, JSON.stringify(res.json)).toBe(200);
    }
    const slug = await slugOf(server, fileId);
    const published: Array<{ id: string; html: string; text: string; headline: string }> = [];
    let cursor: string | null = null;
    do {
      const res = await publicGet(server, `/api/public/live/${encodeURIComponent(slug)}?limit=100${cursor ? `&before=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      published.push(...(res.json.entries as typeof published));
      cursor = res.json.nextCursor as string | null;
    } while (cursor);
    expect(published.map((e) => e.id).sort()).toEqual(entries.map((e) => e.id).sort());
    const textMisses: string[] = [];
    for (const [i, { id, batch, headline }] of entries.entries()) {
      const got = published.find((e) => e.id === id)!;
      // Blocks are joined by a blank line: the marker, then every payload paragraph as typed.
      const prefix = [markerOf(i + 1), ...batch].join('\n\n') + '\n\n';
      if (!got.text.startsWith(prefix)) {
        const paragraphs = got.text.split('\n\n');
        for (const payload of batch) if (!got.text.includes(`\n\n${payload}\n\n`)) textMisses.push(`${JSON.stringify(payload)} not in the text of ${id}`);
        if (!textMisses.length) textMisses.push(`${id}: text starts ${JSON.stringify(paragraphs.slice(0, 3))}`);
      }
      if (got.headline !== headline) textMisses.push(`${id}: headline ${JSON.stringify(got.headline)}, typed ${JSON.stringify(headline)}`);
    }
    expect(textMisses).toEqual([]);

    // A page of our own origin with no CSP and nothing else: only the sanitizer protects it.
    const context = await browser.newContext();
    contexts.push(context);
    const BLANK = '/__xss-corpus-blank';
    await keepOnOrigin(context, server.url, (path) => (path === BLANK ? BARE_PAGE : null));
    const seen = watch(context, server.url, (url) => url.pathname === BLANK || /^\/api\/media\/[^/]+$/.test(url.pathname));
    const page = await context.newPage();
    seen.attach(page);
    const articles = published.map((e) => `<article data-entry-id="${e.id}">${e.html}</article>`).join('\n');
    const report = async (variant: string) => {
      await page.waitForTimeout(SETTLE_MS);
      const where = await page.evaluate(() => ({ origin: location.origin, cspInMarkup: document.querySelector('meta[http-equiv]') !== null }));
      expect({ variant, ...where }).toEqual({ variant, origin: new URL(server.url).origin, cspInMarkup: false });
      const audit: string[] = [];
      const texts: TextReport[] = [];
      for (const article of await page.locator('#entries > article').all()) {
        const entryId = (await article.getAttribute('data-entry-id')) ?? '';
        audit.push(...(await article.evaluate(auditDom, { allowed: PUBLISHED_TAGS, mediaPrefix: `${server.url}/api/media/`, shadow: false })).map((f) => `${entryId}: ${f}`));
        texts.push({ entryId, paragraphs: await article.evaluate(paragraphTexts, PER_ENTRY) });
      }
      expect(texts).toHaveLength(entries.length);
      expect({ variant, problems: seen.problems }).toEqual({ variant, problems: [] });
      expect({ variant, audit }).toEqual({ variant, audit: [] });
      expect({ variant, text: textFailures(texts, entries, true) }).toEqual({ variant, text: [] });
    };

    // (a) As a reader page would: our origin's page, the entries put in with innerHTML.
    const response = await page.goto(`${server.url}${BLANK}`);
    expect(response?.headers()['content-security-policy']).toBeUndefined();
    await page.evaluate((html) => (document.getElementById('entries')!.innerHTML = html), articles);
    await report('innerHTML');

    // (b) The whole document written with page.setContent (document.write: a <script> there would run), same origin.
    await page.setContent(BARE_PAGE.replace('<main id="entries"></main>', `<main id="entries">${articles}</main>`));
    await report('setContent');
    // Scrolled through, so lazy images load (and an injected handler on them would fire).
    await page.evaluate(async () => {
      for (let y = 0; y < document.body.scrollHeight; y += 600) {
        window.scrollTo(0, y);
        await new Promise((r) => requestAnimationFrame(r));
      }
    });
    await report('setContent, scrolled');
  });

  it('[PB8] on the editor\'s desk, every entry expanded in its editor: nothing runs, and each payload is the editor\'s text', async () => {
    const { session, seen } = await deskSession('editor');
    const { page } = session;
    await openLiveFile(page, server, fileId);
    for (const { id } of entries) await card(page, id).waitFor({ timeout: UI_TIMEOUT });
    const headlines: string[] = [];
    for (const { id, headline } of entries) {
      const shown = await card(page, id).getByTestId('entry-headline').textContent();
      if (shown !== headline) headlines.push(`${id}: headline shown as ${JSON.stringify(shown)}, typed ${JSON.stringify(headline)}`);
    }
    const reports: TextReport[] = [];
    const dom: string[] = [];
    for (const { id, batch } of entries) {
      const content = await expandEntry(page, id);
      await expect.poll(() => content.locator(':scope > p').count(), { timeout: UI_TIMEOUT }).toBeGreaterThan(batch.length);
      // The editor's DOM is built node by node (no HTML parser): the payload exactly, NUL and CR too.
      reports.push({ entryId: id, paragraphs: await content.evaluate(paragraphTexts, batch.length) });
      dom.push(...(await content.evaluate(auditDom, { allowed: [...PUBLISHED_TAGS, 'ld-embed'], mediaPrefix: `${server.url}/api/media/`, shadow: true })).map((f) => `${id}: ${f}`));
    }
    await page.waitForTimeout(SETTLE_MS);
    expect(seen.problems).toEqual([]);
    expect(headlines).toEqual([]);
    expect(dom).toEqual([]);
    expect(textFailures(reports, entries, false)).toEqual([]);
  });
});

/** Every tag the publish policy (sanitizePolicy.ts) lets through, and nothing else. */
const PUBLISHED_TAGS = ['p', 'h1', 'h2', 'h3', 'blockquote', 'ul', 'ol', 'li', 'figure', 'figcaption', 'img', 'a', 'strong', 'em', 'u', 's', 'br'];

/** The bare page: no CSP header (the route answers it) and none in the markup. */
const BARE_PAGE = '<!doctype html><html lang="en"><head><title>Published entries</title></head><body><main id="entries"></main></body></html>';
