import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { WebSocket } from 'ws';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { MESSAGE_READ_ONLY } from '../../shared/collab/closeCodes.js';
import { addEntryToDesk, readDeskOrder } from '../../shared/collab/deskDoc.js';
import { presenceFrame } from '../support/presence.js';
import { openCollabDoc, openRawCollab, startCollabServer, storedState, until, waitFor, type CollabTestServer } from '../support/collabClients.js';

const DOC = 'file:presence-doc-01';


describe('collab read-only and presence', () => {
  let server: CollabTestServer;
  const labels = (doc: Y.Doc) => readDeskOrder(doc).map((i) => i.label);
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
    await server.close();
  });

  it('[CO9] a read-only connection is told once and its updates are dropped', async () => {
    server = await startCollabServer();
    const writer = await openCollabDoc(server.url, DOC);
    cleanup.push(() => writer.destroy());
    addEntryToDesk(writer.doc, 'entry-base', { label: 'base' });
    // Broadcasts follow the append: a second client seeing the row means it is stored.
    const watcher = await openCollabDoc(server.url, DOC);
    await until(watcher.doc, 'update', () => labels(watcher.doc).includes('base'));
    watcher.destroy();
    const raw = await openRawCollab(server.url, DOC, { 'x-read-only': '1', 'x-account': 'acct-reader' });
    cleanup.push(() => raw.terminate());
    await until(raw, 'message', () => raw.frames.length > 0);
    const dec = decoding.createDecoder(raw.frames[0]);
    expect(decoding.readVarUint(dec)).toBe(MESSAGE_READ_ONLY);
    expect(decoding.readVarString(dec)).toBe('read-only');
    const before = await storedState(server.docs, DOC);
    const intruder = new Y.Doc();
    addEntryToDesk(intruder, 'entry-nope', { label: 'nope' });
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, 0);
    encoding.writeVarUint(enc, 2);
    encoding.writeVarUint8Array(enc, Y.encodeStateAsUpdate(intruder));
    raw.send(encoding.toUint8Array(enc));
    raw.send(Uint8Array.of(0, 0, 1, 0)); // step 1 with an empty state vector: still answered
    const [reply] = await waitFor<[Buffer]>(raw, 'message', 5000, (d: Buffer) => d[0] === 0 && d[1] === 1);
    expect(reply.length).toBeGreaterThan(3);
    expect(raw.readyState).toBe(raw.OPEN);
    expect(await storedState(server.docs, DOC)).toEqual(before);
    expect(labels(writer.doc)).toEqual(['base']);
    expect(raw.frames.filter((f) => f[0] === MESSAGE_READ_ONLY)).toHaveLength(1);
  });

  // canWrite() is gone (issue 8): read-only at connect comes from CollabAccess.readOnly (upgrade.ts
  // asks access.ts; here the x-read-only header); later changes go through authorize + reauthorize.
  it('[CO9] a read-only stock provider is told so: its edits never reach others', async () => {
    server = await startCollabServer();
    const viewer = await openCollabDoc(server.url, DOC, { headers: { 'x-account': 'acct-viewer', 'x-read-only': '1' } });
    const writer = await openCollabDoc(server.url, DOC);
    cleanup.push(() => viewer.destroy(), () => writer.destroy());
    addEntryToDesk(viewer.doc, 'entry-viewer', { label: 'viewer edit' });
    addEntryToDesk(writer.doc, 'entry-writer', { label: 'writer edit' });
    await until(viewer.doc, 'update', () => labels(viewer.doc).includes('writer edit'));
    expect(viewer.readOnlyReason).toBe('read-only');
    const fresh = await openCollabDoc(server.url, DOC);
    cleanup.push(() => fresh.destroy());
    expect(labels(fresh.doc)).toEqual(['writer edit']);
  });

  it('[CO10] awareness user comes from the session; foreign client IDs are dropped', async () => {
    server = await startCollabServer();
    const watcher = await openCollabDoc(server.url, DOC);
    cleanup.push(() => watcher.destroy());
    const watcherId = watcher.doc.clientID;
    const raw = await openRawCollab(server.url, DOC, { 'x-account': 'acct-mallory' });
    cleanup.push(() => raw.terminate());
    raw.send(presenceFrame([[777, 1, { user: { name: 'The Chief', color: '#f00' }, cursor: 5 }]]));
    await until(watcher.provider.awareness, 'change', () => watcher.provider.awareness.getStates().has(777));
    expect(watcher.provider.awareness.getStates().get(777)).toEqual({
      user: { name: 'Name acct-mallory', color: '#123456', accountId: 'acct-mallory' },
      cursor: 5,
    });
    // Impersonating the watcher's own client ID: dropped, so the watcher keeps its state.
    raw.send(presenceFrame([[watcherId, 999, { user: { name: 'x' } }], [777, 2, { cursor: 6 }]]));
    await until(watcher.provider.awareness, 'change', () => watcher.provider.awareness.getStates().get(777)?.cursor === 6);
    expect(watcher.provider.awareness.getLocalState()).not.toBeNull();
    expect(watcher.provider.awareness.meta.get(watcherId)?.clock).toBeLessThan(999);
  });

  it('[CO11] a closed connection’s cursors vanish for the others', async () => {
    server = await startCollabServer();
    const watcher = await openCollabDoc(server.url, DOC);
    const leaver = await openCollabDoc(server.url, DOC, { headers: { 'x-account': 'acct-leaver' } });
    cleanup.push(() => watcher.destroy());
    leaver.provider.awareness.setLocalStateField('cursor', 3);
    const leaverId = leaver.doc.clientID;
    await until(watcher.provider.awareness, 'change', () => watcher.provider.awareness.getStates().get(leaverId)?.cursor === 3);
    expect(watcher.provider.awareness.getStates().get(leaverId)?.user).toMatchObject({ accountId: 'acct-leaver' });
    leaver.provider.shouldConnect = false;
    // No goodbye from the client (a dropped laptop): the server must announce it.
    (leaver.provider.ws as unknown as WebSocket).terminate();
    await until(watcher.provider.awareness, 'change', () => !watcher.provider.awareness.getStates().has(leaverId));
    leaver.destroy();
  });
});
