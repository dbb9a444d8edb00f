// Entry creation is idempotent end to end under its key: repeats, conflicts, and a retry that
// finishes a creation that failed part-way (record stored, document or desk write failed).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { entryDocName, fileDocName } from '../../shared/collab/docName.js';
import { readDeskOrder } from '../../shared/collab/deskDoc.js';
import { readPlainText } from '../../server/features/entries/entryText.js';
import { api, signIn, startTestServer, type TestServer } from '../support/startTestServer.js';

let server: TestServer;
let editor: string;
let correspondent: string;
let fileId: string;

beforeAll(async () => {
  server = await startTestServer();
  editor = await signIn(server, 'editor');
  correspondent = await signIn(server, 'correspondent');
  const created = await api(server, editor, 'POST', '/api/live-files', { title: 'Idempotency desk', timezone: 'Asia/Almaty' });
  fileId = created.json.id as string;
});
afterAll(() => server.close());

const post = (cookie: string, body: object) => api(server, cookie, 'POST', `/api/live-files/${fileId}/entries`, body);

/** A document as stored (what a restart would load), not what a server holds in memory. */
async function storedDoc(docName: string): Promise<Y.Doc> {
  const stored = await server.store.docs.load(docName);
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const { update } of stored.updates) Y.applyUpdate(doc, update);
  return doc;
}
async function deskRowsOf(entryId: string): Promise<number> {
  return readDeskOrder(await storedDoc(fileDocName(fileId))).filter((i) => i.entryId === entryId).length;
}
async function entriesWithKeyIn(key: string): Promise<number> {
  return (await server.store.entries.listByLiveFile(fileId)).filter((e) => e.idempotencyKey === key).length;
}
/** Counts 'entry:created' for one entry from now on. */
function countCreated(): { of(entryId: string): number; stop(): void } {
  const seen: string[] = [];
  const on = (e: { id: string }) => seen.push(e.id);
  server.server.services.events.on('entry:created', on);
  return { of: (id) => seen.filter((s) => s === id).length, stop: () => server.server.services.events.off('entry:created', on) };
}
/** Makes the next `times` server-side changes of `docName` fail before anything is written. */
function failChangesOf(docName: string, times = 1): () => void {
  const collab = server.server.collab;
  const original = collab.change;
  let left = times;
  collab.change = (name, fn) => {
    if (name === docName && left-- > 0) return Promise.reject(new Error(`injected failure writing ${name}`));
    return original.call(collab, name, fn);
  };
  return () => void (collab.change = original);
}

