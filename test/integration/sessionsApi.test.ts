// Sessions: rotation at sign-in, the owner's list, ending one or all (docs/spec.md AU8-AU10).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CollabClose } from '../../shared/collab/closeCodes.js';
import { fileDocName } from '../../shared/collab/docName.js';
import type { SessionView } from '../../shared/schemas/account.js';
import { api, startTestServer, type TestServer } from '../support/startTestServer.js';
import { newsroomPeople, type Person } from '../support/newsroomPeople.js';
import { connectIo, nextDisconnect, recordEvents, waitForConnect, type TestSocket } from '../support/ioClient.js';
import { openCollabDoc, waitFor } from '../support/collabClients.js';

let server: TestServer;
const people = newsroomPeople(() => server);
const sockets: TestSocket[] = [];

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await server.close();
});

async function signInAs(person: Person, opts: { cookie?: string; userAgent?: string } = {}): Promise<string> {
  const res = await fetch(`${server.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(opts.cookie ? { cookie: opts.cookie } : {}), ...(opts.userAgent ? { 'user-agent': opts.userAgent } : {}) },
    body: JSON.stringify({ username: person.account.username, password: person.password }),
  });
  expect(res.status).toBe(200);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

async function listSessions(cookie: string): Promise<SessionView[]> {
  const res = await api(server, cookie, 'GET', '/api/sessions');
  expect(res.status).toBe(200);
  return res.json.sessions as SessionView[];
}

async function connected(cookie: string) {
  const socket = connectIo(server.url, cookie);
  sockets.push(socket);
  const log = recordEvents(socket);
  await waitForConnect(socket);
  return { socket, log };
}

describe('sessions', () => {
  it('[AU8] a sign-in that carries a session cookie ends that session: its cookie gets 401, its sockets are told and closed', async () => {
    const person = await people.newPerson('editor');
    const old = person.cookie;
    const { socket, log } = await connected(old);
    const gone = nextDisconnect(socket);
    const fresh = await signInAs(person, { cookie: old });
    expect(fresh).not.toBe(old);
    expect((await log.waitFor('session:revoked', undefined, 1000)).reason).toBe('replaced');
    await gone;
    expect((await api(server, old, 'GET', '/api/session')).status).toBe(401);
    expect((await api(server, fresh, 'GET', '/api/session')).status).toBe(200);
    expect(await listSessions(fresh)).toHaveLength(1);
  });

  it('[AU9] the owner lists her own sessions: created, last seen, user agent, and which one is this', async () => {
    const person = await people.newPerson('chief');
    const phone = await signInAs(person, { userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1' });
    const listed = await listSessions(phone);
    expect(listed).toHaveLength(2);
    const current = listed.filter((s) => s.current);
    expect(current).toHaveLength(1);
    expect(current[0]!.userAgent).toContain('iPhone');
    for (const s of listed) {
      expect(Date.parse(s.createdAt)).toBeGreaterThan(Date.now() - 60_000);
      expect(typeof s.lastSeenAt).toBe('string');
      expect(s.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    }
    // The store's key (the cookie token's hash) never leaves the server.
    const stored = await server.store.sessions.listByAccount(person.account.id);
    expect(JSON.stringify(listed)).not.toContain(stored[0]!.id);
    // Someone else sees only her own.
    const other = await people.newPerson('editor');
    expect((await listSessions(other.cookie)).map((s) => s.id)).not.toEqual(expect.arrayContaining([listed[0]!.id]));
  });

  it('[AU9] ending one session closes its sockets and collab connections; another person’s session id gets 404', async () => {
    const person = await people.newPerson('editor');
    const laptop = person.cookie;
    const phone = await signInAs(person);
    const phoneSocket = await connected(phone);
    const laptopSocket = await connected(laptop);
    const fileId = await people.newLiveFile(person);
    const phoneDoc = await openCollabDoc(`${server.wsUrl}/collab`, fileDocName(fileId), { headers: { cookie: phone } });
    const phoneClosed = waitFor<[{ code: number }]>(phoneDoc.provider, 'connection-close', 1000);
    const phoneGone = nextDisconnect(phoneSocket.socket, 1000);

    const other = await people.newPerson('editor');
    const phoneView = (await listSessions(laptop)).find((s) => !s.current)!;
    const refused = await api(server, other.cookie, 'DELETE', `/api/sessions/${phoneView.id}`);
    expect(refused.status).toBe(404);

    const ended = await api(server, laptop, 'DELETE', `/api/sessions/${phoneView.id}`);
    expect(ended.status).toBe(204);
    expect((await phoneSocket.log.waitFor('session:revoked', undefined, 1000)).reason).toBe('signed-out');
    await phoneGone;
    expect((await phoneClosed)[0].code).toBe(CollabClose.Unauthenticated.code);
    expect((await api(server, phone, 'GET', '/api/session')).status).toBe(401);
    expect(laptopSocket.socket.connected).toBe(true);
    expect((await listSessions(laptop)).map((s) => s.current)).toEqual([true]);
    phoneDoc.destroy();
    expect((await api(server, laptop, 'DELETE', '/api/sessions/not-a-session-id-at-all')).status).toBe(404);
    expect((await api(server, laptop, 'DELETE', '/api/sessions/%24ne')).status).toBe(400);
  });

  it('[AU10] signing out everywhere ends every session of the person, this one too, and nobody else’s', async () => {
    const person = await people.newPerson('correspondent');
    const second = await signInAs(person);
    const bystander = await people.newPerson('correspondent');
    const sockets = await Promise.all([connected(person.cookie), connected(second)]);
    const gone = sockets.map((s) => nextDisconnect(s.socket, 1000));
    const res = await fetch(`${server.url}/api/sessions`, { method: 'DELETE', headers: { cookie: second } });
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toMatch(/ld_session=;/);
    await Promise.all(gone);
    for (const cookie of [person.cookie, second]) expect((await api(server, cookie, 'GET', '/api/session')).status).toBe(401);
    expect(await server.store.sessions.listByAccount(person.account.id)).toEqual([]);
    expect((await api(server, bystander.cookie, 'GET', '/api/session')).status).toBe(200);
    expect((await api(server, null, 'DELETE', '/api/sessions')).status).toBe(401);
  });
});
