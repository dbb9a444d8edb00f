// An entry's and a desk's stored state are capped (Limits.maxDocBytes): refused whole past it,
// nothing lost silently (docs/spec.md DC1-DC4).
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CollabClose } from '../../shared/collab/closeCodes.js';
import { addEntryToDesk, readDeskOrder } from '../../shared/collab/deskDoc.js';
import { Limits } from '../../shared/limits.js';
import { DocTooLargeError } from '../../server/features/entries/EntryDocs.js';
import { openDocLogs } from '../../server/store/embedded/docLogs.js';
import type { DocRepo } from '../../server/store/Store.js';
import { openCollabDoc, startCollabServer, storedState, until, waitFor, type CollabClient, type CollabTestServer } from '../support/collabClients.js';
import { deleteText, insertText, textOf } from '../support/entryText.js';
import { tempDir } from '../support/tempDir.js';

const ENTRY = 'entry:cap-entry-0001';
const DESK = 'file:cap-desk-00001';

describe('document size cap', () => {
  let server: CollabTestServer;
  let docs: DocRepo & { close(): Promise<void> };
  const cleanup: Array<() => void> = [];

  async function start(opts: { maxDocBytes?: number } = {}): Promise<void> {
    docs = await openDocLogs(await tempDir());
    server = await startCollabServer({ docs, ...opts });
  }
  async function editor(docName: string, account: string): Promise<CollabClient> {
    const client = await openCollabDoc(server.url, docName, { headers: { 'x-account': account } });
    cleanup.push(() => client.destroy());
    return client;
  }
  afterEach(async () => {
    for (const fn of cleanup.splice(0)) fn();
    await server.close();
    await docs.close();
  });

  it('[DC1] an update past Limits.maxDocBytes is refused whole with DocumentTooLarge; nothing stored, the writer keeps it, others go on', async () => {
    await start();
    const writer = await editor(ENTRY, 'acct-writer');
    const colleague = await editor(ENTRY, 'acct-colleague');
    insertText(writer.doc, 0, 'Начало. ');
    await until(colleague.doc, 'update', () => textOf(colleague.doc) === 'Начало. ');
    const before = await storedState(docs, ENTRY);
    const closed = waitFor<[{ code: number }]>(writer.provider, 'connection-close');
    writer.provider.shouldConnect = false; // as our client does for a stay-away code
    insertText(writer.doc, 8, 'ж'.repeat(Limits.maxDocBytes / 2 + 1024)); // 2 bytes a letter in UTF-8
    const [event] = await closed;
    expect(event.code).toBe(CollabClose.DocumentTooLarge.code);
    expect(textOf(writer.doc).length).toBeGreaterThan(Limits.maxDocBytes / 2);
    expect(await storedState(docs, ENTRY)).toEqual(before);
    insertText(colleague.doc, 0, 'Still open: ');
    const fresh = await editor(ENTRY, 'acct-fresh');
    await until(fresh.doc, 'update', () => textOf(fresh.doc) === 'Still open: Начало. ');
    expect(colleague.provider.wsconnected).toBe(true);
  });

  it('[DC2] a server-side change past the cap throws DocTooLargeError and changes nothing; the desk document is capped too', async () => {
    await start({ maxDocBytes: 16 * 1024 });
    const desk = await editor(DESK, 'acct-editor');
    await server.service.change(DESK, (doc) => addEntryToDesk(doc, 'entry-first-01'));
    const before = await storedState(docs, DESK);
    const bigLabel = 'x'.repeat(20 * 1024);
    await expect(server.service.change(DESK, (doc) => addEntryToDesk(doc, 'entry-toobig1', { label: bigLabel }))).rejects.toBeInstanceOf(DocTooLargeError);
    expect(await storedState(docs, DESK)).toEqual(before);
    await server.service.change(DESK, (doc) => addEntryToDesk(doc, 'entry-second1'));
    await until(desk.doc, 'update', () => readDeskOrder(desk.doc).length === 2);
    expect(readDeskOrder(desk.doc).map((i) => i.entryId).sort()).toEqual(['entry-first-01', 'entry-second1']);
  });

  it('[DC3] the cap is on the state, not the traffic: typing and deleting far more than the cap is accepted', async () => {
    const cap = 32 * 1024;
    await start({ maxDocBytes: cap });
    const writer = await editor(ENTRY, 'acct-writer');
    let traffic = 0;
    writer.doc.on('update', (u: Uint8Array) => (traffic += u.byteLength));
    for (let round = 0; round < 12; round++) {
      insertText(writer.doc, 0, 'a sentence that is typed and then deleted again. '.repeat(80));
      deleteText(writer.doc, 0, textOf(writer.doc).length);
    }
    insertText(writer.doc, 0, 'what is left');
    const fresh = await editor(ENTRY, 'acct-fresh');
    await until(fresh.doc, 'update', () => textOf(fresh.doc) === 'what is left', 10_000);
    expect(traffic).toBeGreaterThan(cap);
    expect(Y.encodeStateAsUpdate(fresh.doc).byteLength).toBeLessThan(cap);
    expect(writer.provider.wsconnected).toBe(true);
  });
});
