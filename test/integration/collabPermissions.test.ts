import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, signIn, startTestServer, type TestServer } from '../support/startTestServer.js';
import { openCollabDoc, openRawCollab, waitFor } from '../support/collabClients.js';
import { entryDocName, fileDocName } from '../../shared/collab/docName.js';
import { MESSAGE_READ_ONLY } from '../../shared/collab/closeCodes.js';

/** The permission matrix through the real upgrade gate with stock providers. */
let server: TestServer;
let fileId: string;
let cookies: Record<string, string>;
let entries: { id: string; authorId: string; status: string }[];
let accountIds: Record<string, string>;

beforeAll(async () => {
  server = await startTestServer();
  cookies = {};
  accountIds = {};
  for (const who of ['correspondent', 'editor', 'chief', 'admin']) {
    cookies[who] = await signIn(server, who);
    accountIds[who] = ((await api(server, cookies[who], 'GET', '/api/session')).json.account as { id: string }).id;
  }
  fileId = ((await api(server, cookies.editor, 'GET', '/api/live-files')).json.liveFiles as { id: string }[])[0].id;
  entries = (await api(server, cookies.editor, 'GET', `/api/live-files/${fileId}`)).json.entries as typeof entries;
});
afterAll(() => server.close());

const url = () => `${server.wsUrl}/collab`;
const pick = (authorRole: string, status: string) => {
  const entry = entries.find((e) => e.authorId === accountIds[authorRole] && e.status === status);
  if (!entry) throw new Error(`no demo entry by ${authorRole} in ${status}`);
  return entry.id;
};

describe('collab permission matrix', () => {
  it.each(['editor', 'chief', 'admin'])('[CP1] %s writes the desk document and any entry', async (role) => {
    for (const name of [fileDocName(fileId), entryDocName(pick('correspondent', 'published'))]) {
      const client = await openCollabDoc(url(), name, { headers: { cookie: cookies[role] } });
      client.doc.getMap('probe').set(role, 1);
      const check = await openCollabDoc(url(), name, { headers: { cookie: cookies.editor } });
      expect(check.doc.getMap('probe').get(role)).toBe(1);
      client.destroy();
      check.destroy();
    }
  });

  it('[CP2] a correspondent writes their own draft', async () => {
    const name = entryDocName(pick('correspondent', 'draft'));
    const mine = await openCollabDoc(url(), name, { headers: { cookie: cookies.correspondent } });
    mine.doc.getMap('probe').set('field', 'Медеу');
    const check = await openCollabDoc(url(), name, { headers: { cookie: cookies.editor } });
    expect(check.doc.getMap('probe').get('field')).toBe('Медеу');
    mine.destroy();
    check.destroy();
  });

  it('[CP3] a correspondent’s submitted entry is read-only for them: told so, writes dropped by the server', async () => {
    const name = entryDocName(pick('correspondent', 'submitted'));
    const raw = await openRawCollab(url(), name, { cookie: cookies.correspondent });
    const isReadOnly = (frame: Uint8Array) => frame[0] === MESSAGE_READ_ONLY;
    if (!raw.frames.some(isReadOnly)) await waitFor(raw, 'message', 5000, (data: Buffer) => isReadOnly(data));
    raw.close();

    const theirs = await openCollabDoc(url(), name, { headers: { cookie: cookies.correspondent } });
    theirs.doc.getMap('probe').set('sneaky', true);
    // A desk editor's own write arriving proves the server processed the earlier frame in order.
    const editor = await openCollabDoc(url(), name, { headers: { cookie: cookies.editor } });
    editor.doc.getMap('probe').set('fence', true);
    const check = await openCollabDoc(url(), name, { headers: { cookie: cookies.chief } });
    expect(check.doc.getMap('probe').get('fence')).toBe(true);
    expect(check.doc.getMap('probe').get('sneaky')).toBeUndefined();
    for (const c of [theirs, editor, check]) c.destroy();
  });

  it('[CP4] a correspondent cannot open someone else’s entry or the desk document', async () => {
    const created = await api(server, cookies.editor, 'POST', `/api/live-files/${fileId}/entries`, { idempotencyKey: randomUUID() });
    for (const name of [entryDocName(created.json.id as string), fileDocName(fileId)]) {
      const client = await openCollabDoc(url(), name, { headers: { cookie: cookies.correspondent }, connect: false });
      client.provider.connect();
      const [event] = await waitFor<[{ code: number }]>(client.provider as never, 'connection-close', 5000);
      expect(event.code).toBe(1006); // refused before the 101: no WebSocket close frame
      expect(client.provider.synced).toBe(false);
      client.destroy();
    }
  });
});
