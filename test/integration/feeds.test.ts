import { DOMParser, type Document as XmlDocument, type Element as XmlElement } from '@xmldom/xmldom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEED_ITEMS_MAX } from '../../server/features/syndication/feedModel.js';
import { AR, KK, RU } from '../support/fixtures.js';
import { newsroomPeople, type Person } from '../support/newsroomPeople.js';
import { publishFlow } from '../support/publishFlow.js';
import { startTestServer, type TestServer } from '../support/startTestServer.js';
import { slugOf } from '../support/workflowApi.js';

let server: TestServer;
const people = newsroomPeople(() => server);
let editor: Person;
let chief: Person;
const flow = publishFlow(() => server, () => editor, () => chief);

beforeAll(async () => {
  server = await startTestServer();
  editor = await people.newPerson('editor');
  chief = await people.newPerson('chief');
});
afterAll(() => server.close());

const ATOM = 'http://www.w3.org/2005/Atom';

/** A strict parse: any well-formedness error or warning fails the test. */
function parseXml(text: string): XmlDocument {
  const problems: string[] = [];
  const doc = new DOMParser({ onError: (level, message) => void problems.push(`${level}: ${message}`) }).parseFromString(text, 'text/xml');
  expect(problems).toEqual([]);
  return doc;
}
const children = (el: XmlElement | XmlDocument, name: string, ns?: string): XmlElement[] =>
  Array.from((ns ? el.getElementsByTagNameNS(ns, name) : el.getElementsByTagName(name)) as ArrayLike<XmlElement>);
