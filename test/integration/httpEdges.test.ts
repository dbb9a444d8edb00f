// The HTTP edge under hostile or sloppy input: always a 4xx JSON body with an error id, never a
// 500, and nothing at error level in the log (a client's mistake is not an incident).
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { deflateSync, gzipSync } from 'node:zlib';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { api, signIn, startTestServer, type TestServer } from '../support/startTestServer.js';
import { AR, KK, MIXED, RU, sameBytes } from '../support/fixtures.js';

let server: TestServer;
let editor: string;
let fileId: string;
const logLines: { level: number; msg?: string; err?: unknown; stack?: unknown }[] = [];

beforeAll(async () => {
  const clientDir = await mkdtemp(join(tmpdir(), 'ld-client-'));
  await writeFile(join(clientDir, 'index.html'), '<!doctype html><title>Livedesk</title><ld-app></ld-app>');
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  });
  server = await startTestServer({ clientDir, logger: pino({ level: 'debug' }, sink) });
  editor = await signIn(server, 'editor');
  const created = await api(server, editor, 'POST', '/api/live-files', { title: 'Edges' });
  fileId = created.json.id as string;
});
afterAll(() => server.close());
beforeEach(() => {
  logLines.length = 0;
});

/** Nothing logged at error level or above, and no stack anywhere in the log. */
function expectQuietLog() {
  const loud = logLines.filter((l) => l.level >= 50);
  expect(loud, JSON.stringify(loud)).toEqual([]);
  expect(JSON.stringify(logLines)).not.toMatch(/"stack"|\n\s+at /);
}

async function send(path: string, init: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {}) {
  const res = await fetch(`${server.url}${path}`, {
    method: init.method ?? 'POST',
    headers: { cookie: editor, 'content-type': 'application/json', ...init.headers },
    body: init.body,
  });
  const text = await res.text();
  let json: { error?: { code?: string; message?: string } } & Record<string, unknown> = {};
  try {
    json = JSON.parse(text);
  } catch {
    /* asserted below */
  }
  return { status: res.status, text, json };
}

describe('malformed paths', () => {
  it('[BI8] malformed percent-encoding in a path → 400 invalid_input, never 500, a quiet log', async () => {
    const paths = ['/api/entries/%ZZ', '/%ZZ', '/api/live-files/%E0%A4%A', '/api/%ZZ', '/assets/%ZZ.js', '/files/%C0%AF', '/healthz/%FF'];
    for (const path of paths) {
      for (const cookie of [editor, null]) {
        const res = await api(server, cookie, 'GET', path);
        expect(res.status, path).toBe(400);
        expect(res.json.error?.code, path).toBe('invalid_input');
        expect(res.json.error?.message, path).toMatch(/path/);
      }
    }
    const patch = await api(server, editor, 'PATCH', '/api/entries/%ZZ', { headline: 'x' });
    expect(patch.status).toBe(400);
    expect(patch.json.error?.code).toBe('invalid_input');
    // Well-formed encodings still route: an encoded id is decoded, an encoded Cyrillic page served.
    expect((await api(server, editor, 'GET', `/api/live-files/${encodeURIComponent(fileId)}`)).status).toBe(200);
    expect((await fetch(`${server.url}/files/${encodeURIComponent(KK)}`)).status).toBe(200);
    expectQuietLog();
  });
});

describe('bodies that do not decode', () => {
  it('[BI9] a body whose Content-Encoding does not decode → 400 invalid_input; an unsupported one → 400; a quiet log', async () => {
    const json = Buffer.from(JSON.stringify({ title: 'Compressed' }));
    const cases: [string, Buffer | string][] = [
      ['gzip', 'plainly not gzip'],
      ['gzip', gzipSync(json).subarray(0, 12)], // cut short
      ['deflate', 'not deflate either'],
      ['br', Buffer.from([0xff, 0xff, 0xff, 0xff])],
      ['compress', 'x'],
      ['gzip, gzip', gzipSync(gzipSync(json))],
      ['x-made-up', json],
    ];
    for (const [encoding, body] of cases) {
      const res = await send('/api/live-files', { headers: { 'content-encoding': encoding }, body });
      expect(res.status, encoding).toBe(400);
      expect(res.json.error?.code, encoding).toBe('invalid_input');
      expect(res.json.error?.message, encoding).toMatch(/Content-Encoding/);
      expect(res.text, encoding).not.toMatch(/zlib|incorrect header|unexpected end/i);
    }
    expectQuietLog();
  });

  it('[BI9] a body that does decode is read as usual', async () => {
    const body = Buffer.from(JSON.stringify({ title: `${RU} (gzip)` }));
    for (const [encoding, bytes] of [['gzip', gzipSync(body)], ['deflate', deflateSync(body)], ['identity', body]] as const) {
      const res = await send('/api/live-files', { headers: { 'content-encoding': encoding }, body: bytes });
      expect(res.status, encoding).toBe(201);
      expect(sameBytes(res.json.title as string, `${RU} (gzip)`)).toBe(true);
    }
  });
});

