// People, live files and entries made over the real API, for integration tests that need accounts
// of their own (never the seed's counts): each test creates what it reads.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Role } from '../../shared/roles.js';
import type { AccountRecord } from '../../server/store/Store.js';
import { api, signIn, type TestServer } from './startTestServer.js';

export interface Person {
  account: AccountRecord;
  cookie: string;
  /** Set for accounts made by the test (to sign in again, e.g. on a second device). */
  password?: string;
}

/** Bound to the suite's server (a getter: it is started in beforeAll). */
export function newsroomPeople(server: () => TestServer) {
  async function signInWith(username: string, password: string): Promise<string> {
    const res = await fetch(`${server().url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    expect(res.status).toBe(200);
    return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  }

  /** A demo account, signed in afresh. */
  async function demoPerson(username: string): Promise<Person> {
    const account = await server().store.accounts.findByUsername(username);
    return { account: account!, cookie: await signIn(server(), username) };
  }

  /** A fresh account of the demo newsroom, signed in. */
  async function newPerson(role: Role): Promise<Person> {
    const demo = await server().store.accounts.findByUsername('editor');
    const username = `${role}-${randomUUID().slice(0, 8)}`;
    const password = randomUUID();
    const account = await server().server.services.accounts.createAccount({
      newsroomId: demo!.newsroomId, username, displayName: `Test ${username}`, role, password,
    });
    return { account, password, cookie: await signInWith(username, password) };
  }

  async function newLiveFile(by: Person, titlePrefix = 'Test'): Promise<string> {
    const res = await api(server(), by.cookie, 'POST', '/api/live-files', { title: `${titlePrefix} ${randomUUID().slice(0, 8)}` });
    expect(res.status).toBe(201);
    return res.json.id as string;
  }

  async function createEntry(by: Person, liveFileId: string): Promise<{ id: string; updatedAt: string }> {
    const res = await api(server(), by.cookie, 'POST', `/api/live-files/${liveFileId}/entries`, {
      idempotencyKey: randomUUID(),
      text: `By ${by.account.username}`,
    });
    expect(res.status).toBe(201);
    return res.json as { id: string; updatedAt: string };
  }

  return { signInWith, demoPerson, newPerson, newLiveFile, createEntry };
}
