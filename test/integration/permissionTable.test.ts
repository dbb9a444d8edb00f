import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import { decide, Permission, type Actor, type FileFacts } from '../../shared/permissions.js';
import { ENTRY_STATUSES, WORKFLOW_ACTIONS, type EntryStatus, type WorkflowAction } from '../../shared/workflow.js';
import { entryDocName, fileDocName } from '../../shared/collab/docName.js';
import { CollabClose, MESSAGE_READ_ONLY } from '../../shared/collab/closeCodes.js';
import { openCollabDoc, waitFor } from '../support/collabClients.js';
import { newsroomPeople, type Person } from '../support/newsroomPeople.js';
import { api, startTestServer, type TestServer } from '../support/startTestServer.js';
import { connectIo, waitForConnect, type TestSocket } from '../support/ioClient.js';
import { newEntry, transition } from '../support/workflowApi.js';
import { act } from '../support/workflow.js';

/**
 * WF11: the whole permission table (shared/permissions.ts), walked over the three transports.
 * Every cell's expectation comes from `decide` itself plus the entry's visibility; the server
 * must answer each transport alike, and a refusal changes nothing.
 */
let server: TestServer;
const people = newsroomPeople(() => server);
let cast: Record<'author' | 'otherCorrespondent' | 'editor' | 'chief' | 'admin', Person>;
let openFile: string;
let restrictedFile: string;
let sockets: Map<Person, TestSocket>;

/** The actions that take a new entry to each state, by a chief (retracted goes through published). */
const ROUTE: Record<EntryStatus, WorkflowAction[]> = {
  draft: [],
  submitted: ['submit'],
  rejected: ['submit', 'reject'],
  scheduled: ['submit', 'schedule'],
  published: ['submit', 'publish'],
  retracted: ['submit', 'publish', 'retract'],
};
const later = () => new Date(Date.now() + 3_600_000).toISOString();
const bodyFor = (action: WorkflowAction, version: number) => ({
  version,
  ...(action === 'reject' ? { note: 'Проверьте цифры.' } : {}),
  ...(action === 'retract' ? { reason: 'Не подтвердилось.' } : {}),
  ...(action === 'schedule' ? { publishAt: later() } : {}),
});

async function entryIn(fileId: string, status: EntryStatus): Promise<string> {
  const entry = await newEntry(server, cast.author, fileId, 'Клетка таблицы.');
  for (const action of ROUTE[status]) await act(server, cast.chief.account.username, entry.id, action, action === 'schedule' ? { publishAt: later() } : {});
  // A published entry edited since: a correction to submit (else "nothing changed" refuses it).
  if (status === 'published') await api(server, cast.editor.cookie, 'PATCH', `/api/entries/${entry.id}`, { headline: 'Уточнено' });
  return entry.id;
}

const actorOf = (p: Person): Actor => ({ id: p.account.id, role: p.account.role, active: true });

/** What every transport must answer, from the table: 200, 403, 404 or 409. */
function expected(who: Person, action: WorkflowAction, status: EntryStatus, file: FileFacts): number {
  const seesEntry = who.account.role !== 'correspondent' || who === cast.author;
  if (!seesEntry) return 404;
  const d = decide(action, actorOf(who), file, { status, authorId: cast.author.account.id, contributorIds: [cast.author.account.id] });
  if (d.allowed) return action === 'retract' && !['published', 'retracted'].includes(status) ? 409 : 200; // retract also needs a publication readers see
  return { 'not-a-member': 404, role: 403, 'four-eyes': 403, inactive: 403, state: 409 }[d.refusal];
}

const CODES: Record<string, number> = { not_found: 404, forbidden: 403, conflict: 409, invalid_input: 400 };

async function overSocket(who: Person, entryId: string, action: WorkflowAction, body: object): Promise<number> {
  const ack = await sockets.get(who)!.emitWithAck('entry:transition', { entryId, action, body: body as never });
  return ack.ok ? 200 : CODES[ack.error.code] ?? 500;
}