describe('entry creation under an idempotency key', () => {
  it('[EN10] the same key and payload twice: one entry, one desk row, one created event', async () => {
    const created = countCreated();
    const body = { idempotencyKey: randomUUID(), text: 'Roads into Medeu are closed.', headline: 'Roads closed' };
    const first = await post(editor, body);
    const second = await post(editor, body);
    expect([first.status, second.status]).toEqual([201, 200]);
    expect(second.json.id).toBe(first.json.id);
    expect(second.json).toEqual(first.json);
    const id = first.json.id as string;
    expect(await entriesWithKeyIn(body.idempotencyKey)).toBe(1);
    expect(await deskRowsOf(id)).toBe(1);
    expect(readPlainText(await storedDoc(entryDocName(id)))).toBe(body.text);
    expect(created.of(id)).toBe(1);
    created.stop();
  });

  it('[EN10] concurrent repeats of one request: one entry, its text once, one desk row, one created event', async () => {
    const created = countCreated();
    const body = { idempotencyKey: randomUUID(), text: 'Evacuation buses leave at noon.' };
    const results = await Promise.all(Array.from({ length: 4 }, () => post(editor, body)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 201]);
    const id = results[0].json.id as string;
    expect(new Set(results.map((r) => r.json.id))).toEqual(new Set([id]));
    expect(await entriesWithKeyIn(body.idempotencyKey)).toBe(1);
    expect(await deskRowsOf(id)).toBe(1);
    expect(readPlainText(await storedDoc(entryDocName(id)))).toBe(body.text);
    expect(created.of(id)).toBe(1);
    created.stop();
  });

  it('[EN11] the same key with another text or headline is 409 conflict, never the first entry', async () => {
    const key = randomUUID();
    const first = await post(editor, { idempotencyKey: key, text: 'Water is rising.', headline: 'Flood' });
    expect(first.status).toBe(201);
    for (const changed of [
      { idempotencyKey: key, text: 'Water is falling.', headline: 'Flood' },
      { idempotencyKey: key, text: 'Water is rising.', headline: 'Flood update' },
      { idempotencyKey: key, text: 'Water is rising.' },
    ]) {
      const repeat = await post(editor, changed);
      expect(repeat.status).toBe(409);
      expect(repeat.json.error?.code).toBe('conflict');
      expect(repeat.json.id).toBeUndefined();
      expect(JSON.stringify(repeat.json)).not.toContain(first.json.id as string);
    }
    expect(await entriesWithKeyIn(key)).toBe(1);
    expect(readPlainText(await storedDoc(entryDocName(first.json.id as string)))).toBe('Water is rising.');
  });

  it('[EN11] another account reusing a key is 409 conflict and never sees the entry', async () => {
    const body = { idempotencyKey: randomUUID(), text: 'Desk note.' };
    const first = await post(editor, body);
    expect(first.status).toBe(201);
    const other = await post(correspondent, body);
    expect(other.status).toBe(409);
    expect(other.json.error?.code).toBe('conflict');
    expect(JSON.stringify(other.json)).not.toContain(first.json.id as string);
  });

  it('[EN12] the desk write fails once: the retry finishes the creation; text and desk row once', async () => {
    const created = countCreated();
    const body = { idempotencyKey: randomUUID(), text: 'Power is back in Bostandyk.\n\nMetro runs again.', headline: 'Power back' };
    const restore = failChangesOf(fileDocName(fileId));
    const failed = await post(editor, body);
    restore();
    expect(failed.status).toBe(500);
    expect(failed.json.error?.code).toBe('internal');
    const [record] = (await server.store.entries.listByLiveFile(fileId)).filter((e) => e.idempotencyKey === body.idempotencyKey);
    expect(record.setupPending).toBe(true); // stored, not yet on the desk
    expect(await deskRowsOf(record.id)).toBe(0);
    expect(created.of(record.id)).toBe(0);

    const retry = await post(editor, body);
    expect(retry.status).toBe(201);
    expect(retry.json.id).toBe(record.id);
    expect(retry.json.headline).toBe('Power back');
    expect(await entriesWithKeyIn(body.idempotencyKey)).toBe(1);
    expect(await deskRowsOf(record.id)).toBe(1);
    expect(readPlainText(await storedDoc(entryDocName(record.id)))).toBe(body.text); // written once, not twice
    expect((await server.store.entries.findById(record.id))?.setupPending).toBe(false);
    expect(created.of(record.id)).toBe(1);
    // And from now on it is a plain repeat.
    const again = await post(editor, body);
    expect(again.status).toBe(200);
    expect(await deskRowsOf(record.id)).toBe(1);
    expect(created.of(record.id)).toBe(1);
    created.stop();
  });

  it('[EN12] the text write fails once: the retry writes the text and the desk row', async () => {
    const body = { idempotencyKey: randomUUID(), text: 'Schools are closed tomorrow.' };
    const collab = server.server.collab;
    const original = collab.change;
    let failedName: string | null = null;
    collab.change = (name, fn) => {
      if (failedName === null && name.startsWith('entry:')) {
        failedName = name;
        return Promise.reject(new Error('injected failure writing the entry text'));
      }
      return original.call(collab, name, fn);
    };
    const failed = await post(editor, body);
    collab.change = original;
    expect(failed.status).toBe(500);
    const retry = await post(editor, body);
    expect(retry.status).toBe(201);
    const id = retry.json.id as string;
    expect(failedName).toBe(entryDocName(id));
    expect(readPlainText(await storedDoc(entryDocName(id)))).toBe(body.text);
    expect(await deskRowsOf(id)).toBe(1);
  });

  it('[EN12] a retry after a failure survives a restart in between', async () => {
    const body = { idempotencyKey: randomUUID(), text: 'Bridge reopens at six.' };
    const restore = failChangesOf(fileDocName(fileId));
    expect((await post(editor, body)).status).toBe(500);
    restore();
    await server.restart();
    editor = await signIn(server, 'editor');
    const retry = await post(editor, body);
    expect(retry.status).toBe(201);
    const id = retry.json.id as string;
    expect(await entriesWithKeyIn(body.idempotencyKey)).toBe(1);
    expect(await deskRowsOf(id)).toBe(1);
    expect(readPlainText(await storedDoc(entryDocName(id)))).toBe(body.text);
  });
});
