import { request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setKeyEvent, setPinned } from '../../shared/collab/deskDoc.js';
import { newsroomPeople, type Person } from '../support/newsroomPeople.js';
import { api, startTestServer, type TestServer } from '../support/startTestServer.js';
import { newEntry, publicGet, slugOf, transition } from '../support/workflowApi.js';
import { correctEntry, onDesk, retractEntry } from '../support/readerPageFlow.js';

let server: TestServer;
const people = newsroomPeople(() => server);
let editor: Person;
let chief: Person;

beforeAll(async () => {
  server = await startTestServer();
  editor = await people.newPerson('editor');
  chief = await people.newPerson('chief');
});
afterAll(() => server.close());

async function publish(fileId: string, text: string, headline?: string): Promise<string> {
  const entry = await newEntry(server, editor, fileId, text, headline);
  expect((await transition(server, editor, entry.id, 'submit', { version: entry.version })).status).toBe(200);
  expect((await transition(server, chief, entry.id, 'publish', { version: entry.version + 1 })).status).toBe(200);
  return entry.id;
}

interface Got { status: number; headers: Record<string, string | string[] | undefined>; body: string }
/** A plain HTTP GET (fetch would add `Cache-Control: no-cache` to a conditional request, as the Fetch spec says). */
function get(path: string, headers: Record<string, string> = {}): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The little of a DOM element these tests read (linkedom's, without DOM types on the server side). */
interface El {
  getAttribute(name: string): string | null;
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): ArrayLike<El> & Iterable<El>;
  textContent: string | null;
  innerHTML: string;
  classList: { contains(name: string): boolean };
}

async function pageDoc(path: string) {
  const res = await get(path);
  expect(res.status, `${path}: ${res.body.slice(0, 200)}`).toBe(200);
  const document = parseHTML(res.body).document as unknown as El;
  return { res, document, articles: [...document.querySelectorAll('[role="feed"] > article')] };
}

const meta = (d: El, sel: string) => d.querySelector(sel)?.getAttribute('content') ?? null;
const livePath = (slug: string) => `/live/${encodeURIComponent(slug)}`;

async function newFile(prefix: string, body: Record<string, unknown> = {}): Promise<{ id: string; slug: string }> {
  const res = await api(server, editor.cookie, 'POST', '/api/live-files', { title: `${prefix} ${randomUUID().slice(0, 6)}`, timezone: 'Asia/Almaty', ...body });
  expect(res.status).toBe(201);
  const id = res.json.id as string;
  return { id, slug: await slugOf(server, id) };
}


