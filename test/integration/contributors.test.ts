import { randomUUID } from 'node:crypto';
import { act } from '../support/workflow.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { api, signIn, startTestServer, type TestServer } from '../support/startTestServer.js';
import { openCollabDoc } from '../support/collabClients.js';
import { addParagraph, appendText, deleteText, entryText, insertText } from '../support/entryText.js';
import { connectIo, recordEvents, waitForConnect } from '../support/ioClient.js';
import { entryDocName } from '../../shared/collab/docName.js';
import { AR, sameBytes } from '../support/fixtures.js';

let server: TestServer;
let fileId: string;
beforeAll(async () => {
  server = await startTestServer();
  const editor = await signIn(server, 'editor');
  // A live file of this file's own: nothing here depends on what the demo seed holds.
  fileId = (await api(server, editor, 'POST', '/api/live-files', { title: 'Contributors' })).json.id as string;
});
afterAll(() => server.close());

/**
 * Resolves once the next 'entry:edited' domain event for `entryId` has been recorded by the entry
 * service (its recordEdit promise settled): from then on, whatever that edit broadcast is on its way.
 */
function nextEditRecorded(entryId: string): Promise<void> {
  const { events, entries } = server.server.services;
  const recordEdit = vi.spyOn(entries, 'recordEdit');
  return new Promise<void>((resolve) => {
    const onEdited = ({ entryId: id }: { entryId: string }) => {
      if (id !== entryId) return;
      events.off('entry:edited', onEdited);
      // createServer's listener ran first (registered first) and called recordEdit just now.
      const index = recordEdit.mock.calls.findLastIndex(([calledFor]) => calledFor === entryId);
      resolve(recordEdit.mock.results[index].value as Promise<void>);
    };
    events.on('entry:edited', onEdited);
  }).finally(() => recordEdit.mockRestore());
}

describe('contributors, preview, bylines and headline', () => {
  it('[EN5] an entry records who changed it from the connection identity, and its preview follows the text', async () => {
    const editor = await signIn(server, 'editor');
    const editor2 = await signIn(server, 'editor2');
    const created = await api(server, editor, 'POST', `/api/live-files/${fileId}/entries`, { idempotencyKey: randomUUID(), text: 'First line.' });
    const entryId = created.json.id as string;
    const watcher = connectIo(server.url, editor);
    const log = recordEvents(watcher);
    await waitForConnect(watcher);
    await watcher.emitWithAck('liveFile:watch', { liveFileId: fileId });

    const client = await openCollabDoc(`${server.wsUrl}/collab`, entryDocName(entryId), { headers: { cookie: editor2 } });
    addParagraph(client.doc, AR);

    const seen = await log.waitFor('entry:updated', (e) => e.id === entryId, 10_000);
    const me2 = (await api(server, editor2, 'GET', '/api/session')).json.account as { id: string };
    expect(seen.contributorIds).toContain(me2.id);
    expect(sameBytes(seen.preview, `First line.\n\n${AR}`)).toBe(true);
    client.destroy();
    watcher.disconnect();
  });

  it('[EN9] an edit that leaves the wording as it was writes nothing and broadcasts nothing; a change of wording is one new revision', async () => {
    const editor = await signIn(server, 'editor');
    const long = 'Долгий текст. '.repeat(50); // past the 500-character preview
    const created = await api(server, editor, 'POST', `/api/live-files/${fileId}/entries`, { idempotencyKey: randomUUID(), text: long });
    const entryId = created.json.id as string;
    const watcher = connectIo(server.url, editor);
    const log = recordEvents(watcher);
    await waitForConnect(watcher);
    await watcher.emitWithAck('liveFile:watch', { liveFileId: fileId });
    const updates = () => log.seen.filter((e) => e.event === 'entry:updated' && (e.payload as { id: string }).id === entryId);

    const client = await openCollabDoc(`${server.wsUrl}/collab`, entryDocName(entryId), { headers: { cookie: editor } });
    // Typed and taken back in one go: structs change, the wording does not. Wait until the service
    // has handled that edit (the domain event, then its recordEdit settled) instead of sleeping.
    const invisibleRecorded = nextEditRecorded(entryId);
    const before = (await server.store.entries.findById(entryId))!;
    const end = entryText(client.doc).length;
    client.doc.transact(() => {
      appendText(client.doc, ' конец');
      deleteText(client.doc, end, ' конец'.length);
    });
    await invisibleRecorded;
    expect(await server.store.entries.findById(entryId)).toEqual(before);
    // Then a visible edit. Socket.IO keeps order: a broadcast of the first would arrive before this one.
    insertText(client.doc, 0, 'СРОЧНО. ');
    const visible = await log.waitFor('entry:updated', (e) => e.id === entryId, 10_000);
    expect(visible.preview.startsWith('СРОЧНО. ')).toBe(true);
    expect(visible.revision).toBe(before.revision + 1);
    expect(updates()).toHaveLength(1); // the invisible edit produced no broadcast of its own
    client.destroy();
    watcher.disconnect();
  });

  it('[EN6] an entry carries several bylines and an optional headline', async () => {
    const editor = await signIn(server, 'editor');
    const created = await api(server, editor, 'POST', `/api/live-files/${fileId}/entries`, { idempotencyKey: randomUUID() });
    const path = `/api/entries/${created.json.id as string}`;
    const patched = await api(server, editor, 'PATCH', path, { headline: 'Dam breach', bylines: ['Arman Nurlanov', 'Айжан Бекова'] });
    expect(patched.status).toBe(200);
    expect(patched.json.headline).toBe('Dam breach');
    expect(patched.json.bylines).toEqual(['Arman Nurlanov', 'Айжан Бекова']);
    const cleared = await api(server, editor, 'PATCH', path, { headline: null });
    expect(cleared.json.headline).toBeUndefined();
    expect((await api(server, editor, 'PATCH', path, { bylines: [''] })).status).toBe(400);
  });

  it('[EN8] a correspondent edits their draft’s metadata, not once it is submitted', async () => {
    const correspondent = await signIn(server, 'correspondent');
    const newEntry = async () => (await api(server, correspondent, 'POST', `/api/live-files/${fileId}/entries`, { idempotencyKey: randomUUID() })).json as { id: string; version: number };
    const draft = await newEntry();
    const submitted = await newEntry();
    await act(server, 'correspondent', submitted.id, 'submit');
    expect((await api(server, correspondent, 'PATCH', `/api/entries/${draft.id}`, { headline: 'Медеу' })).status).toBe(200);
    const refused = await api(server, correspondent, 'PATCH', `/api/entries/${submitted.id}`, { headline: 'late change' });
    expect(refused.status).toBe(403);
    expect(refused.json.error?.code).toBe('forbidden');
  });

  it('[EN7] a correspondent cannot touch someone else’s entry', async () => {
    const editor = await signIn(server, 'editor');
    const correspondent = await signIn(server, 'correspondent');
    const created = await api(server, editor, 'POST', `/api/live-files/${fileId}/entries`, { idempotencyKey: randomUUID() });
    const res = await api(server, correspondent, 'PATCH', `/api/entries/${created.json.id as string}`, { headline: 'mine now' });
    expect(res.status).toBe(404);
  });
});
