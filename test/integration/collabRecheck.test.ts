// Access is re-checked whenever it can change, on connections already open (docs/spec.md AC5-AC9).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CollabClose, MESSAGE_READ_ONLY } from '../../shared/collab/closeCodes.js';
import { entryDocName, fileDocName } from '../../shared/collab/docName.js';
import { act } from '../support/workflow.js';
import * as decoding from 'lib0/decoding';
import { openCollabDoc, until, waitFor, type CollabClient } from '../support/collabClients.js';
import { WebSocket } from 'ws';
import { insertText, textOf } from '../support/entryText.js';
import { api, signIn, startTestServer, type TestServer } from '../support/startTestServer.js';
import { connectIo, nextDisconnect, waitForConnect } from '../support/ioClient.js';

let server: TestServer;
let fileId: string;
const cookies: Record<string, string> = {};
const accountIds: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
  for (const who of ['correspondent', 'editor', 'chief']) {
    cookies[who] = await signIn(server, who);
    accountIds[who] = ((await api(server, cookies[who], 'GET', '/api/session')).json.account as { id: string }).id;
  }
  fileId = ((await api(server, cookies.editor, 'GET', '/api/live-files')).json.liveFiles as { id: string }[])[0].id;
});
afterAll(() => server.close());

const url = () => `${server.wsUrl}/collab`;