describe('public live page (server-rendered)', () => {
  it('[RP1] title, description, canonical, Open Graph and feed links; entries as the public API orders them, pinned first, key events summarised at the top; nothing but entry HTML unescaped', async () => {
    const file = await newFile('Floods <b>&</b> "rain"');
    const a = await publish(file.id, 'First update about the river.', 'River rising');
    const b = await publish(file.id, 'Dam breach confirmed by the akimat.', 'Dam <breach> & "more"');
    const c = await publish(file.id, 'Third update, plain.');
    await onDesk(server, editor, file.id, 2, (doc) => {
      setPinned(doc, a, true);
      setKeyEvent(doc, b, true);
    });
    const apiOrder = ((await publicGet(server, `/api/public/live/${encodeURIComponent(file.slug)}`)).json.entries as Array<{ id: string }>).map((e) => e.id);
    expect(apiOrder).toEqual([a, c, b]);

    const { res, document, articles } = await pageDoc(livePath(file.slug));
    expect(res.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
    const title = (await server.store.liveFiles.findById(file.id))!.title;
    expect(document.querySelector('title')!.textContent).toBe(title);
    expect(document.querySelector('h1')!.textContent).toBe(title);
    expect(res.body).not.toContain('<b>&</b>');
    expect(meta(document, 'meta[name="description"]')).toMatch(/^Live updates: Floods <b>&<\/b> "rain".*Latest: Third update, plain\.$/);
    const canonical = document.querySelector('link[rel="canonical"]')!.getAttribute('href');
    expect(canonical).toBe(`${server.url}${livePath(file.slug)}`);
    expect(meta(document, 'meta[property="og:url"]')).toBe(canonical);
    expect(meta(document, 'meta[property="og:title"]')).toBe(title);
    expect(meta(document, 'meta[property="og:type"]')).toBe('article');
    expect(meta(document, 'meta[property="og:description"]')).toBe(meta(document, 'meta[name="description"]'));
    expect(meta(document, 'meta[name="twitter:card"]')).toBe('summary');
    const alternates = [...document.querySelectorAll('link[rel="alternate"]')].map((l) => [l.getAttribute('type'), l.getAttribute('href')]);
    expect(alternates).toEqual([
      ['application/rss+xml', `${livePath(file.slug)}/feed.rss`],
      ['application/atom+xml', `${livePath(file.slug)}/feed.atom`],
      ['application/feed+json', `${livePath(file.slug)}/feed.json`],
    ]);

    expect(articles.map((el) => el.getAttribute('data-id'))).toEqual(apiOrder);
    expect(articles.map((el) => el.getAttribute('aria-posinset'))).toEqual(['1', '2', '3']);
    expect(articles.every((el) => el.getAttribute('aria-setsize') === '3')).toBe(true);
    expect(articles[0]!.classList.contains('is-pinned')).toBe(true);
    expect(articles[0]!.textContent).toContain('Pinned');
    expect(articles[2]!.querySelector('.entry-headline')!.textContent).toBe('Dam <breach> & "more"');
    expect(res.body).toContain('Dam &lt;breach&gt; &amp; &quot;more&quot;');
    expect(articles[2]!.querySelector('.entry-body')!.innerHTML).toBe('<p dir="auto">Dam breach confirmed by the akimat.</p>');
    // Each time is the entry's permalink, in the file's zone, labelled.
    const time = articles[1]!.querySelector('a.entry-time')!;
    expect(time.getAttribute('href')).toBe(`${livePath(file.slug)}/${c}`);
    expect(time.textContent).toMatch(/^\d\d:\d\d Almaty$/);
    expect(time.querySelector('time')!.getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    // The key-events summary, before the feed, links each to its permalink.
    const keys = [...document.querySelectorAll('#key-events li a')];
    expect(keys.map((k) => [k.getAttribute('href'), k.querySelector('.key-label')!.textContent])).toEqual([[`${livePath(file.slug)}/${b}`, 'Dam <breach> & "more"']]);
    expect(res.body.indexOf('id="key-events"')).toBeLessThan(res.body.indexOf('role="feed"'));
    // The script starts from the seq the page was rendered at.
    const feed = document.querySelector('[role="feed"]')!;
    const lastSeq = ((await publicGet(server, `/api/public/live/${encodeURIComponent(file.slug)}`)).json.liveFile as { lastSeq: number }).lastSeq;
    expect(lastSeq).toBe(5);
    expect(Number(feed.getAttribute('data-last-seq'))).toBe(lastSeq);
    expect(document.querySelector('a.older')).toBeNull();
    expect(document.querySelector('.skip')!.getAttribute('href')).toBe('#latest');
  });

  it('[RP2] LiveBlogPosting JSON-LD: coverage start and end, one liveBlogUpdate per entry readers can read, each with headline (or first words), datePublished, dateModified and articleBody', async () => {
    const file = await newFile('JSON-LD');
    const a = await publish(file.id, 'Нет заголовка у этого сообщения, только текст, который довольно длинный и продолжается дальше чем девяносто знаков.');
    const b = await publish(file.id, 'With a headline.', 'Headline here </script><script>alert(1)</script>');
    const c = await publish(file.id, 'To be withdrawn.');
    await retractEntry(server, chief, c, 'Not confirmed');
    const { document, articles } = await pageDoc(livePath(file.slug));
    expect(articles).toHaveLength(3);
    const blocks = [...document.querySelectorAll('script[type="application/ld+json"]')];
    expect(blocks).toHaveLength(1);
    expect(blocks[0]!.textContent).not.toMatch(/<\/script/i);
    const ld = JSON.parse(blocks[0]!.textContent!) as Record<string, unknown> & { liveBlogUpdate: Array<Record<string, string>> };
    expect(ld).toMatchObject({
      '@context': 'https://schema.org', '@type': 'LiveBlogPosting', url: `${server.url}${livePath(file.slug)}`,
      headline: expect.stringMatching(/^JSON-LD /), coverageStartTime: expect.any(String), coverageEndTime: expect.any(String),
    });
    expect(Date.parse(ld.coverageEndTime as string)).toBeGreaterThan(Date.parse(ld.coverageStartTime as string));
    expect(ld.liveBlogUpdate.map((u) => u.url)).toEqual([b, a].map((id) => `${server.url}${livePath(file.slug)}/${id}`));
    for (const u of ld.liveBlogUpdate) {
      expect(u['@type']).toBe('BlogPosting');
      for (const field of ['headline', 'datePublished', 'dateModified', 'articleBody']) expect(u[field], field).toBeTruthy();
      expect(u.headline.length).toBeLessThanOrEqual(110);
    }
    expect(ld.liveBlogUpdate[0]).toMatchObject({ headline: 'Headline here </script><script>alert(1)</script>', articleBody: 'With a headline.' });
    expect(ld.liveBlogUpdate[1]!.headline).toMatch(/^Нет заголовка у этого сообщения.*…$/);
    expect(ld.liveBlogUpdate[1]!.inLanguage).toBe('ru');

    // Ended: the coverage's end is when it ended.
    expect((await api(server, chief.cookie, 'PATCH', `/api/live-files/${file.id}/lifecycle`, { status: 'ended' })).status).toBe(200);
    const endedAt = (await server.store.liveFiles.findById(file.id))!.endedAt;
    const ended = JSON.parse((await pageDoc(livePath(file.slug))).document.querySelector('script[type="application/ld+json"]')!.textContent!) as Record<string, unknown>;
    expect(ended.coverageEndTime).toBe(endedAt);
  });

  it('[RP3] page and API are cacheable: ETag and Last-Modified answered 304, a short max-age with stale-while-revalidate, a new change a new ETag; the CSP allows the inlined style by hash and no inline script', async () => {
    const file = await newFile('Cache');
    await publish(file.id, 'One.');
    const path = livePath(file.slug);
    for (const encoding of ['br', 'gzip', 'identity']) {
      const first = await get(path, { 'accept-encoding': encoding });
      expect(first.status).toBe(200);
      expect(first.headers['cache-control']).toMatch(/^public, max-age=\d+, stale-while-revalidate=\d+$/);
      expect(first.headers.vary).toMatch(/Accept-Encoding/);
      expect(first.headers['set-cookie']).toBeUndefined();
      const etag = String(first.headers.etag);
      expect(etag).toMatch(/^W\/".+"$/);
      if (encoding !== 'identity') expect(first.headers['content-encoding']).toBe(encoding);
      expect((await get(path, { 'accept-encoding': encoding, 'if-none-match': etag })).status).toBe(304);
      expect((await get(path, { 'accept-encoding': encoding, 'if-modified-since': String(first.headers['last-modified']) })).status).toBe(304);
    }
    const before = await get(path);
    await publish(file.id, 'Two.');
    const after = await get(path, { 'if-none-match': String(before.headers.etag) });
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);

    const csp = String(after.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const style = /<style>([\s\S]*?)<\/style>/.exec(after.body);
    if (style) {
      const hash = (await import('node:crypto')).createHash('sha256').update(style[1]!, 'utf8').digest('base64');
      expect(csp).toContain(`'sha256-${hash}'`);
    }
    expect(after.body).not.toMatch(/<script(?![^>]*(type="application\/ld\+json"|src="))/);

    const apiPath = `/api/public/live/${encodeURIComponent(file.slug)}`;
    const first = await get(apiPath);
    expect(first.headers['cache-control']).toMatch(/^public, max-age=\d+, stale-while-revalidate=\d+$/);
    expect((await get(apiPath, { 'if-none-match': String(first.headers.etag) })).status).toBe(304);
  });

  it('[RP4] without JavaScript older updates are plain links (?before=<cursor>): the next page has the rest, none twice, and links back to the latest', async () => {
    const file = await newFile('Paging');
    const ids: string[] = [];
    for (let i = 1; i <= 23; i++) ids.push(await publish(file.id, `Update number ${i}.`));
    const top = await pageDoc(livePath(file.slug));
    expect(top.articles).toHaveLength(20);
    expect(top.articles.map((a) => a.getAttribute('data-id'))).toEqual([...ids].reverse().slice(0, 20));
    expect(top.articles.every((a) => a.getAttribute('aria-setsize') === '-1')).toBe(true);
    const older = top.document.querySelector('a.older')!;
    expect(older.textContent).toBe('Load older updates');
    const href = older.getAttribute('href')!;
    expect(href).toMatch(new RegExp(`^${livePath(file.slug)}\\?before=[A-Za-z0-9_%-]+$`));
    const next = await pageDoc(href);
    expect(next.articles.map((a) => a.getAttribute('data-id'))).toEqual([...ids].reverse().slice(20));
    expect(next.document.querySelector('a.older')).toBeNull();
    expect(next.document.querySelector('.back-top a')!.getAttribute('href')).toBe(livePath(file.slug));
    expect(next.document.querySelector('[role="feed"]')!.getAttribute('data-top')).toBe('false');
    expect(next.document.querySelector('link[rel="canonical"]')!.getAttribute('href')).toBe(`${server.url}${href}`);
    expect((await get(`${livePath(file.slug)}?before=forged`)).status).toBe(400);
    expect((await get('/live/no-such-coverage')).status).toBe(404);
  });

  it('[RP5] a permalink renders its entry with its neighbours, highlighted, with its own canonical and share card; one of another file or none is 404', async () => {
    const file = await newFile('Permalinks');
    const ids: string[] = [];
    for (let i = 1; i <= 8; i++) ids.push(await publish(file.id, `Permalink test ${i}.`, i === 4 ? 'The fourth' : undefined));
    const target = ids[3]!;
    const { document, articles } = await pageDoc(`${livePath(file.slug)}/${target}`);
    const shown = articles.map((a) => a.getAttribute('data-id'));
    const at = shown.indexOf(target);
    expect(at).toBeGreaterThan(0);
    expect(shown[at - 1]).toBe(ids[4]);
    expect(shown[at + 1]).toBe(ids[2]);
    const el = articles[at]!;
    expect(el.classList.contains('is-target')).toBe(true);
    expect(el.getAttribute('aria-current')).toBe('true');
    expect(document.querySelector('[role="feed"]')!.getAttribute('data-target')).toBe(target);
    expect(document.querySelector('.skip')!.getAttribute('href')).toBe(`#e-${target}`);
    expect(document.querySelector('link[rel="canonical"]')!.getAttribute('href')).toBe(`${server.url}${livePath(file.slug)}/${target}`);
    expect(document.querySelector('title')!.textContent).toMatch(/^The fourth · Permalinks /);
    expect(meta(document, 'meta[name="description"]')).toBe('Permalink test 4.');

    // Deep in the file (past the first 100): the entry and the ones after it, and a way to the top.
    const deep = await newFile('Deep');
    const deepFile = (await server.store.liveFiles.findById(deep.id))!;
    const at0 = new Date().toISOString();
    const deepIds = Array.from({ length: 110 }, (_, i) => `deepEntry${String(i).padStart(4, '0')}`);
    for (const [i, id] of deepIds.entries()) {
      await server.store.publishing.putReaderEntry({
        entryId: id, liveFileId: deepFile.id, seq: i + 1, revision: 1, html: `<p dir="auto">Deep ${i}.</p>`, text: `Deep ${i}.`, headline: '',
        bylines: [], publishedAt: at0, updatedAt: at0, pinned: false, keyEvent: false, position: `b${String(i).padStart(4, '0')}`, corrected: false, retracted: null,
      });
    }
    const far = await pageDoc(`${livePath(deep.slug)}/${deepIds[104]}`);
    expect(far.articles.map((a) => a.getAttribute('data-id'))).toEqual(deepIds.slice(104));
    expect(far.articles[0]!.classList.contains('is-target')).toBe(true);
    expect(far.document.querySelector('.back-top a')!.getAttribute('href')).toBe(livePath(deep.slug));
    expect(far.document.querySelector('[role="feed"]')!.getAttribute('data-top')).toBe('false');
    const near = await pageDoc(`${livePath(deep.slug)}/${deepIds[30]}`);
    expect(near.articles.map((a) => a.getAttribute('data-id'))).toEqual(deepIds.slice(0, 34));
    expect(near.document.querySelector('a.older')).not.toBeNull();

    const other = await newFile('Other');
    const foreign = await publish(other.id, 'Elsewhere.');
    expect((await get(`${livePath(file.slug)}/${foreign}`)).status).toBe(404);
    expect((await get(`${livePath(file.slug)}/NoSuchEntry123`)).status).toBe(404);
  });

  it('[RP6] a scheduled file says when coverage starts; an ended or archived one says it ended, stays cacheable longer and loads no live connection', async () => {
    const startsAt = new Date(Date.now() + 2 * 3_600_000).toISOString();
    const file = await newFile('Scheduled', { coverageStartsAt: startsAt });
    const scheduled = await pageDoc(livePath(file.slug));
    expect(scheduled.document.querySelector('[data-testid="lifecycle"]')!.textContent).toMatch(/^Coverage starts (at|on \d+ \w+ at) \d\d:\d\d, Almaty time\.$/);
    expect(scheduled.document.querySelector('[data-testid="lifecycle"] time')!.getAttribute('datetime')).toBe(startsAt);
    expect(scheduled.document.querySelector('.status-line')!.textContent).toBe('Coming up');
    expect(scheduled.document.querySelector('.empty')!.textContent).toMatch(/once coverage starts/);
    expect(scheduled.document.querySelector('[role="feed"]')!.getAttribute('data-status')).toBe('scheduled');
    expect(meta(scheduled.document, 'meta[name="description"]')).toMatch(/^Live coverage of Scheduled .* starts .*Almaty time\.$/);

    const path = `/api/live-files/${file.id}/lifecycle`;
    expect((await api(server, chief.cookie, 'PATCH', path, { status: 'live' })).status).toBe(200);
    await publish(file.id, 'Coverage under way.');
    const live = await pageDoc(livePath(file.slug));
    expect(live.document.querySelector('.status-line')!.textContent).toBe('Live');
    expect(live.document.querySelector('[data-testid="lifecycle"]')!.textContent).toMatch(/^Updated \d\d:\d\d, Almaty time$/);
    expect(live.document.querySelector('#connection')).not.toBeNull();
    const liveCache = String(live.res.headers['cache-control']);

    expect((await api(server, chief.cookie, 'PATCH', path, { status: 'ended' })).status).toBe(200);
    const ended = await pageDoc(livePath(file.slug));
    expect(ended.document.querySelector('.status-line')!.textContent).toBe('Ended');
    expect(ended.document.querySelector('[data-testid="lifecycle"]')!.textContent).toMatch(/^This live coverage has ended at \d\d:\d\d, Almaty time\. The updates stay here\.$/);
    expect(ended.document.querySelector('[role="feed"]')!.getAttribute('data-status')).toBe('ended');
    expect(ended.document.querySelector('#connection')).toBeNull();
    expect(ended.articles).toHaveLength(1);
    const maxAge = (cc: string) => Number(/max-age=(\d+)/.exec(cc)![1]);
    expect(maxAge(String(ended.res.headers['cache-control']))).toBeGreaterThan(maxAge(liveCache));

    expect((await api(server, chief.cookie, 'PATCH', path, { status: 'archived' })).status).toBe(200);
    const archived = await pageDoc(livePath(file.slug));
    expect(archived.document.querySelector('.status-line')!.textContent).toBe('Archived');
    expect(archived.document.querySelector('[data-testid="lifecycle"]')!.textContent).toMatch(/has ended .* archived/);
    expect(archived.articles).toHaveLength(1);
  });

  it('[RP7] a correction is marked Updated in its slot, a retraction keeps the slot with its time and reason; Russian, Kazakh and Arabic entries carry their lang and dir="auto"', async () => {
    const file = await newFile('Languages');
    const ru = await publish(file.id, 'Вода поднялась на улицах.');
    const kk = await publish(file.id, 'Медеу ауданында су көшелерге шықты.');
    const ar = await publish(file.id, 'ارتفع منسوب المياه في الشوارع.');
    const en = await publish(file.id, 'Water rose in the streets.');
    await correctEntry(server, editor, chief, en, ' Corrected: two streets.');
    await retractEntry(server, chief, ru, 'Не подтвердилось');
    const { articles } = await pageDoc(livePath(file.slug));
    expect(articles.map((a) => a.getAttribute('data-id'))).toEqual([en, ar, kk, ru]);
    const langOf = (a: El) => a.querySelector('.entry-content')?.getAttribute('lang');
    expect(articles.slice(0, 3).map(langOf)).toEqual(['en', 'ar', 'kk']);
    for (const a of articles.slice(0, 3)) {
      expect(a.querySelector('.entry-content')!.getAttribute('dir')).toBe('auto');
      expect([...a.querySelectorAll('.entry-body p')].every((p) => p.getAttribute('dir') === 'auto')).toBe(true);
    }
    expect(articles[0]!.querySelector('.entry-updated')!.textContent).toMatch(/^Updated \d\d:\d\d$/);
    expect(articles[0]!.classList.contains('is-corrected')).toBe(true);
    expect(articles[0]!.querySelector('.entry-body')!.textContent).toContain('Corrected: two streets.');
    const withdrawn = articles[3]!;
    expect(withdrawn.classList.contains('is-retracted')).toBe(true);
    expect(withdrawn.querySelector('.entry-body')).toBeNull();
    expect(withdrawn.querySelector('.entry-withdrawn')!.textContent).toMatch(/^Withdrawn at \d\d:\d\d\. Не подтвердилось$/);
    expect(withdrawn.querySelector('.entry-withdrawn [lang]')!.getAttribute('lang')).toBe('ru');
    expect(withdrawn.querySelector('a.entry-time')!.getAttribute('href')).toBe(`${livePath(file.slug)}/${ru}`);
    expect((await get(`${livePath(file.slug)}/${ru}`)).status).toBe(200);
  });
});
