import { randomUUID } from 'node:crypto';
import { Namespace, Server } from 'socket.io';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ENTRY_BROADCASTS, type EntryBroadcast } from '../../shared/realtime/events.js';
import type { EntryView } from '../../shared/schemas/entry.js';
import { api, startTestServer, type TestServer } from '../support/startTestServer.js';
import { newsroomPeople, type Person } from '../support/newsroomPeople.js';
import { connectIo, nextDisconnect, recordEvents, waitForConnect, type EventLog, type TestSocket } from '../support/ioClient.js';

// Who receives which Socket.IO event: audiences come from access.ts, entries never leak.

let server: TestServer;
const sockets: TestSocket[] = [];
const people = newsroomPeople(() => server);
const { signInWith, demoPerson, newPerson } = people;
const newLiveFile = (by: Person) => people.newLiveFile(by, 'Audience');
const createEntry = async (by: Person, liveFileId: string) => (await people.createEntry(by, liveFileId)).id;

beforeAll(async () => {
  server = await startTestServer();
});
afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await server.close();
});

interface Watcher extends Person {
  socket: TestSocket;
  log: EventLog;
}

/** A fresh account of the demo newsroom, signed in: tests that change accounts touch no one else. */

async function connect(person: Person): Promise<Watcher> {
  const socket = connectIo(server.url, person.cookie);
  sockets.push(socket);
  const log = recordEvents(socket);
  await waitForConnect(socket);
  return { ...person, socket, log };
}

async function watch(w: Watcher, liveFileId: string): Promise<EntryView[]> {
  const ack = await w.socket.emitWithAck('liveFile:watch', { liveFileId });
  if (!ack.ok) throw new Error(`watch failed: ${ack.error.code}`);
  return ack.data.entries;
}

/**
 * Makes the server send `event` about an entry of `by` in the live file; returns that entry's id.
 * Typed over every entry broadcast: a new one does not compile until it has a trigger here.
 */
const trigger: Record<EntryBroadcast, (by: Person, liveFileId: string, existing?: string) => Promise<string>> = {
  'entry:created': (by, liveFileId) => createEntry(by, liveFileId),
  'entry:updated': async (by, liveFileId, existing) => {
    const id = existing ?? (await createEntry(by, liveFileId));
    const res = await api(server, by.cookie, 'PATCH', `/api/entries/${id}`, { headline: `Edited ${randomUUID().slice(0, 6)}` });
    expect(res.status).toBe(200);
    return id;
  },
};

const isEntry = (p: unknown): p is EntryView =>
  typeof p === 'object' && p !== null && typeof (p as EntryView).liveFileId === 'string' && typeof (p as EntryView).authorId === 'string';

/** Entry payloads of any event the socket received that belong to someone else. */
const foreignEntries = (w: Watcher) =>
  w.log.seen.filter(({ payload }) => isEntry(payload) && payload.authorId !== w.account.id).map(({ event, payload }) => ({ event, id: (payload as EntryView).id }));

/** socket.io exports BroadcastOperator as a type only: reach its prototype through a detached server. */
function broadcastOperatorPrototype(): { emit(event: string, ...args: unknown[]): boolean; fetchSockets(): Promise<unknown[]> } {
  return Object.getPrototypeOf(new Server().to('probe')) as ReturnType<typeof broadcastOperatorPrototype>;
}

const about = (id: string) => (e: EntryView) => e.id === id;

