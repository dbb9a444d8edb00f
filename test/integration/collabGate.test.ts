import { request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, signIn, startTestServer, type TestServer } from '../support/startTestServer.js';
import { docsUnloaded, openCollabDoc, until } from '../support/collabClients.js';
import { appendText, insertText, textOf } from '../support/entryText.js';
import { entryDocName, fileDocName } from '../../shared/collab/docName.js';
import { readDeskOrder } from '../../shared/collab/deskDoc.js';

let server: TestServer;
let demoFileId: string;
let editor: string;
let correspondent: string;

/** Sends a raw websocket upgrade and resolves with the HTTP status the server answered. */
function upgradeStatus(path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(server.url);
    const req = request({
      host: url.hostname, port: url.port, path,
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers },
    });
    req.on('upgrade', (res, socket) => { socket.destroy(); resolve(res.statusCode ?? 0); });
    req.on('response', (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  server = await startTestServer();
  editor = await signIn(server, 'editor');
  correspondent = await signIn(server, 'correspondent');
  const files = (await api(server, editor, 'GET', '/api/live-files')).json.liveFiles as { id: string }[];
  demoFileId = files[0].id;
});
afterAll(() => server.close());

describe('collab upgrade gate (refused before the 101)', () => {
  it('[CG1] no session → 401', async () => {
    expect(await upgradeStatus(`/collab/${fileDocName(demoFileId)}`)).toBe(401);
  });
  it('[CG2] unknown or malformed document → 404', async () => {
    expect(await upgradeStatus(`/collab/${fileDocName('aaaaaaaaaaaaaaaa')}`, { cookie: editor })).toBe(404);
    expect(await upgradeStatus('/collab/not-a-doc', { cookie: editor })).toBe(404);
    expect(await upgradeStatus('/elsewhere', { cookie: editor })).toBe(404);
  });
  it('[CG3] a correspondent cannot open the desk document → 403', async () => {
    expect(await upgradeStatus(`/collab/${fileDocName(demoFileId)}`, { cookie: correspondent })).toBe(403);
  });
  it('[CG4] a foreign browser origin → 403', async () => {
    expect(await upgradeStatus(`/collab/${fileDocName(demoFileId)}`, { cookie: editor, origin: 'https://evil.example' })).toBe(403);
  });
  it('[CG5] an editor is let in (101)', async () => {
    expect(await upgradeStatus(`/collab/${fileDocName(demoFileId)}`, { cookie: editor })).toBe(101);
  });
  it('[CG6] a refused upgrade loads no document', async () => {
    await docsUnloaded(server.server.collab); // the editor of CG5 has left
    const loaded: string[] = [];
    server.server.collab.events.on('loaded', (name: string) => loaded.push(name));
    expect(await upgradeStatus(`/collab/${fileDocName(demoFileId)}`, { cookie: correspondent })).toBe(403);
    expect(await upgradeStatus(`/collab/${fileDocName(demoFileId)}`)).toBe(401);
    expect(loaded).toEqual([]);
    expect(server.server.collab.stats().loadedDocs).toBe(0);
  });
});

describe('stock y-websocket client through the real server', () => {
  // The entries come from the API, not from a count the seed happens to hold (issue 8).
  it('[CS1] the demo desk document holds the file’s entries, newest first', async () => {
    const listed = (await api(server, editor, 'GET', `/api/live-files/${demoFileId}`)).json.entries as { id: string }[];
    expect(listed.length).toBeGreaterThan(0);
    const client = await openCollabDoc(`${server.wsUrl}/collab`, fileDocName(demoFileId), { headers: { cookie: editor } });
    const order = readDeskOrder(client.doc);
    expect(order.map((i) => i.entryId).sort()).toEqual(listed.map((e) => e.id).sort());
    expect(order[0].pinned).toBe(true);
    // Newest first: an entry created now lands above every other unpinned one.
    const created = await api(server, editor, 'POST', `/api/live-files/${demoFileId}/entries`, { idempotencyKey: randomUUID() });
    const id = created.json.id as string;
    await until(client.doc, 'update', () => readDeskOrder(client.doc).some((i) => i.entryId === id));
    expect(readDeskOrder(client.doc).find((i) => !i.pinned)?.entryId).toBe(id);
    client.destroy();
  });

  it('[CS2] a document synced through the server is found again after a restart', async () => {
    const created = await api(server, editor, 'POST', `/api/live-files/${demoFileId}/entries`, { idempotencyKey: randomUUID() });
    const name = entryDocName(created.json.id as string);
    const a = await openCollabDoc(`${server.wsUrl}/collab`, name, { headers: { cookie: editor } });
    insertText(a.doc, 0, 'Алматы — ');
    appendText(a.doc, 'survives restarts');
    // Another client seeing the text means the server persisted it (it broadcasts after the append).
    const b = await openCollabDoc(`${server.wsUrl}/collab`, name, { headers: { cookie: await signIn(server, 'editor2') } });
    await until(b.doc, 'update', () => textOf(b.doc) === 'Алматы — survives restarts');
    a.destroy();
    b.destroy();

    await server.restart();
    const cookie = await signIn(server, 'editor');
    const c = await openCollabDoc(`${server.wsUrl}/collab`, name, { headers: { cookie } });
    expect(textOf(c.doc)).toBe('Алматы — survives restarts');
    c.destroy();
  });
});