describe('text fields', () => {
  it('[BI10] NUL and lone surrogates in text fields → 400 naming the field', async () => {
    const entry = await api(server, editor, 'POST', `/api/live-files/${fileId}/entries`, { idempotencyKey: randomUUID() });
    expect(entry.status).toBe(201);
    const entryPath = `/api/entries/${entry.json.id as string}`;
    const cases: [string, string, string, string][] = [
      // method, path, raw JSON body (escapes kept as sent), field named in the answer
      ['POST', '/api/live-files', '{"title":"Floods\\u0000"}', 'title'],
      ['POST', '/api/live-files', '{"title":"Floods \\ud83d"}', 'title'],
      ['POST', '/api/live-files', '{"title":"\\udc00 Floods"}', 'title'],
      ['POST', `/api/live-files/${fileId}/entries`, `{"idempotencyKey":"${randomUUID()}","text":"a\\u0000b"}`, 'text'],
      ['POST', `/api/live-files/${fileId}/entries`, `{"idempotencyKey":"${randomUUID()}","headline":"\\ude00"}`, 'headline'],
      ['PATCH', entryPath, '{"headline":"ok\\u0000"}', 'headline'],
      ['PATCH', entryPath, '{"bylines":["Айгерим","\\ud800"]}', 'bylines.1'],
      ['POST', '/api/session', '{"username":"editor\\u0000","password":"whatever-it-is"}', 'username'],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await send(path, { method, body });
      expect(res.status, body).toBe(400);
      expect(res.json.error?.code, body).toBe('invalid_input');
      expect(res.json.error?.message, body).toMatch(new RegExp(`^${field.replace('.', '\\.')}: .*(NUL|surrogate)`));
    }
    const after = await api(server, editor, 'GET', entryPath);
    expect(after.json.headline).toBeUndefined();
    expect(after.json.bylines).toEqual(entry.json.bylines);
    expectQuietLog();
  });

  it('[BI11] invalid UTF-8 bytes in a JSON body → 400, never stored as U+FFFD', async () => {
    const before = ((await api(server, editor, 'GET', '/api/live-files')).json.liveFiles as unknown[]).length;
    const wrap = (bytes: number[]) => Buffer.concat([Buffer.from('{"title":"Almaty '), Buffer.from(bytes), Buffer.from('"}')]);
    const bad = [
      [0xff], // never valid
      [0xd0], // a Cyrillic lead byte cut short
      [0xc0, 0xaf], // overlong '/'
      [0xed, 0xa0, 0x80], // a surrogate encoded as UTF-8 (CESU)
      [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
    ];
    for (const bytes of bad) {
      const res = await send('/api/live-files', { body: wrap(bytes) });
      expect(res.status, bytes.join(',')).toBe(400);
      expect(res.json.error?.code).toBe('invalid_input');
      expect(res.json.error?.message).toMatch(/UTF-8/);
    }
    for (const charset of ['latin1', 'utf-16le']) {
      const res = await send('/api/live-files', { headers: { 'content-type': `application/json; charset=${charset}` }, body: '{"title":"x"}' });
      expect(res.status, charset).toBe(400);
    }
    expect(((await api(server, editor, 'GET', '/api/live-files')).json.liveFiles as unknown[]).length).toBe(before);
    expectQuietLog();
  });

  it('[BI12] Cyrillic, Kazakh, Arabic and emoji (raw UTF-8 or \\u-escaped pairs) round-trip byte-exact', async () => {
    const title = `${KK} — ${AR} 🌊`;
    const created = await send('/api/live-files', { body: Buffer.from(JSON.stringify({ title }), 'utf8') });
    expect(created.status).toBe(201);
    expect(sameBytes(created.json.title as string, title)).toBe(true);

    // The same emoji as an escaped surrogate pair is one proper character, not a lone half.
    const escaped = await send('/api/live-files', { body: '{"title":"Wave \\ud83c\\udf0a"}' });
    expect(escaped.status).toBe(201);
    expect(sameBytes(escaped.json.title as string, 'Wave 🌊')).toBe(true);

    const headline = `${RU} 👩🏽‍💻`;
    const bylines = ['Айгерим Сәрсенова', 'ليلى حداد', 'Ерлан 🇰🇿'];
    const entry = await api(server, editor, 'POST', `/api/live-files/${fileId}/entries`, { idempotencyKey: randomUUID(), text: MIXED, headline });
    expect(entry.status).toBe(201);
    const patched = await api(server, editor, 'PATCH', `/api/entries/${entry.json.id as string}`, { bylines });
    expect(patched.status).toBe(200);
    const again = await api(server, editor, 'GET', `/api/entries/${entry.json.id as string}`);
    expect(sameBytes(again.json.headline as string, headline)).toBe(true);
    expect((again.json.bylines as string[]).every((b, i) => sameBytes(b, bylines[i]))).toBe(true);
    expect(sameBytes(again.json.preview as string, [RU, KK, `${AR} 👩🏽‍💻 e\u0301`].join('\n\n'))).toBe(true);
  });
});
