// The admin accounts API (docs/spec.md AD): who may call it, what it creates, what it refuses.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionIdOf } from '../../server/features/accounts/sessionTokens.js';
import { api, startTestServer, type TestServer } from '../support/startTestServer.js';
import { newsroomPeople, type Person } from '../support/newsroomPeople.js';

let server: TestServer;
const people = newsroomPeople(() => server);
let admin: Person;

beforeAll(async () => {
  server = await startTestServer();
  admin = await people.demoPerson('admin');
});
afterAll(() => server.close());

const uniqueName = (prefix = 'user') => `${prefix}-${randomUUID().slice(0, 8)}`;
const tokenOf = (inviteUrl: string) => /#\/invite\/([A-Za-z0-9_-]+)$/.exec(inviteUrl)![1]!;

async function create(by: Person, body: Record<string, unknown>) {
  return api(server, by.cookie, 'POST', '/api/accounts', body);
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)])));
  return nested.flat();
}

describe('who may manage accounts', () => {
  it('[AD1] an admin lists the newsroom’s accounts with role, status and last activity, never a password hash', async () => {
    const res = await api(server, admin.cookie, 'GET', '/api/accounts');
    expect(res.status).toBe(200);
    const accounts = res.json.accounts as Array<Record<string, unknown>>;
    expect(accounts.map((a) => a.username)).toEqual(expect.arrayContaining(['admin', 'editor', 'chief', 'correspondent']));
    const me = accounts.find((a) => a.username === 'admin')!;
    expect(me).toMatchObject({ role: 'admin', active: true, invitePending: false });
    expect(typeof me.lastActiveAt).toBe('string');
    expect(JSON.stringify(res.json)).not.toMatch(/passwordHash|argon2/);
  });

  it('[AD4] every accounts route refuses a non-admin with 403 forbidden and changes nothing', async () => {
    const target = await people.newPerson('editor');
    for (const role of ['editor', 'chief', 'correspondent'] as const) {
      const who = await people.newPerson(role);
      const calls = [
        await api(server, who.cookie, 'GET', '/api/accounts'),
        await create(who, { username: uniqueName(), displayName: 'Nope', role: 'admin', mode: 'password' }),
        await api(server, who.cookie, 'PATCH', `/api/accounts/${target.account.id}`, { role: 'correspondent' }),
        await api(server, who.cookie, 'PATCH', `/api/accounts/${who.account.id}`, { role: 'admin' }),
        await api(server, who.cookie, 'POST', `/api/accounts/${target.account.id}/invite`),
      ];
      for (const res of calls) {
        expect(res.status, `${role}: ${JSON.stringify(res.json)}`).toBe(403);
        expect(res.json.error?.code).toBe('forbidden');
      }
    }
    expect((await server.store.accounts.findById(target.account.id))?.role).toBe('editor');
    const signedOut = await api(server, null, 'GET', '/api/accounts');
    expect(signedOut.status).toBe(401);
  });

  it('[AD4] a deactivated admin’s session no longer manages anything', async () => {
    const other = await people.newPerson('admin');
    const res = await api(server, admin.cookie, 'PATCH', `/api/accounts/${other.account.id}`, { active: false });
    expect(res.status).toBe(200);
    expect((await api(server, other.cookie, 'GET', '/api/accounts')).status).toBe(401);
  });
});

