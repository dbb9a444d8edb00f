// Sign-in rate limits per account and per address (docs/spec.md AU4-AU7), over the real server.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { api, startTestServer, type TestServer } from '../support/startTestServer.js';
import { newsroomPeople } from '../support/newsroomPeople.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(env: Record<string, string>): Promise<TestServer> {
  server = await startTestServer({ env: { LOGIN_WINDOW_MINUTES: '15', ...env } });
  return server;
}

async function attempt(s: TestServer, username: string, password: string) {
  const res = await fetch(`${s.url}/api/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as { error?: { code: string; message: string } } };
}

describe('sign-in rate limits', () => {
  it('[AU4] past the per-account limit the next attempt gets 429 with Retry-After, even with the right password; the count survives a restart', async () => {
    const s = await start({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_FAILURES_PER_ADDRESS: '0' });
    const person = await newsroomPeople(() => s).newPerson('editor');
    const username = person.account.username;
    for (let i = 0; i < 3; i++) expect((await attempt(s, username, 'wrong-password')).status).toBe(401);
    const limited = await attempt(s, username, person.password!);
    expect(limited.status).toBe(429);
    expect(limited.body.error?.code).toBe('rate_limited');
    expect(limited.body.error?.message).toBe('Too many sign-in attempts. Try again in 15 minutes.');
    const retryAfter = Number(limited.retryAfter);
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // Another account is not held back by this one; the username's case does not matter.
    expect((await attempt(s, 'editor', s.logins.find((l) => l.username === 'editor')!.password)).status).toBe(200);
    expect((await attempt(s, username.toUpperCase(), person.password!)).status).toBe(429);

    await s.restart();
    expect((await attempt(s, username, person.password!)).status).toBe(429);
  });

  it('[AU5] a successful sign-in resets the account’s count', async () => {
    const s = await start({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_FAILURES_PER_ADDRESS: '0' });
    const person = await newsroomPeople(() => s).newPerson('chief');
    const username = person.account.username;
    for (let i = 0; i < 2; i++) expect((await attempt(s, username, 'wrong-password')).status).toBe(401);
    expect((await attempt(s, username, person.password!)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await attempt(s, username, 'wrong-password')).status).toBe(401);
    expect((await attempt(s, username, 'wrong-password')).status).toBe(429);
  });

  it('[AU6] past the per-address limit every username from that address gets 429, unknown ones too', async () => {
    const s = await start({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '0', LOGIN_MAX_FAILURES_PER_ADDRESS: '4' });
    for (let i = 0; i < 4; i++) expect((await attempt(s, `nobody-${randomUUID().slice(0, 6)}`, 'guess')).status).toBe(401);
    const limited = await attempt(s, 'editor', s.logins.find((l) => l.username === 'editor')!.password);
    expect(limited.status).toBe(429);
    expect(Number(limited.retryAfter)).toBeGreaterThan(0);
    expect((await attempt(s, `nobody-${randomUUID().slice(0, 6)}`, 'guess')).status).toBe(429);
  });

  it('[AU7] parallel guesses are each counted: of 12 at once against a limit of 5, at most 5 are checked', async () => {
    const s = await start({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '5', LOGIN_MAX_FAILURES_PER_ADDRESS: '0' });
    const person = await newsroomPeople(() => s).newPerson('editor');
    const results = await Promise.all(Array.from({ length: 12 }, () => attempt(s, person.account.username, 'wrong-password')));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((st) => st === 401)).toHaveLength(5);
    expect(statuses.filter((st) => st === 429)).toHaveLength(7);
    // Not a store failure: nothing answered 500.
    expect((await api(s, null, 'POST', '/api/session', { username: person.account.username, password: person.password })).status).toBe(429);
  });
});
