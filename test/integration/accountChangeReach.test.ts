// An admin's change through the API reaches every open connection of the person within a second
// (docs/spec.md AD7): Socket.IO rooms and collab, for a demotion and for a deactivation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CollabClose } from '../../shared/collab/closeCodes.js';
import { entryDocName, fileDocName } from '../../shared/collab/docName.js';
import { api, startTestServer, type TestServer } from '../support/startTestServer.js';
import { newsroomPeople, type Person } from '../support/newsroomPeople.js';
import { connectIo, nextDisconnect, recordEvents, waitForConnect, type TestSocket } from '../support/ioClient.js';
import { openCollabDoc, waitFor, type CollabClient } from '../support/collabClients.js';

let server: TestServer;
const people = newsroomPeople(() => server);
const sockets: TestSocket[] = [];
const docs: CollabClient[] = [];
let admin: Person;

beforeAll(async () => {
  server = await startTestServer();
  admin = await people.demoPerson('admin');
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  for (const d of docs) d.destroy();
  await server.close();
});

async function connected(cookie: string) {
  const socket = connectIo(server.url, cookie);
  sockets.push(socket);
  const log = recordEvents(socket);
  await waitForConnect(socket);
  return { socket, log };
}

async function openDoc(docName: string, cookie: string): Promise<CollabClient> {
  const doc = await openCollabDoc(`${server.wsUrl}/collab`, docName, { headers: { cookie } });
  docs.push(doc);
  return doc;
}

describe('an admin’s change reaches open connections', () => {
  it('[AD7] demoting an editor through PATCH /api/accounts: within 1 s her sockets leave the desk rooms and her desk and colleagues’ entries close 4403', async () => {
    const colleague = await people.newPerson('editor');
    const editor = await people.newPerson('editor');
    const fileId = await people.newLiveFile(colleague);
    const othersEntry = await people.createEntry(colleague, fileId);
    const ownEntry = await people.createEntry(editor, fileId);
    const { socket, log } = await connected(editor.cookie);
    const watched = await socket.emitWithAck('liveFile:watch', { liveFileId: fileId });
    expect(watched.ok).toBe(true);
    const desk = await openDoc(fileDocName(fileId), editor.cookie);
    const others = await openDoc(entryDocName(othersEntry.id), editor.cookie);
    const own = await openDoc(entryDocName(ownEntry.id), editor.cookie);
    const deskClosed = waitFor<[{ code: number }]>(desk.provider, 'connection-close', 1000);
    const othersClosed = waitFor<[{ code: number }]>(others.provider, 'connection-close', 1000);

    const started = Date.now();
    const res = await api(server, admin.cookie, 'PATCH', `/api/accounts/${editor.account.id}`, { role: 'correspondent' });
    expect(res.status).toBe(200);
    expect((await deskClosed)[0].code).toBe(CollabClose.AccessRevoked.code);
    expect((await othersClosed)[0].code).toBe(CollabClose.AccessRevoked.code);
    // Rooms changed in the same tick as the event: a colleague's new entry does not reach her.
    const fresh = await people.createEntry(colleague, fileId);
    const mine = await people.createEntry(editor, fileId);
    await log.waitFor('entry:created', (e) => e.id === mine.id, 1000);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(log.seen.some((e) => e.event === 'entry:created' && (e.payload as { id: string }).id === fresh.id)).toBe(false);
    expect(own.provider.wsconnected).toBe(true);
    expect(socket.connected).toBe(true);
  });

  it('[AD7] deactivating through PATCH /api/accounts: within 1 s every socket and collab connection of hers closes and her sessions are gone', async () => {
    const person = await people.newPerson('chief');
    const secondCookie = await people.signInWith(person.account.username, person.password!);
    const fileId = await people.newLiveFile(person);
    const tabs = await Promise.all([connected(person.cookie), connected(secondCookie)]);
    const desk = await openDoc(fileDocName(fileId), secondCookie);
    const gone = tabs.map((t) => nextDisconnect(t.socket, 1000));
    const deskClosed = waitFor<[{ code: number }]>(desk.provider, 'connection-close', 1000);

    const res = await api(server, admin.cookie, 'PATCH', `/api/accounts/${person.account.id}`, { active: false });
    expect(res.status).toBe(200);
    for (const t of tabs) expect((await t.log.waitFor('session:revoked', undefined, 1000)).reason).toBe('deactivated');
    await Promise.all(gone);
    expect([CollabClose.Unauthenticated.code, CollabClose.AccessRevoked.code]).toContain((await deskClosed)[0].code);
    expect(await server.store.sessions.listByAccount(person.account.id)).toEqual([]);
    for (const cookie of [person.cookie, secondCookie]) expect((await api(server, cookie, 'GET', '/api/session')).status).toBe(401);
  });
});