describe('creating accounts', () => {
  it('[AD2] a first password is answered once, signs in, and is stored only as an argon2 hash', async () => {
    const username = uniqueName('dana');
    const res = await create(admin, { username, displayName: 'Dana Sadykova', role: 'editor', mode: 'password' });
    expect(res.status).toBe(201);
    const password = res.json.initialPassword as string;
    expect(password).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    expect(res.json.inviteUrl).toBeUndefined();
    expect(res.json.account).toMatchObject({ username, displayName: 'Dana Sadykova', role: 'editor', active: true, invitePending: false });
    const cookie = await people.signInWith(username, password);
    expect(((await api(server, cookie, 'GET', '/api/session')).json.account as { username: string }).username).toBe(username);
    const stored = await server.store.accounts.findByUsername(username);
    expect(stored!.passwordHash).toMatch(/^\$argon2id\$/);
    // Not in the answer of a later read, nor anywhere in the store's files.
    expect(JSON.stringify((await api(server, admin.cookie, 'GET', '/api/accounts')).json)).not.toContain(password);
    for (const file of await filesUnder(server.dataDir)) expect((await readFile(file)).includes(password), file).toBe(false);
  });

  it('[AD3] an invite link names the person, sets her password once and signs her in; used again it is refused', async () => {
    const username = uniqueName('aigerim');
    const res = await create(admin, { username, displayName: 'Айгерим Сейткали', role: 'correspondent', mode: 'invite' });
    expect(res.status).toBe(201);
    expect(res.json.initialPassword).toBeUndefined();
    const url = res.json.inviteUrl as string;
    expect(url.startsWith(`${server.url}/#/invite/`)).toBe(true);
    const expiresIn = Date.parse(res.json.inviteExpiresAt as string) - Date.now();
    expect(expiresIn).toBeGreaterThan(71 * 3600_000);
    expect(expiresIn).toBeLessThanOrEqual(72 * 3600_000);
    expect(res.json.account).toMatchObject({ username, invitePending: true });
    const token = tokenOf(url);
    // The store keeps only the token's hash.
    expect(await server.store.invites.findById(token)).toBeNull();
    expect(await server.store.invites.findById(sessionIdOf(token))).toMatchObject({ accountId: (res.json.account as { id: string }).id });
    // Her account cannot be signed into before she sets a password.
    const before = await api(server, null, 'POST', '/api/session', { username, password: 'anything-at-all' });
    expect(before.status).toBe(401);

    const read = await api(server, null, 'GET', `/api/invites/${token}`);
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ username, displayName: 'Айгерим Сейткали' });
    const tooShort = await api(server, null, 'POST', `/api/invites/${token}`, { password: 'short' });
    expect(tooShort.status).toBe(400);
    const accepted = await fetch(`${server.url}/api/invites/${token}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: 'Медеу-2026-flood' }),
    });
    expect(accepted.status).toBe(200);
    const cookie = (accepted.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect(((await api(server, cookie, 'GET', '/api/session')).json.account as { username: string }).username).toBe(username);
    await people.signInWith(username, 'Медеу-2026-flood');
    expect((await server.store.accounts.findByUsername(username))?.invitePending).toBe(false);

    for (const again of [await api(server, null, 'GET', `/api/invites/${token}`), await api(server, null, 'POST', `/api/invites/${token}`, { password: 'another-password' })]) {
      expect(again.status).toBe(409);
      expect(again.json.error).toMatchObject({ code: 'conflict', details: { reason: 'used' } });
      expect(again.json.error?.message).toMatch(/already been used/);
    }
  });

  it('[AD3] an expired or unknown invite link gets 404 saying which; a malformed one 400', async () => {
    const person = await people.newPerson('editor');
    const token = randomUUID().replaceAll('-', '') + 'Expired';
    await server.store.invites.create({
      id: sessionIdOf(token), accountId: person.account.id, createdBy: admin.account.id,
      createdAt: new Date(Date.now() - 80 * 3600_000).toISOString(), expiresAt: new Date(Date.now() - 8 * 3600_000).toISOString(),
    });
    const expired = await api(server, null, 'POST', `/api/invites/${token}`, { password: 'a-new-password' });
    expect(expired.status).toBe(404);
    expect(expired.json.error).toMatchObject({ code: 'not_found', details: { reason: 'expired' } });
    expect(expired.json.error?.message).toMatch(/expired/);
    const unknown = await api(server, null, 'GET', `/api/invites/${'x'.repeat(43)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toMatchObject({ code: 'not_found', details: { reason: 'unknown' } });
    expect((await api(server, null, 'GET', '/api/invites/%24ne')).status).toBe(400);
  });

  it('[AD10] a new invite link for someone who has not used hers replaces the old one', async () => {
    const res = await create(admin, { username: uniqueName('arman'), displayName: 'Arman', role: 'editor', mode: 'invite' });
    const first = tokenOf(res.json.inviteUrl as string);
    const again = await api(server, admin.cookie, 'POST', `/api/accounts/${(res.json.account as { id: string }).id}/invite`);
    expect(again.status).toBe(201);
    const second = tokenOf(again.json.inviteUrl as string);
    expect(second).not.toBe(first);
    expect((await api(server, null, 'GET', `/api/invites/${first}`)).status).toBe(404);
    expect((await api(server, null, 'GET', `/api/invites/${second}`)).status).toBe(200);
    const done = await api(server, admin.cookie, 'POST', `/api/accounts/${admin.account.id}/invite`);
    expect(done.status).toBe(409);
  });

  it('[AD6] strict input: unknown and operator keys, operator objects, bad usernames and roles get 400; a taken username 409', async () => {
    const base = { username: uniqueName(), displayName: 'Omar', role: 'editor', mode: 'password' };
    const bad = [
      { ...base, $where: 'sleep(1000)' },
      { ...base, isAdmin: true },
      JSON.parse(`{"username":"${uniqueName()}","displayName":"Omar","role":"editor","mode":"password","__proto__":{"role":"admin"}}`),
      { ...base, username: { $gt: '' } },
      { ...base, role: { $ne: 'correspondent' } },
      { ...base, username: '$where' },
      { ...base, username: 'a.b$c' },
      { ...base, username: 'has space' },
      { ...base, role: 'owner' },
      { ...base, mode: 'magic' },
      { ...base, displayName: '   ' },
    ];
    for (const body of bad) {
      const res = await create(admin, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error?.code).toBe('invalid_input');
    }
    const patch = await api(server, admin.cookie, 'PATCH', `/api/accounts/${admin.account.id}`, { $set: { role: 'editor' } });
    expect(patch.status).toBe(400);
    expect((await api(server, admin.cookie, 'PATCH', `/api/accounts/${admin.account.id}`, {})).status).toBe(400);
    const taken = await create(admin, { ...base, username: 'EDITOR' });
    expect(taken.status).toBe(409);
    expect(taken.json.error?.message).toMatch(/taken/);
  });
});