/** Opens the document like the stock client and reports what the server allows: refused, read or write. */
async function collabAccess(who: Person, docName: string): Promise<'none' | 'read' | 'write'> {
  const ws = new WebSocket(`${server.wsUrl}/collab/${docName}`, { headers: { cookie: who.cookie } });
  return new Promise((resolve, reject) => {
    const frames: Uint8Array[] = [];
    ws.on('unexpected-response', () => { ws.terminate(); resolve('none'); });
    ws.on('error', reject);
    ws.on('open', () => {
      const enc = encoding.createEncoder();
      encoding.writeVarUint(enc, 0); // sync
      encoding.writeVarUint(enc, 0); // step 1
      encoding.writeVarUint8Array(enc, Y.encodeStateVector(new Y.Doc()));
      ws.send(encoding.toUint8Array(enc));
    });
    ws.on('message', (data: Buffer) => {
      frames.push(new Uint8Array(data));
      // The read-only notice is sent on join, before any answer to our step 1.
      if (data[0] === 0) {
        ws.close();
        resolve(frames.some((f) => f[0] === MESSAGE_READ_ONLY) ? 'read' : 'write');
      }
    });
  });
}

beforeAll(async () => {
  server = await startTestServer();
  cast = {
    author: await people.newPerson('correspondent'),
    otherCorrespondent: await people.newPerson('correspondent'),
    editor: await people.newPerson('editor'),
    chief: await people.newPerson('chief'),
    admin: await people.newPerson('admin'),
  };
  openFile = await people.newLiveFile(cast.editor, 'Table');
  restrictedFile = await people.newLiveFile(cast.editor, 'Restricted');
  sockets = new Map();
  for (const p of Object.values(cast)) {
    const s = connectIo(server.url, p.cookie);
    await waitForConnect(s);
    sockets.set(p, s);
  }
});
afterAll(async () => {
  for (const s of sockets.values()) s.close();
  await server.close();
});

