// The Origin check on state-changing requests and the security headers (docs/spec.md SEC).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startTestServer, type TestServer } from '../support/startTestServer.js';
import { newsroomPeople } from '../support/newsroomPeople.js';

let server: TestServer;
const people = newsroomPeople(() => server);
const ALLOWED = 'https://desk.example.org';

beforeAll(async () => {
  server = await startTestServer({ env: { ALLOWED_ORIGINS: ALLOWED } });
});
afterAll(() => server.close());

async function send(method: string, path: string, opts: { origin?: string; cookie?: string; body?: unknown } = {}) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(opts.origin ? { origin: opts.origin } : {}),
      ...(opts.cookie ? { cookie: opts.cookie } : {}),
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? (JSON.parse(text) as { error?: { code: string } }) : null };
}

describe('Origin on state-changing requests', () => {
  it('[SEC1] POST, PATCH, PUT and DELETE from a foreign origin get 403 forbidden and change nothing', async () => {
    const editor = await people.demoPerson('editor');
    const admin = await people.demoPerson('admin');
    const before = (await server.store.liveFiles.list(editor.account.newsroomId)).length;
    const login = server.logins.find((l) => l.username === 'editor')!;
    const foreign = ['https://evil.example', 'null', `http://127.0.0.1:1`, 'https://desk.example.org.evil.example'];
    for (const origin of foreign) {
      const calls = [
        await send('POST', '/api/session', { origin, body: { username: 'editor', password: login.password } }),
        await send('POST', '/api/live-files', { origin, cookie: editor.cookie, body: { title: 'From elsewhere' } }),
        await send('PATCH', `/api/accounts/${editor.account.id}`, { origin, cookie: admin.cookie, body: { role: 'correspondent' } }),
        await send('PUT', '/api/live-files', { origin, cookie: editor.cookie, body: {} }),
        await send('DELETE', '/api/session', { origin, cookie: editor.cookie }),
        await send('DELETE', '/api/sessions', { origin, cookie: editor.cookie }),
      ];
      for (const res of calls) {
        expect(res.status, origin).toBe(403);
        expect(res.json?.error?.code).toBe('forbidden');
      }
    }
    expect((await server.store.liveFiles.list(editor.account.newsroomId)).length).toBe(before);
    expect((await server.store.accounts.findById(editor.account.id))?.role).toBe('editor');
    expect((await send('GET', '/api/session', { cookie: editor.cookie })).status).toBe(200);
  });

  it('[SEC1] the server’s own host, an allowed origin, and no Origin at all (an API client) pass; safe methods are not checked', async () => {
    const editor = await people.demoPerson('editor');
    for (const origin of [server.url, ALLOWED, undefined]) {
      const res = await send('POST', '/api/live-files', { origin, cookie: editor.cookie, body: { title: `Allowed ${origin ?? 'none'}` } });
      expect(res.status, String(origin)).toBe(201);
    }
    expect((await send('GET', '/api/live-files', { origin: 'https://evil.example', cookie: editor.cookie })).status).toBe(200);
    const cookie = await signIn(server, 'chief');
    expect((await send('DELETE', '/api/session', { origin: server.url, cookie })).status).toBe(204);
  });
});

describe('security headers', () => {
  it('[SEC2] the desk page and the API carry a CSP with scripts from this origin only, same-origin websockets and no framing', async () => {
    for (const path of ['/', '/api/session', '/healthz']) {
      const res = await fetch(`${server.url}${path}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
      expect(directives.get('script-src'), path).toEqual(["'self'"]);
      expect(directives.get('default-src')).toEqual(["'self'"]);
      expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
      expect(directives.get('object-src')).toEqual(["'none'"]);
      const host = new URL(server.url).host;
      expect(directives.get('connect-src')).toEqual(expect.arrayContaining(["'self'", `ws://${host}`, `wss://${host}`]));
      expect(directives.get('img-src')).toEqual(expect.arrayContaining(["'self'", 'data:', 'blob:', 'https:']));
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      // Plain HTTP here (COOKIE_SECURE unset): no HSTS, no upgrade-insecure-requests.
      expect(res.headers.get('strict-transport-security')).toBeNull();
      expect(csp).not.toContain('upgrade-insecure-requests');
    }
  });

  it('[SEC2] behind HTTPS (COOKIE_SECURE=true) HSTS and upgrade-insecure-requests are on', async () => {
    const secure = await startTestServer({ env: { COOKIE_SECURE: 'true' }, seed: false });
    try {
      const res = await fetch(`${secure.url}/healthz`);
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=31536000/);
      expect(res.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
    } finally {
      await secure.close();
    }
  });

  it('[SEC3] the built desk page has no inline script and no inline event handler', async () => {
    const html = await readFile(fileURLToPath(new URL('../../dist/index.html', import.meta.url)), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs, 'every script has a src').toMatch(/\bsrc=/);
      expect(body!.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/javascript:/i);
  });
});
