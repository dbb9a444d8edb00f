import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, signIn, startTestServer, type TestServer } from '../support/startTestServer.js';
import type * as Y from 'yjs';
import { openCollabDoc, openRawCollab, until, waitFor } from '../support/collabClients.js';
import { insertText, textOf } from '../support/entryText.js';
import { entryDocName, fileDocName } from '../../shared/collab/docName.js';
import { MESSAGE_READ_ONLY } from '../../shared/collab/closeCodes.js';
import { addEntryToDesk, readDeskOrder } from '../../shared/collab/deskDoc.js';
import type { WorkflowAction } from '../../shared/workflow.js';
import { act } from '../support/workflow.js';

/** The permission matrix through the real upgrade gate with stock providers. */
let server: TestServer;
let fileId: string;
let cookies: Record<string, string>;

type Role = 'correspondent' | 'editor' | 'chief' | 'admin';
/** The actions that take a new entry to each status (shared/workflow.ts), taken by a chief. */
const PATH: Record<string, WorkflowAction[]> = {
  draft: [],
  submitted: ['submit'],
  published: ['submit', 'publish'],
};

beforeAll(async () => {
  server = await startTestServer();
  cookies = {};
  for (const who of ['correspondent', 'editor', 'chief', 'admin'] satisfies Role[]) cookies[who] = await signIn(server, who);
  // A live file of this test's own: nothing here depends on what the demo seed holds.
  const file = await api(server, cookies.editor, 'POST', '/api/live-files', { title: 'Permission matrix' });
  expect(file.status).toBe(201);
  fileId = file.json.id as string;
});
afterAll(() => server.close());

const url = () => `${server.wsUrl}/collab`;

/** A fresh entry written by `author`, moved through the workflow to `status`. */
async function entryIn(author: Role, status: keyof typeof PATH): Promise<string> {
  const res = await api(server, cookies[author], 'POST', `/api/live-files/${fileId}/entries`, { idempotencyKey: randomUUID(), text: 'Черновик.' });
  expect(res.status).toBe(201);
  for (const action of PATH[status]) await act(server, 'chief', res.json.id as string, action);
  return res.json.id as string;
}

/** A mark written the way the client writes each kind of document: a desk row, or entry text. */
function writeMark(doc: Y.Doc, name: string, mark: string): void {
  if (name.startsWith('file:')) addEntryToDesk(doc, `probe-${mark}`, { label: mark });
  else insertText(doc, 0, `[${mark}]`);
}
function hasMark(doc: Y.Doc, name: string, mark: string): boolean {
  if (name.startsWith('file:')) return readDeskOrder(doc).some((i) => i.label === mark);
  return textOf(doc).includes(`[${mark}]`);
}

describe('collab permission matrix', () => {
  it.each(['editor', 'chief', 'admin'] satisfies Role[])('[CP1] %s writes the desk document and any entry', async (role) => {
    for (const name of [fileDocName(fileId), entryDocName(await entryIn('correspondent', 'published'))]) {
      const client = await openCollabDoc(url(), name, { headers: { cookie: cookies[role] } });
      writeMark(client.doc, name, role);
      const check = await openCollabDoc(url(), name, { headers: { cookie: cookies.editor } });
      await until(check.doc, 'update', () => hasMark(check.doc, name, role));
      client.destroy();
      check.destroy();
    }
  });

  it('[CP2] a correspondent writes their own draft', async () => {
    const name = entryDocName(await entryIn('correspondent', 'draft'));
    const mine = await openCollabDoc(url(), name, { headers: { cookie: cookies.correspondent } });
    writeMark(mine.doc, name, 'Медеу');
    const check = await openCollabDoc(url(), name, { headers: { cookie: cookies.editor } });
    await until(check.doc, 'update', () => hasMark(check.doc, name, 'Медеу'));
    mine.destroy();
    check.destroy();
  });

  it('[CP3] a correspondent’s submitted entry is read-only for them: told so, writes dropped by the server', async () => {
    const name = entryDocName(await entryIn('correspondent', 'submitted'));
    const raw = await openRawCollab(url(), name, { cookie: cookies.correspondent });
    const isReadOnly = (frame: Uint8Array) => frame[0] === MESSAGE_READ_ONLY;
    if (!raw.frames.some(isReadOnly)) await waitFor(raw, 'message', 5000, (data: Buffer) => isReadOnly(data));
    raw.close();

    const theirs = await openCollabDoc(url(), name, { headers: { cookie: cookies.correspondent } });
    writeMark(theirs.doc, name, 'sneaky');
    // A desk editor's own write arriving proves the server processed the earlier frame in order.
    const editor = await openCollabDoc(url(), name, { headers: { cookie: cookies.editor } });
    writeMark(editor.doc, name, 'fence');
    const check = await openCollabDoc(url(), name, { headers: { cookie: cookies.chief } });
    await until(check.doc, 'update', () => hasMark(check.doc, name, 'fence'));
    expect(hasMark(check.doc, name, 'sneaky')).toBe(false);
    expect(textOf(check.doc)).toBe('[fence]Черновик.');
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
