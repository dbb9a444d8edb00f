import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, signIn, startTestServer, type TestServer } from '../support/startTestServer.js';
import { openCollabDoc, until, waitFor } from '../support/collabClients.js';
import { fileDocName } from '../../shared/collab/docName.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { COLLAB_HEARTBEAT_MS: '200' } });
});
afterAll(() => server.close());

describe('presence of a vanished editor', () => {
  it('[CO20] a socket that stops answering pings is dropped and its presence removed within two periods', async () => {
    const cookie = await signIn(server, 'editor');
    const fileId = ((await api(server, cookie, 'GET', '/api/live-files')).json.liveFiles as { id: string }[])[0].id;
    const watcher = await openCollabDoc(`${server.wsUrl}/collab`, fileDocName(fileId), { headers: { cookie: await signIn(server, 'editor2') } });

    // A client whose network dies: it never answers pings (and never closes).
    const ghost = new WebSocket(`${server.wsUrl}/collab/${fileDocName(fileId)}`, { headers: { cookie }, autoPong: false });
    await waitFor(ghost, 'open');
    const ghostDoc = new Y.Doc();
    const ghostAwareness = new awarenessProtocol.Awareness(ghostDoc);
    ghostAwareness.setLocalState({ user: { name: 'claimed name' }, entryId: null });
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, 1); // awareness message
    encoding.writeVarUint8Array(enc, awarenessProtocol.encodeAwarenessUpdate(ghostAwareness, [ghostDoc.clientID]));
    ghost.send(encoding.toUint8Array(enc));

    const states = watcher.provider.awareness.getStates();
    await until(watcher.provider.awareness, 'change', () => states.has(ghostDoc.clientID));
    const ghostUser = states.get(ghostDoc.clientID)?.user as { name: string };
    expect(ghostUser.name).toBe('Arman Nurlanov'); // from the session, not the claim

    const started = Date.now();
    await until(watcher.provider.awareness, 'change', () => !watcher.provider.awareness.getStates().has(ghostDoc.clientID), 5000);
    expect(Date.now() - started).toBeLessThan(2000);
    ghost.terminate();
    watcher.destroy();
  });
});

describe('presence of those already there', () => {
  it('[CO21] a joiner is greeted with everyone’s presence at once', async () => {
    const cookie = await signIn(server, 'editor');
    const fileId = ((await api(server, cookie, 'GET', '/api/live-files')).json.liveFiles as { id: string }[])[0].id;
    const first = await openCollabDoc(`${server.wsUrl}/collab`, fileDocName(fileId), { headers: { cookie } });
    first.provider.awareness.setLocalStateField('entryId', 'entry-probe-01');
    const second = await openCollabDoc(`${server.wsUrl}/collab`, fileDocName(fileId), { headers: { cookie: await signIn(server, 'editor2') } });
    const has = () => second.provider.awareness.getStates().get(first.doc.clientID)?.entryId === 'entry-probe-01';
    // Well under the 15 s renewal: the greeting, not a renewal, brought it.
    await until(second.provider.awareness, 'change', has, 2000);
    first.destroy();
    second.destroy();
  });
});