describe('the permission table on every transport', () => {
  it('[WF11] [WF12] every role × action × state answers as the table says, over HTTP and Socket.IO alike; refusals change nothing', async () => {
    const file: FileFacts = { members: null, fourEyes: false };
    const walked: string[] = [];
    for (const status of ENTRY_STATUSES) {
      const shared = await entryIn(openFile, status);
      for (const who of Object.values(cast)) {
        for (const action of WORKFLOW_ACTIONS) {
          const want = expected(who, action, status, file);
          for (const transport of ['http', 'socket'] as const) {
            const entryId = want === 200 ? await entryIn(openFile, status) : shared;
            const before = (await server.store.entries.findById(entryId))!;
            const body = bodyFor(action, before.version);
            const got = transport === 'http' ? (await transition(server, who, entryId, action, body)).status : await overSocket(who, entryId, action, body);
            expect(got, `${transport} ${who.account.role}${who === cast.author ? ' (author)' : ''} ${action} on ${status}`).toBe(want);
            if (want !== 200) expect(await server.store.entries.findById(entryId)).toEqual(before);
            walked.push(`${transport}:${who.account.username}:${action}:${status}`);
          }
        }
      }
    }
    expect(walked).toHaveLength(2 * 5 * WORKFLOW_ACTIONS.length * ENTRY_STATUSES.length);
  });

  it('[WF11] [AC11] the collab upgrade consults the same table: entry.write, entry.read and desk.edit per role and state', async () => {
    const file: FileFacts = { members: null, fourEyes: false };
    for (const status of ENTRY_STATUSES) {
      const entryId = await entryIn(openFile, status);
      for (const who of Object.values(cast)) {
        const facts = { status, authorId: cast.author.account.id, contributorIds: [cast.author.account.id] };
        const seesEntry = who.account.role !== 'correspondent' || who === cast.author;
        const want = !seesEntry ? 'none'
          : decide(Permission.EntryWrite, actorOf(who), file, facts).allowed ? 'write'
          : decide(Permission.EntryRead, actorOf(who), file, facts).allowed ? 'read' : 'none';
        expect(await collabAccess(who, entryDocName(entryId)), `${who.account.role} on a ${status} entry`).toBe(want);
      }
    }
    for (const who of Object.values(cast)) {
      const want = decide(Permission.DeskEdit, actorOf(who), file).allowed ? 'write' : 'none';
      expect(await collabAccess(who, fileDocName(openFile)), `${who.account.role} on the desk`).toBe(want);
    }
  });

  it('[WF11] [WF12] a file restricted to named members is invisible to everyone else on all three transports, at once for open connections', async () => {
    const entryId = await entryIn(restrictedFile, 'submitted');
    // Open before the restriction: closed the moment the editor is no longer a member.
    const open = await openCollabDoc(`${server.wsUrl}/collab`, entryDocName(entryId), { headers: { cookie: cast.editor.cookie } });
    const closed = waitFor<[{ code: number }]>(open.provider as never, 'connection-close', 5000);
    const restrict = await api(server, cast.chief.cookie, 'PATCH', `/api/live-files/${restrictedFile}/access`, { members: [cast.author.account.id] });
    expect(restrict.status).toBe(200);
    expect(restrict.json.members).toEqual([cast.author.account.id, cast.chief.account.id].sort());
    expect((await closed)[0].code).toBe(CollabClose.AccessRevoked.code);
    open.destroy();
    const file: FileFacts = { members: restrict.json.members as string[], fourEyes: false };
    for (const who of [cast.editor, cast.admin]) {
      expect(decide('publish', actorOf(who), file).allowed).toBe(false);
      for (const action of WORKFLOW_ACTIONS) {
        const before = (await server.store.entries.findById(entryId))!;
        expect((await transition(server, who, entryId, action, bodyFor(action, before.version))).status).toBe(404);
        expect(await overSocket(who, entryId, action, bodyFor(action, before.version))).toBe(404);
      }
      expect(await collabAccess(who, entryDocName(entryId))).toBe('none');
      expect(await collabAccess(who, fileDocName(restrictedFile))).toBe('none');
      expect((await api(server, who.cookie, 'GET', `/api/live-files/${restrictedFile}`)).status).toBe(404);
      expect(((await api(server, who.cookie, 'GET', '/api/live-files')).json.liveFiles as Array<{ id: string }>).map((f) => f.id)).not.toContain(restrictedFile);
    }
    // Members still work: the chief publishes.
    const current = (await server.store.entries.findById(entryId))!;
    expect(await overSocket(cast.chief, entryId, 'publish', { version: current.version })).toBe(200);
    // Only chiefs and admins change who may see a file; a non-member cannot even find it.
    expect((await api(server, cast.editor.cookie, 'PATCH', `/api/live-files/${openFile}/access`, { members: [cast.editor.account.id] })).status).toBe(403);
    expect((await api(server, cast.admin.cookie, 'PATCH', `/api/live-files/${restrictedFile}/access`, { members: null })).status).toBe(404);
  });

  it('[WF10] [WF11] four-eyes refuses the author on HTTP and Socket.IO alike', async () => {
    const strict = await people.newLiveFile(cast.editor, 'Strict');
    expect((await api(server, cast.chief.cookie, 'PATCH', `/api/live-files/${strict}/access`, { fourEyes: true })).status).toBe(200);
    const own = await newEntry(server, cast.chief, strict, 'Своё.');
    await transition(server, cast.chief, own.id, 'submit', { version: own.version });
    expect((await transition(server, cast.chief, own.id, 'publish', { version: own.version + 1 })).status).toBe(403);
    expect(await overSocket(cast.chief, own.id, 'publish', { version: own.version + 1 })).toBe(403);
    expect(await overSocket(cast.admin, own.id, 'publish', { version: own.version + 1 })).toBe(200);
  });
});