describe('Socket.IO audiences', () => {
  it('[RT7] a correspondent watching a live file gets her own entries on every entry event and never anyone else’s; an editor gets all', async () => {
    const editor = await demoPerson('editor');
    const desk = await connect(await demoPerson('editor2'));
    const reporter = await connect(await demoPerson('correspondent'));
    const fileId = await newLiveFile(editor);
    await watch(desk, fileId);
    expect(await watch(reporter, fileId)).toEqual([]);

    let others: string | undefined;
    let own: string | undefined;
    for (const event of ENTRY_BROADCASTS) {
      others = await trigger[event](editor, fileId, others);
      // The desk has it, so it went out: were it sent to the reporter too, it would arrive before her own below.
      await desk.log.waitFor(event, about(others));
      own = await trigger[event](reporter, fileId, own);
      await reporter.log.waitFor(event, about(own));
      await desk.log.waitFor(event, about(own));
    }
    expect(foreignEntries(reporter)).toEqual([]);
    expect(reporter.log.seen.some(({ payload }) => isEntry(payload) && payload.id === own)).toBe(true);
  });

  it('[RT8] the watch ack of a correspondent holds only her own entries (demo file, several authors)', async () => {
    const reporter = await connect(await demoPerson('correspondent'));
    const desk = await connect(await demoPerson('chief'));
    const demoFile = (await server.store.liveFiles.findBySlug(reporter.account.newsroomId, 'almaty-floods'))!;
    const mine = await watch(reporter, demoFile.id);
    const all = await watch(desk, demoFile.id);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((e) => e.authorId === reporter.account.id)).toBe(true);
    expect(all.some((e) => e.authorId !== reporter.account.id)).toBe(true);
  });

  it('[RT9] an entry event is one emit to its audience rooms (no fetchSockets); a socket in several of them gets it once', async () => {
    const operator = broadcastOperatorPrototype();
    const fetchSockets = [vi.spyOn(operator, 'fetchSockets'), vi.spyOn(Namespace.prototype, 'fetchSockets')];
    const emits = vi.spyOn(operator, 'emit');
    const author = await connect(await newPerson('editor'));
    const other = await demoPerson('editor2');
    const fileId = await newLiveFile(author);
    await watch(author, fileId); // desk room and, as the author, her account room

    const entryId = await createEntry(author, fileId);
    await author.log.waitFor('entry:created', about(entryId));
    const later = await createEntry(other, fileId);
    await author.log.waitFor('entry:created', about(later)); // everything sent before it has arrived

    expect(author.log.seen.filter(({ event, payload }) => event === 'entry:created' && isEntry(payload) && payload.id === entryId)).toHaveLength(1);
    const entryEmits = emits.mock.calls
      .map((args, i) => ({ args, rooms: (emits.mock.contexts[i] as unknown as { rooms: Set<string> }).rooms }))
      .filter(({ args }) => args[0] === 'entry:created' && isEntry(args[1]) && args[1].id === entryId);
    expect(entryEmits.map((e) => [...e.rooms].sort())).toEqual([[`account:${author.account.id}`, `liveFile:${fileId}:desk`].sort()]);
    for (const spy of fetchSockets) expect(spy).not.toHaveBeenCalled();
  });

  it('[RT10] an editor demoted to correspondent stops getting others’ entries at once and still gets her own', async () => {
    const colleague = await demoPerson('editor');
    const witness = await connect(await demoPerson('chief'));
    const demoted = await connect(await newPerson('editor'));
    const fileId = await newLiveFile(colleague);
    await watch(witness, fileId);
    await watch(demoted, fileId);
    const before = await createEntry(colleague, fileId);
    await demoted.log.waitFor('entry:created', about(before)); // a desk role, for now

    const changed = await server.server.services.accounts.updateAccount(demoted.account.id, { role: 'correspondent' });
    expect(changed.role).toBe('correspondent');
    const seenBefore = demoted.log.seen.length;

    let others: string | undefined;
    let own: string | undefined;
    for (const event of ENTRY_BROADCASTS) {
      others = await trigger[event](colleague, fileId, others);
      await witness.log.waitFor(event, about(others));
      own = await trigger[event](demoted, fileId, own);
      await demoted.log.waitFor(event, about(own), 1000);
    }
    const after = demoted.log.seen.slice(seenBefore);
    expect(after.filter(({ payload }) => isEntry(payload) && payload.authorId !== demoted.account.id)).toEqual([]);
    // The socket's account was refreshed too: a new watch answers as a correspondent.
    expect((await watch(demoted, fileId)).every((e) => e.authorId === demoted.account.id)).toBe(true);
  });

  it('[RT11] a correspondent promoted to editor gets every entry of the files she watches without watching again', async () => {
    const colleague = await demoPerson('editor');
    const promoted = await connect(await newPerson('correspondent'));
    const fileId = await newLiveFile(colleague);
    await watch(promoted, fileId);

    await server.server.services.accounts.updateAccount(promoted.account.id, { role: 'editor' });
    for (const event of ENTRY_BROADCASTS) {
      const others = await trigger[event](colleague, fileId);
      await promoted.log.waitFor(event, about(others), 1000);
    }
  });

  it('[RT12] deactivating an account revokes its sessions and disconnects every socket of it', async () => {
    const person = await newPerson('editor');
    const firstTab = await connect(person);
    const secondDevice = await connect({ ...person, cookie: await signInWith(person.account.username, person.password!) });
    const bystander = await connect(await demoPerson('editor2'));
    const fileId = await newLiveFile(person);
    await watch(firstTab, fileId);
    const revokedEvents: Array<{ accountId: string; sessionIds: string[]; reason: string }> = [];
    server.server.services.events.on('session:revoked', (e) => revokedEvents.push(e));
    const gone = [firstTab, secondDevice].map((w) => nextDisconnect(w.socket));

    await server.server.services.accounts.updateAccount(person.account.id, { active: false });
    for (const w of [firstTab, secondDevice]) expect((await w.log.waitFor('session:revoked', undefined, 1000)).reason).toBe('deactivated');
    await Promise.all(gone);

    const revoked = revokedEvents.find((e) => e.accountId === person.account.id);
    expect(revoked?.reason).toBe('deactivated');
    expect(revoked?.sessionIds).toHaveLength(2);
    expect((await api(server, person.cookie, 'GET', '/api/session')).status).toBe(401);
    const again = connectIo(server.url, person.cookie);
    sockets.push(again);
    await expect(waitForConnect(again)).rejects.toThrow(/unauthenticated/);
    expect(bystander.socket.connected).toBe(true);
  });

  /** The next Socket.IO sign-in reads its account, then `change` runs before the socket joins its rooms. */
  function changeDuringNextSignIn(change: () => Promise<unknown>) {
    const accounts = server.server.services.accounts;
    const resolve = accounts.resolveSession;
    vi.spyOn(accounts, 'resolveSession').mockImplementationOnce(async (token) => {
      const stale = await resolve(token);
      await change();
      return stale;
    });
  }

  it('[RT13] a demotion while a socket signs in is not missed: it joins as a correspondent', async () => {
    const colleague = await demoPerson('editor');
    const witness = await connect(await demoPerson('chief'));
    const person = await newPerson('editor');
    const fileId = await newLiveFile(colleague);
    await watch(witness, fileId);

    changeDuringNextSignIn(() => server.server.services.accounts.updateAccount(person.account.id, { role: 'correspondent' }));
    const demoted = await connect(person);
    expect((await watch(demoted, fileId))).toEqual([]);
    const others = await createEntry(colleague, fileId);
    await witness.log.waitFor('entry:created', about(others));
    const own = await createEntry(demoted, fileId);
    await demoted.log.waitFor('entry:created', about(own));
    expect(foreignEntries(demoted)).toEqual([]);
  });

  it('[RT13] a deactivation while a socket signs in is not missed: it is told and disconnected', async () => {
    const person = await newPerson('editor');
    changeDuringNextSignIn(() => server.server.services.accounts.updateAccount(person.account.id, { active: false }));
    const socket = connectIo(server.url, person.cookie);
    sockets.push(socket);
    const log = recordEvents(socket);
    const gone = nextDisconnect(socket);
    expect((await log.waitFor('session:revoked', undefined, 1000)).reason).toBe('deactivated');
    await gone;
  });
});