const child = (el: XmlElement, name: string, ns?: string): XmlElement | undefined => children(el, name, ns).find((c) => c.parentNode === el);
const textOf = (el: XmlElement, name: string, ns?: string) => child(el, name, ns)?.textContent ?? undefined;

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}${path}`, { headers });
  return { res, body: await res.text() };
}

async function newFile(title = 'Feeds'): Promise<{ id: string; slug: string }> {
  const id = await people.newLiveFile(editor, title);
  return { id, slug: await slugOf(server, id) };
}

interface JsonFeed {
  version: string; title: string; home_page_url: string; feed_url: string;
  items: Array<{ id: string; url: string; title: string; content_html: string; content_text: string; date_published: string; date_modified: string; tags?: string[] }>;
}

describe('feeds', () => {
  it('[FD1] RSS 2.0: well-formed, its media type, channel title/link/description, items newest published first with title, permalink, stable guid and pubDate', async () => {
    const { id, slug } = await newFile('Floods');
    const first = await flow.publish(id, 'Water is rising.', 'First');
    const second = await flow.publish(id, 'Roads are closed.', 'Second');
    const { res, body } = await get(`/live/${slug}/feed.rss`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    const doc = parseXml(body);
    const rss = doc.documentElement!;
    expect(rss.nodeName).toBe('rss');
    expect(rss.getAttribute('version')).toBe('2.0');
    const channel = child(rss, 'channel')!;
    expect(textOf(channel, 'title')).toMatch(/^Floods /);
    expect(textOf(channel, 'link')).toBe(`${server.url}/live/${slug}`);
    expect(textOf(channel, 'description')).toBeTruthy();
    const items = children(channel, 'item');
    expect(items.map((i) => textOf(i, 'title'))).toEqual(['Second', 'First']);
    expect(items.map((i) => textOf(i, 'link'))).toEqual([second, first].map((e) => `${server.url}/live/${slug}/${e}`));
    expect(items.map((i) => textOf(i, 'guid'))).toEqual([`urn:livedesk:entry:${second}`, `urn:livedesk:entry:${first}`]);
    expect(child(items[0]!, 'guid')!.getAttribute('isPermaLink')).toBe('false');
    for (const item of items) expect(new Date(textOf(item, 'pubDate')!).toUTCString()).toBe(textOf(item, 'pubDate'));
    expect(textOf(items[0]!, 'description')).toBe('<p dir="auto">Roads are closed.</p>');
    // Publishing again changes nothing of an item but adds one on top.
    const third = await flow.publish(id, 'Third.', 'Third');
    const again = parseXml((await get(`/live/${slug}/feed.rss`)).body);
    expect(children(again, 'item').map((i) => textOf(i, 'guid'))).toEqual([third, second, first].map((e) => `urn:livedesk:entry:${e}`));
  });

  it('[FD2] Atom: well-formed, its media type, feed id/title/updated/author and self link; entries with id, title, updated, published, link and html content', async () => {
    const { id, slug } = await newFile('Atom');
    const entry = await flow.publish(id, 'Bridge closed.', 'Bridge');
    const { res, body } = await get(`/live/${slug}/feed.atom`);
    expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const feed = parseXml(body).documentElement!;
    expect(feed.namespaceURI).toBe(ATOM);
    expect(feed.localName).toBe('feed');
    expect(textOf(feed, 'id', ATOM)).toBe(`${server.url}/live/${slug}`);
    expect(textOf(feed, 'title', ATOM)).toMatch(/^Atom /);
    expect(Number.isNaN(Date.parse(textOf(feed, 'updated', ATOM)!))).toBe(false);
    expect(children(feed, 'name', ATOM)[0]?.textContent).toBeTruthy();
    const self = children(feed, 'link', ATOM).find((l) => l.getAttribute('rel') === 'self');
    expect(self?.getAttribute('href')).toBe(`${server.url}/live/${slug}/feed.atom`);
    const [e] = children(feed, 'entry', ATOM);
    expect(textOf(e!, 'id', ATOM)).toBe(`urn:livedesk:entry:${entry}`);
    expect(textOf(e!, 'title', ATOM)).toBe('Bridge');
    expect(textOf(e!, 'updated', ATOM)).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(textOf(e!, 'published', ATOM)).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(child(e!, 'link', ATOM)!.getAttribute('href')).toBe(`${server.url}/live/${slug}/${entry}`);
    expect(child(e!, 'content', ATOM)!.getAttribute('type')).toBe('html');
    expect(textOf(e!, 'content', ATOM)).toBe('<p dir="auto">Bridge closed.</p>');
  });

  it('[FD3] JSON Feed 1.1: its media type, version, title, feed and home URLs; items with id, url, title, content_html, content_text, date_published and date_modified', async () => {
    const { id, slug } = await newFile('Json');
    const entry = await flow.publish(id, 'Evacuation ordered.');
    const { res, body } = await get(`/live/${slug}/feed.json`);
    expect(res.headers.get('content-type')).toBe('application/feed+json; charset=utf-8');
    const feed = JSON.parse(body) as JsonFeed;
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.title).toMatch(/^Json /);
    expect(feed.home_page_url).toBe(`${server.url}/live/${slug}`);
    expect(feed.feed_url).toBe(`${server.url}/live/${slug}/feed.json`);
    expect(feed.items).toHaveLength(1);
    expect(feed.items[0]).toMatchObject({
      id: `urn:livedesk:entry:${entry}`, url: `${server.url}/live/${slug}/${entry}`, title: 'Evacuation ordered.',
      content_html: '<p dir="auto">Evacuation ordered.</p>', content_text: 'Evacuation ordered.',
    });
    expect(feed.items[0]!.date_published).toBe(feed.items[0]!.date_modified);
    expect(Number.isNaN(Date.parse(feed.items[0]!.date_published))).toBe(false);
  });

  it('[FD4] a correction keeps its item (same id, same publish date) marked Updated with a later modified date and the new words; a retraction keeps it with the note, never the words', async () => {
    const { id, slug } = await newFile('Corrections');
    const a = await flow.publish(id, 'Ten people were hurt.', 'Crash');
    const b = await flow.publish(id, 'The mayor resigned.', 'Mayor');
    const before = JSON.parse((await get(`/live/${slug}/feed.json`)).body) as JsonFeed;
    await flow.correct(a, ' Correction: twelve.');
    await flow.retract(b, 'Not confirmed by two sources');
    const json = JSON.parse((await get(`/live/${slug}/feed.json`)).body) as JsonFeed;
    const ja = json.items.find((i) => i.id === `urn:livedesk:entry:${a}`)!;
    const jb = json.items.find((i) => i.id === `urn:livedesk:entry:${b}`)!;
    const was = before.items.find((i) => i.id === ja.id)!;
    expect(json.items.map((i) => i.id)).toEqual(before.items.map((i) => i.id));
    expect(ja).toMatchObject({ title: 'Updated: Crash', content_text: 'Ten people were hurt. Correction: twelve.', tags: ['Updated'], date_published: was.date_published });
    expect(ja.date_modified > was.date_modified).toBe(true);
    expect(jb).toMatchObject({ title: 'Retracted', content_text: 'This update was retracted: Not confirmed by two sources', tags: ['Retracted'] });
    expect(jb.content_html).toBe('<p><strong>This update was retracted: Not confirmed by two sources</strong></p>');

    const rss = parseXml((await get(`/live/${slug}/feed.rss`)).body);
    const [rb, ra] = children(rss, 'item');
    expect(textOf(ra!, 'title')).toBe('Updated: Crash');
    expect(children(ra!, 'category').map((c) => c.textContent)).toEqual(['Updated']);
    expect(textOf(ra!, 'guid')).toBe(`urn:livedesk:entry:${a}`);
    expect(textOf(rb!, 'title')).toBe('Retracted');
    expect(children(rb!, 'category').map((c) => c.textContent)).toEqual(['Retracted']);
    const atom = parseXml((await get(`/live/${slug}/feed.atom`)).body);
    const atomA = children(atom, 'entry', ATOM).find((e) => textOf(e, 'id', ATOM) === `urn:livedesk:entry:${a}`)!;
    expect(textOf(atomA, 'updated', ATOM)! > textOf(atomA, 'published', ATOM)!).toBe(true);
    expect(children(atomA, 'category', ATOM).map((c) => c.getAttribute('term'))).toEqual(['Updated']);
    for (const format of ['rss', 'atom', 'json']) expect((await get(`/live/${slug}/feed.${format}`)).body).not.toContain('mayor resigned');
  });

  it('[FD5] Cyrillic, Kazakh and Arabic arrive byte-exact in all three; markup characters are escaped and characters XML forbids are dropped', async () => {
    const { id, slug } = await newFile('Scripts');
    const tricky = 'Tom & Jerry <b>"x"</b> ]]> \u0001end';
    const ids = [await flow.publish(id, RU, RU.slice(0, 20)), await flow.publish(id, KK, KK.slice(0, 20)), await flow.publish(id, AR, AR.slice(0, 20)), await flow.publish(id, 'Body.', tricky)];
    const rss = parseXml((await get(`/live/${slug}/feed.rss`)).body);
    const atom = parseXml((await get(`/live/${slug}/feed.atom`)).body);
    const json = JSON.parse((await get(`/live/${slug}/feed.json`)).body) as JsonFeed;
    const byGuid = (i: XmlElement) => textOf(i, 'guid');
    for (const [n, text] of [RU, KK, AR].entries()) {
      const guid = `urn:livedesk:entry:${ids[n]}`;
      const r = children(rss, 'item').find((i) => byGuid(i) === guid)!;
      expect(textOf(r, 'title')).toBe(text.slice(0, 20));
      expect(textOf(r, 'description')).toBe(`<p dir="auto">${text.replaceAll('&', '&amp;').replaceAll('<', '&lt;')}</p>`);
      const a = children(atom, 'entry', ATOM).find((e) => textOf(e, 'id', ATOM) === guid)!;
      expect(textOf(a, 'title', ATOM)).toBe(text.slice(0, 20));
      const j = json.items.find((i) => i.id === guid)!;
      expect(j.content_text).toBe(text);
      expect(Buffer.from(j.title, 'utf8').equals(Buffer.from(text.slice(0, 20), 'utf8'))).toBe(true);
    }
    const t = children(rss, 'item').find((i) => byGuid(i) === `urn:livedesk:entry:${ids[3]}`)!;
    expect(textOf(t, 'title')).toBe('Tom & Jerry <b>"x"</b> ]]> end');
    expect(json.items.find((i) => i.id === `urn:livedesk:entry:${ids[3]}`)!.title).toBe(tricky.trim());
  });

  it('[FD6] ETag and Last-Modified with a short public Cache-Control and stale-while-revalidate; If-None-Match and If-Modified-Since get 304; any origin may read; no cookie; unknown slug 404', async () => {
    const { id, slug } = await newFile('Caching');
    await flow.publish(id, 'One.');
    for (const format of ['rss', 'atom', 'json']) {
      const { res, body } = await get(`/live/${slug}/feed.${format}`, { cookie: editor.cookie });
      expect(res.status).toBe(200);
      const etag = res.headers.get('etag')!;
      const lastModified = res.headers.get('last-modified')!;
      expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
      expect(new Date(lastModified).toUTCString()).toBe(lastModified);
      expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d{1,3}, stale-while-revalidate=\d+$/);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('set-cookie')).toBeNull();
      expect(body.length).toBeGreaterThan(0);
      const byTag = await get(`/live/${slug}/feed.${format}`, { 'if-none-match': etag });
      expect(byTag.res.status).toBe(304);
      expect(byTag.body).toBe('');
      expect(byTag.res.headers.get('etag')).toBe(etag);
      expect((await get(`/live/${slug}/feed.${format}`, { 'if-modified-since': lastModified })).res.status).toBe(304);
      expect((await get(`/live/${slug}/feed.${format}`, { 'if-none-match': '"other"' })).res.status).toBe(200);
    }
    const { res: before } = await get(`/live/${slug}/feed.rss`);
    await new Promise((r) => setTimeout(r, 1100)); // Last-Modified has whole seconds
    await flow.publish(id, 'Two.');
    const after = await get(`/live/${slug}/feed.rss`, { 'if-none-match': before.headers.get('etag')!, 'if-modified-since': before.headers.get('last-modified')! });
    expect(after.res.status).toBe(200);
    expect(after.res.headers.get('etag')).not.toBe(before.headers.get('etag'));
    expect((await get('/live/no-such-file/feed.rss')).res.status).toBe(404);
  });

  it(`[FD1] at most ${FEED_ITEMS_MAX} items, the newest by publish time whatever their desk order`, async () => {
    const { id, slug } = await newFile('Many');
    const file = (await server.store.liveFiles.findById(id))!;
    const base = Date.parse('2026-03-01T10:00:00.000Z');
    for (let n = 0; n < FEED_ITEMS_MAX + 5; n++) {
      const at = new Date(base + n * 60_000).toISOString();
      await server.store.publishing.putReaderEntry({
        entryId: `entry-many-${String(n).padStart(3, '0')}`, liveFileId: file.id, seq: n + 1, revision: 1, html: `<p>${n}</p>`, text: String(n), headline: `No. ${n}`,
        bylines: [], publishedAt: at, updatedAt: at, pinned: n === 3, keyEvent: false, position: `a${String(99 - n).padStart(2, '0')}`, corrected: false, retracted: null,
      });
    }
    const json = JSON.parse((await get(`/live/${slug}/feed.json`)).body) as JsonFeed;
    expect(json.items).toHaveLength(FEED_ITEMS_MAX);
    expect(json.items.map((i) => i.title)).toEqual(Array.from({ length: FEED_ITEMS_MAX }, (_, k) => `No. ${FEED_ITEMS_MAX + 4 - k}`));
  });
});
