import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, signIn, startTestServer, type TestServer } from '../support/startTestServer.js';
import { AR, KK, MIXED, RU, sameBytes } from '../support/fixtures.js';

let server: TestServer;
let editor: string;
let correspondent: string;

beforeAll(async () => {
  const clientDir = await mkdtemp(join(tmpdir(), 'ld-client-'));
  await writeFile(join(clientDir, 'index.html'), '<!doctype html><title>Livedesk</title><ld-app></ld-app>');
  server = await startTestServer({ clientDir });
  editor = await signIn(server, 'editor');
  correspondent = await signIn(server, 'correspondent');
});
afterAll(() => server.close());

describe('health', () => {
  it('[HT1] /healthz and /readyz answer', async () => {
    expect((await api(server, null, 'GET', '/healthz')).status).toBe(200);
    const ready = await api(server, null, 'GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.json.store).toBe('embedded');
  });
});

describe('sessions', () => {
  it('[AU1] a wrong password is refused with a stable id', async () => {
    const res = await api(server, null, 'POST', '/api/session', { username: 'editor', password: 'not-it-at-all' });
    expect(res.status).toBe(401);
    expect(res.json.error?.code).toBe('unauthenticated');
  });
  it('[AU2] the session cookie identifies the account; sign-out ends it', async () => {
    const cookie = await signIn(server, 'chief');
    const me = await api(server, cookie, 'GET', '/api/session');
    expect(me.status).toBe(200);
    expect((me.json.account as { role: string }).role).toBe('chief');
    expect((await api(server, cookie, 'DELETE', '/api/session')).status).toBe(204);
    expect((await api(server, cookie, 'GET', '/api/session')).status).toBe(401);
  });
  it('[AU3] API routes need a session', async () => {
    const res = await api(server, null, 'GET', '/api/live-files');
    expect(res.status).toBe(401);
    expect(res.json.error?.code).toBe('unauthenticated');
  });
});

describe('bad input', () => {
  it('[BI1] malformed JSON → 400 invalid_input, no stack trace', async () => {
    const res = await api(server, editor, 'POST', '/api/live-files', '{"title": "x",');
    expect(res.status).toBe(400);
    expect(res.json.error?.code).toBe('invalid_input');
    expect(JSON.stringify(res.json)).not.toMatch(/at .*\.(ts|js):\d+/);
  });
  it('[BI2] unknown fields → 400 naming the field', async () => {
    const res = await api(server, editor, 'POST', '/api/live-files', { title: 'Ok', colour: 'red' });
    expect(res.status).toBe(400);
    expect(res.json.error?.code).toBe('invalid_input');
    expect(JSON.stringify(res.json.error)).toContain('colour');
  });
  it('[BI3] wrong types → 400 naming the field', async () => {
    const res = await api(server, editor, 'POST', '/api/live-files', { title: 42 });
    expect(res.status).toBe(400);
    expect(res.json.error?.message).toContain('title');
  });
  it('[BI4] an oversize body → 400 payload_too_large', async () => {
    const res = await api(server, editor, 'POST', '/api/live-files', { title: 'x'.repeat(400 * 1024) });
    expect(res.status).toBe(400);
    expect(res.json.error?.code).toBe('payload_too_large');
  });
  it('[BI5] an invalid time zone → 400', async () => {
    const res = await api(server, editor, 'POST', '/api/live-files', { title: 'Zones', timezone: 'Mars/Olympus' });
    expect(res.status).toBe(400);
  });
  it('[BI6] unknown API routes → 404 JSON; other paths → the client page', async () => {
    const res = await api(server, editor, 'GET', '/api/nope');
    expect(res.status).toBe(404);
    expect(res.json.error?.code).toBe('not_found');
    const page = await fetch(`${server.url}/files/anything`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<ld-app>');
  });
  it('[BI7] a malformed id → 400, an unknown one → 404', async () => {
    expect((await api(server, editor, 'GET', '/api/live-files/%20bad')).status).toBe(400);
    expect((await api(server, editor, 'GET', '/api/live-files/aaaaaaaaaaaaaaaa')).status).toBe(404);
  });
});

describe('live files and entries', () => {
  it('[LF1] the demo file lists a dozen entries with Russian and Kazakh text', async () => {
    const list = await api(server, editor, 'GET', '/api/live-files');
    const files = list.json.liveFiles as { id: string; entryCount: number }[];
    expect(files).toHaveLength(1);
    expect(files[0].entryCount).toBe(12);
    const one = await api(server, editor, 'GET', `/api/live-files/${files[0].id}`);
    const previews = (one.json.entries as { preview: string }[]).map((e) => e.preview).join('\n');
    expect(previews).toMatch(/[а-яА-Я]/);
    expect(previews).toMatch(/[әғқңөұүһі]/);
  });

  it('[LF2] only desk roles open live files', async () => {
    const res = await api(server, correspondent, 'POST', '/api/live-files', { title: 'Mine' });
    expect(res.status).toBe(403);
    expect(res.json.error?.code).toBe('forbidden');
  });

  it('[LF3] titles and entry text round-trip byte-exact (ru, kk, ar)', async () => {
    const title = `${KK} / ${AR}`;
    const created = await api(server, editor, 'POST', '/api/live-files', { title, timezone: 'Asia/Almaty' });
    expect(created.status).toBe(201);
    expect(sameBytes(created.json.title as string, title)).toBe(true);
    const id = created.json.id as string;
    const entry = await api(server, editor, 'POST', `/api/live-files/${id}/entries`, { idempotencyKey: randomUUID(), text: MIXED });
    expect(entry.status).toBe(201);
    const again = await api(server, editor, 'GET', `/api/entries/${entry.json.id as string}`);
    expect(sameBytes(again.json.preview as string, [RU, KK, `${AR} 👩🏽‍💻 e\u0301`].join('\n\n'))).toBe(true);
  });

  it('[EN1] a repeated idempotency key returns the first entry', async () => {
    const files = (await api(server, editor, 'GET', '/api/live-files')).json.liveFiles as { id: string }[];
    const key = randomUUID();
    const first = await api(server, editor, 'POST', `/api/live-files/${files[0].id}/entries`, { idempotencyKey: key, text: 'once' });
    const second = await api(server, editor, 'POST', `/api/live-files/${files[0].id}/entries`, { idempotencyKey: key, text: 'once' });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.json.id).toBe(first.json.id);
  });

  it('[EN2] a correspondent sees only their own entries', async () => {
    const files = (await api(server, correspondent, 'GET', '/api/live-files')).json.liveFiles as { id: string; slug: string }[];
    const demo = files.find((f) => f.slug === 'almaty-floods')!;
    const me = (await api(server, correspondent, 'GET', '/api/session')).json.account as { id: string };
    const one = await api(server, correspondent, 'GET', `/api/live-files/${demo.id}`);
    const authors = new Set((one.json.entries as { authorId: string }[]).map((e) => e.authorId));
    expect([...authors]).toEqual([me.id]);
  });
});