describe('changing accounts', () => {
  it('[AD4] an admin changes a role, a display name, and deactivates and reactivates', async () => {
    const person = await people.newPerson('correspondent');
    const promoted = await api(server, admin.cookie, 'PATCH', `/api/accounts/${person.account.id}`, { role: 'chief', displayName: 'Dana S.' });
    expect(promoted.status).toBe(200);
    expect(promoted.json.account).toMatchObject({ role: 'chief', displayName: 'Dana S.', active: true });
    const off = await api(server, admin.cookie, 'PATCH', `/api/accounts/${person.account.id}`, { active: false });
    expect(off.json.account).toMatchObject({ active: false });
    expect((await api(server, person.cookie, 'GET', '/api/session')).status).toBe(401);
    const refused = await api(server, null, 'POST', '/api/session', { username: person.account.username, password: person.password });
    expect(refused.status).toBe(403);
    const on = await api(server, admin.cookie, 'PATCH', `/api/accounts/${person.account.id}`, { active: true });
    expect(on.json.account).toMatchObject({ active: true });
    await people.signInWith(person.account.username, person.password!);
    expect((await api(server, admin.cookie, 'PATCH', `/api/accounts/${'z'.repeat(16)}`, { active: false })).status).toBe(404);
  });

  it('[AD5] an admin cannot deactivate or demote herself, and two admins demoting each other at once leave one admin', async () => {
    for (const body of [{ active: false }, { role: 'editor' }, { role: 'correspondent', displayName: 'Me' }]) {
      const res = await api(server, admin.cookie, 'PATCH', `/api/accounts/${admin.account.id}`, body);
      expect(res.status, JSON.stringify(body)).toBe(409);
      expect(res.json.error?.code).toBe('conflict');
      expect(res.json.error?.message).toMatch(/your own/);
    }
    // Her own name she may change; staying admin is no demotion.
    expect((await api(server, admin.cookie, 'PATCH', `/api/accounts/${admin.account.id}`, { displayName: 'Admin', role: 'admin' })).status).toBe(200);

    // Two admins demote each other at once: one wins, the newsroom keeps an admin.
    const a = await people.newPerson('admin');
    const b = await people.newPerson('admin');
    const [ab, ba] = await Promise.all([
      api(server, a.cookie, 'PATCH', `/api/accounts/${b.account.id}`, { role: 'editor' }),
      api(server, b.cookie, 'PATCH', `/api/accounts/${a.account.id}`, { role: 'editor' }),
    ]);
    expect([ab.status, ba.status].sort()).toEqual([200, 403]);
    const admins = (await server.store.accounts.list(admin.account.newsroomId)).filter((x) => x.role === 'admin' && x.active);
    expect(admins.map((x) => x.id)).toEqual(expect.arrayContaining([admin.account.id]));
    expect(admins.filter((x) => x.id === a.account.id || x.id === b.account.id)).toHaveLength(1);
  });
});
