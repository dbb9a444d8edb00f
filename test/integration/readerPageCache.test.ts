// The reader page's cache of rendered pages (server/http/readerPage/readerPageCache.ts) against
// the real server: what is kept, what a change does to it, and what never mixes.
import { request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { setPinned } from '../../shared/collab/deskDoc.js';
import { newsroomPeople, type Person } from '../support/newsroomPeople.js';
import { api, startTestServer, type TestServer } from '../support/startTestServer.js';
import { newEntry, slugOf, transition } from '../support/workflowApi.js';
import { correctEntry, onDesk, publishEntry, retractEntry } from '../support/readerPageFlow.js';

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
afterEach(() => vi.restoreAllMocks());

const publish = (fileId: string, text: string) => publishEntry(server, editor, chief, fileId, text);
const livePath = (slug: string) => `/live/${encodeURIComponent(slug)}`;

interface Got { status: number; headers: Record<string, string | string[] | undefined>; raw: Buffer; html: string }
/** A plain HTTP GET, the body decoded as its Content-Encoding says. */
function get(path: string, headers: Record<string, string> = {}): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { headers: { 'accept-encoding': 'identity', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const enc = res.headers['content-encoding'];
        try {
          const html = (enc === 'br' ? brotliDecompressSync(raw) : enc === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
          resolve({ status: res.statusCode!, headers: res.headers, raw, html });
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

async function newFile(prefix: string): Promise<{ id: string; slug: string }> {
  const res = await api(server, editor.cookie, 'POST', '/api/live-files', { title: `${prefix} ${randomUUID().slice(0, 6)}`, timezone: 'Asia/Almaty' });
  expect(res.status).toBe(201);
  const id = res.json.id as string;
  return { id, slug: await slugOf(server, id) };
}

/** Counts the store reads behind a render (the entries), not the version stamp read by every request. */
function countReads() {
  const live = server.server.services.publicLive;
  return { page: vi.spyOn(live, 'page'), around: vi.spyOn(live, 'around'), version: vi.spyOn(live, 'version') };
}

describe('reader page cache', () => {
  it('[RP18] a second identical request is answered from the kept page: the same bytes and ETag, no entries read, no render; a matching If-None-Match or If-Modified-Since gets 304 likewise', async () => {
    const file = await newFile('Kept');
    await publish(file.id, 'Kept once.');
    const path = livePath(file.slug);
    const reads = countReads();
    const first = await get(path, { 'accept-encoding': 'br' });
    expect(first.status).toBe(200);
    expect(first.headers['content-encoding']).toBe('br');
    expect(reads.page).toHaveBeenCalledTimes(1);
    const second = await get(path, { 'accept-encoding': 'br' });
    expect(second.status).toBe(200);
    expect(reads.page).toHaveBeenCalledTimes(1);
    expect(reads.version).toHaveBeenCalledTimes(2);
    expect(second.raw.equals(first.raw)).toBe(true);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(second.headers['last-modified']).toBe(first.headers['last-modified']);
    expect(second.headers['cache-control']).toBe(first.headers['cache-control']);
    expect(second.headers['content-security-policy']).toBe(first.headers['content-security-policy']);

    const notModified = await get(path, { 'accept-encoding': 'br', 'if-none-match': String(first.headers.etag) });
    expect(notModified.status).toBe(304);
    expect(notModified.raw.length).toBe(0);
    expect(notModified.headers.etag).toBe(first.headers.etag);
    expect((await get(path, { 'accept-encoding': 'br', 'if-modified-since': String(first.headers['last-modified']) })).status).toBe(304);
    expect(reads.page).toHaveBeenCalledTimes(1);

    // A permalink and an older page are kept the same way.
    const ids: string[] = [];
    for (let i = 0; i < 21; i++) ids.push(await publish(file.id, `Filler ${i}.`));
    const older = /href="([^"]*\?before=[^"]+)"/.exec((await get(path)).html)![1]!.replaceAll('&amp;', '&');
    const permalink = `${path}/${ids[3]}`;
    reads.page.mockClear();
    reads.around.mockClear();
    for (let i = 0; i < 3; i++) {
      expect((await get(older)).status).toBe(200);
      expect((await get(permalink)).status).toBe(200);
    }
    expect(reads.around).toHaveBeenCalledTimes(1);
    // An older page reads its entries and the top's key events: two reads, once.
    expect(reads.page).toHaveBeenCalledTimes(1 + 2);
  });

  it('[RP18] a publish, correction, retraction, pin or lifecycle move shows on the very next request with a new ETag, on the top page and on a permalink', async () => {
    const file = await newFile('Fresh');
    const a = await publish(file.id, 'Alpha first wording.');
    const path = livePath(file.slug);
    const permalink = `${path}/${a}`;
    let etag = '';
    let permalinkEtag = '';
    /** Both pages kept (asked twice), then `change`, then both must be new. */
    const after = async (change: () => Promise<void>, expectPage: (html: string) => void, expectPermalink: (html: string) => void) => {
      for (let i = 0; i < 2; i++) {
        etag = String((await get(path)).headers.etag);
        permalinkEtag = String((await get(permalink)).headers.etag);
      }
      await change();
      const top = await get(path, { 'if-none-match': etag });
      expect(top.status).toBe(200);
      expect(top.headers.etag).not.toBe(etag);
      expectPage(top.html);
      const one = await get(permalink, { 'if-none-match': permalinkEtag });
      expect(one.status).toBe(200);
      expect(one.headers.etag).not.toBe(permalinkEtag);
      expectPermalink(one.html);
    };

    let b = '';
    await after(async () => { b = await publish(file.id, 'Bravo just published.'); }, (html) => expect(html).toContain('Bravo just published.'), (html) => expect(html).toContain('Bravo just published.'));
    await after(() => correctEntry(server, editor, chief, a, ' Now corrected.'), (html) => expect(html).toMatch(new RegExp(`<article class="entry is-corrected" id="e-${a}"[\\s\\S]*Now corrected\\.`)), (html) => expect(html).toContain('Now corrected.'));
    await after(() => retractEntry(server, chief, b, 'Not confirmed'), (html) => {
      expect(html).not.toContain('Bravo just published.');
      expect(html).toContain('Not confirmed');
    }, (html) => expect(html).not.toContain('Bravo just published.'));
    await after(() => onDesk(server, editor, file.id, 1, (doc) => setPinned(doc, a, true)), (html) => expect(html).toMatch(new RegExp(`<article class="entry is-pinned[^"]*" id="e-${a}"`)), (html) => expect(html).toMatch(/is-pinned/));
    await after(async () => {
      expect((await api(server, chief.cookie, 'PATCH', `/api/live-files/${file.id}/lifecycle`, { status: 'ended' })).status).toBe(200);
    }, (html) => expect(html).toContain('data-status="ended"'), (html) => expect(html).toContain('This live coverage has ended'));
    expect(String((await get(path)).headers['cache-control'])).toMatch(/max-age=60/);
  });

  it('[RP18] encodings and origins never mix: br, gzip and plain each get their own bytes and ETag of the same page; each Host its own absolute links', async () => {
    const file = await newFile('Mixed');
    await publish(file.id, 'One page, three encodings.');
    const path = livePath(file.slug);
    const seen = new Map<string, Got>();
    for (let round = 0; round < 2; round++) {
      for (const encoding of ['br', 'gzip', 'identity']) {
        const res = await get(path, { 'accept-encoding': encoding });
        expect(res.status).toBe(200);
        expect(res.headers['content-encoding']).toBe(encoding === 'identity' ? undefined : encoding);
        expect(res.headers.vary).toMatch(/Accept-Encoding/);
        const earlier = seen.get(encoding);
        if (earlier) {
          expect(res.headers.etag).toBe(earlier.headers.etag);
          expect(res.raw.equals(earlier.raw)).toBe(true);
        }
        seen.set(encoding, res);
      }
    }
    const [br, gzip, plain] = ['br', 'gzip', 'identity'].map((e) => seen.get(e)!);
    expect(new Set([br.headers.etag, gzip.headers.etag, plain.headers.etag]).size).toBe(3);
    expect(br.html).toBe(plain.html);
    expect(gzip.html).toBe(plain.html);
    // A br ETag is no validator of the gzip copy.
    expect((await get(path, { 'accept-encoding': 'gzip', 'if-none-match': String(br.headers.etag) })).status).toBe(200);

    const port = new URL(server.url).port;
    const canonicalOf = (html: string) => /<link rel="canonical" href="([^"]+)">/.exec(html)![1];
    for (let round = 0; round < 2; round++) {
      for (const host of ['news-a.example', 'news-b.example']) {
        const res = await get(path, { host: `${host}:${port}` });
        expect(res.status).toBe(200);
        expect(canonicalOf(res.html)).toBe(`http://${host}:${port}${path}`);
        expect(res.html).not.toContain(host === 'news-a.example' ? 'news-b.example' : 'news-a.example');
        expect(String(res.headers['content-security-policy'])).toContain(`ws://${host}:${port}`);
      }
    }
  });

  it('[RP19] concurrent requests for a page not kept share one render: 40 at once read the entries once, and all get the same page', async () => {
    const file = await newFile('Cold');
    for (let i = 0; i < 3; i++) await publish(file.id, `Cold start ${i}.`);
    const reads = countReads();
    const all = await Promise.all(Array.from({ length: 40 }, () => get(livePath(file.slug), { 'accept-encoding': 'gzip' })));
    expect(all.map((r) => r.status)).toEqual(all.map(() => 200));
    expect(new Set(all.map((r) => r.headers.etag)).size).toBe(1);
    expect(all.every((r) => r.raw.equals(all[0]!.raw))).toBe(true);
    expect(reads.version).toHaveBeenCalledTimes(40);
    expect(reads.page).toHaveBeenCalledTimes(1);
  });

  it('[RP18] an unknown slug is 404 and a forged cursor 400, and neither is kept', async () => {
    const file = await newFile('Errors');
    await publish(file.id, 'Here.');
    for (let i = 0; i < 2; i++) {
      expect((await get('/live/no-such-coverage-here')).status).toBe(404);
      expect((await get(`${livePath(file.slug)}?before=forged`)).status).toBe(400);
      expect((await get('/live/no-such-coverage-here?before=forged')).status).toBe(404);
      expect((await get(`${livePath(file.slug)}/NoSuchEntry123`)).status).toBe(404);
    }
    // A permalink's 404 is not kept: once the entry is published, it is there.
    const draft = await newEntry(server, editor, file.id, 'Soon published.');
    expect((await get(`${livePath(file.slug)}/${draft.id}`)).status).toBe(404);
    expect((await transition(server, editor, draft.id, 'submit', { version: draft.version })).status).toBe(200);
    expect((await transition(server, chief, draft.id, 'publish', { version: draft.version + 1 })).status).toBe(200);
    expect((await get(`${livePath(file.slug)}/${draft.id}`)).html).toContain('Soon published.');
  });
});