/** The HTTP status a collab upgrade gets with this cookie (101 when it is let in). */
function upgradeStatus(docName: string, cookie: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${url()}/${docName}`, { headers: { cookie } });
    ws.on('upgrade', () => resolve(101));
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => undefined);
    ws.on('open', () => ws.terminate());
  });
}

/** Resolves with the reason of the next read-only notice (message 100) this client gets. */
function nextReadOnlyNotice(client: CollabClient): Promise<string> {
  return new Promise((resolve) => {
    client.provider.messageHandlers[MESSAGE_READ_ONLY] = (_enc, dec) => {
      client.readOnlyReason = decoding.readVarString(dec);
      resolve(client.readOnlyReason);
    };
  });
}

async function newDraft(who: string): Promise<{ id: string; status: string; version: number }> {
  const res = await api(server, cookies[who], 'POST', `/api/live-files/${fileId}/entries`, { idempotencyKey: randomUUID(), text: 'Черновик' });
  expect(res.status).toBe(201);
  return res.json as unknown as { id: string; status: string; version: number };
}

describe('access re-checked on open connections', () => {
  it('[AC5] a correspondent’s write connection to her draft turns read-only the moment it is submitted: told once, later writes never stored', async () => {
    const draft = await newDraft('correspondent');
    const name = entryDocName(draft.id);
    const mine = await openCollabDoc(url(), name, { headers: { cookie: cookies.correspondent } });
    const desk = await openCollabDoc(url(), name, { headers: { cookie: cookies.editor } });
    insertText(mine.doc, 0, 'До отправки. ');
    await until(desk.doc, 'update', () => textOf(desk.doc).startsWith('До отправки. '));
    const told = nextReadOnlyNotice(mine);
    await act(server, 'correspondent', draft.id, 'submit');
    expect(await told).toBe('read-only');
    insertText(mine.doc, 0, 'After submit. ');
    // A desk edit after the correspondent's: once it arrives, hers would have too.
    insertText(desk.doc, 0, 'Desk: ');
    const fresh = await openCollabDoc(url(), name, { headers: { cookie: cookies.chief } });
    await until(fresh.doc, 'update', () => textOf(fresh.doc).startsWith('Desk: '));
    expect(textOf(fresh.doc)).not.toContain('After submit.');
    for (const c of [mine, desk, fresh]) c.destroy();
  });

  it('[AC6] an entry sent back to its author reopens her read-only connection (AccessChanged), and she writes again', async () => {
    const draft = await newDraft('correspondent');
    const name = entryDocName(draft.id);
    await act(server, 'correspondent', draft.id, 'submit');
    const mine = await openCollabDoc(url(), name, { headers: { cookie: cookies.correspondent } });
    expect(mine.readOnlyReason).toBe('read-only'); // told before its first sync
    const closed = waitFor<[{ code: number }]>(mine.provider, 'connection-close');
    await act(server, 'chief', draft.id, 'reject');
    expect((await closed)[0].code).toBe(CollabClose.AccessChanged.code);
    mine.readOnlyReason = undefined;
    await mine.ensureConnected();
    insertText(mine.doc, 0, 'Исправлено. ');
    const check = await openCollabDoc(url(), name, { headers: { cookie: cookies.editor } });
    await until(check.doc, 'update', () => textOf(check.doc).startsWith('Исправлено. '));
    expect(mine.readOnlyReason).toBeUndefined();
    mine.destroy();
    check.destroy();
  });

  it('[AC7] a demoted editor’s open desk and entry connections close within a second (AccessRevoked); their own draft is kept writable', async () => {
    const cookie = await signIn(server, 'editor2');
    const who = ((await api(server, cookie, 'GET', '/api/session')).json.account as { id: string }).id;
    const others = await newDraft('editor');
    const own = (await api(server, cookie, 'POST', `/api/live-files/${fileId}/entries`, { idempotencyKey: randomUUID(), text: 'Свой' })).json as unknown as { id: string };
    const deskConn = await openCollabDoc(url(), fileDocName(fileId), { headers: { cookie } });
    const othersConn = await openCollabDoc(url(), entryDocName(others.id), { headers: { cookie } });
    const ownConn = await openCollabDoc(url(), entryDocName(own.id), { headers: { cookie } });
    const deskClosed = waitFor<[{ code: number }]>(deskConn.provider, 'connection-close', 1000);
    const othersClosed = waitFor<[{ code: number }]>(othersConn.provider, 'connection-close', 1000);
    await server.server.services.accounts.updateAccount(who, { role: 'correspondent' });
    expect((await deskClosed)[0].code).toBe(CollabClose.AccessRevoked.code);
    expect((await othersClosed)[0].code).toBe(CollabClose.AccessRevoked.code);
    insertText(ownConn.doc, 0, 'still mine ');
    const check = await openCollabDoc(url(), entryDocName(own.id), { headers: { cookie: cookies.editor } });
    await until(check.doc, 'update', () => textOf(check.doc).startsWith('still mine '));
    await server.server.services.accounts.updateAccount(who, { role: 'editor' });
    for (const c of [deskConn, othersConn, ownConn, check]) c.destroy();
  });

  it('[AC8] a deactivated account’s collab connections close at once and its cookie is refused before the 101', async () => {
    const cookie = await signIn(server, 'chief');
    const conn = await openCollabDoc(url(), fileDocName(fileId), { headers: { cookie } });
    const closed = waitFor<[{ code: number }]>(conn.provider, 'connection-close', 1000);
    conn.provider.shouldConnect = false;
    await server.server.services.accounts.updateAccount(accountIds.chief, { active: false });
    expect([CollabClose.Unauthenticated.code, CollabClose.AccessRevoked.code]).toContain((await closed)[0].code);
    expect(await upgradeStatus(fileDocName(fileId), cookie)).toBe(401);
    await server.server.services.accounts.updateAccount(accountIds.chief, { active: true });
    conn.destroy();
  });

  it('[AC9] signing out closes that session’s collab connections (Unauthenticated), not the same person’s other sessions', async () => {
    const first = await signIn(server, 'editor');
    const second = await signIn(server, 'editor');
    const a = await openCollabDoc(url(), fileDocName(fileId), { headers: { cookie: first } });
    const b = await openCollabDoc(url(), fileDocName(fileId), { headers: { cookie: second } });
    const closed = waitFor<[{ code: number }]>(a.provider, 'connection-close', 1000);
    a.provider.shouldConnect = false;
    expect((await api(server, first, 'DELETE', '/api/session')).status).toBeLessThan(300);
    expect((await closed)[0].code).toBe(CollabClose.Unauthenticated.code);
    expect(b.provider.wsconnected).toBe(true);
    a.destroy();
    b.destroy();
  });
});

describe('a session that ends while connected', () => {
  it('[AC10] at its expiry time, the session’s collab connections close (Unauthenticated) and its sockets are told and disconnected', async () => {
    const cookie = await signIn(server, 'editor');
    const [session] = (await server.store.sessions.listByAccount(accountIds.editor)).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    // The same session, ending in a moment (as if its TTL ran out now).
    await server.store.sessions.delete(session.id);
    await server.store.sessions.create({ ...session, expiresAt: new Date(Date.now() + 400).toISOString() });
    const conn = await openCollabDoc(url(), fileDocName(fileId), { headers: { cookie } });
    conn.provider.shouldConnect = false;
    const socket = connectIo(server.url, cookie);
    await waitForConnect(socket);
    const told = new Promise<{ reason: string }>((resolve) => socket.once('session:revoked', resolve));
    const gone = nextDisconnect(socket);
    const [closed] = await waitFor<[{ code: number }]>(conn.provider, 'connection-close', 5000);
    expect(closed.code).toBe(CollabClose.Unauthenticated.code);
    expect((await told).reason).toBe('expired');
    await gone;
    expect(socket.connected).toBe(false);
    socket.close();
    conn.destroy();
  });
});
