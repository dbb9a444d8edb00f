import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CollabClose } from '../../shared/collab/closeCodes.js';
import { Limits } from '../../shared/limits.js';
import { readDeskOrder, addEntryToDesk } from '../../shared/collab/deskDoc.js';
import { docsUnloaded, openCollabDoc, openRawCollab, startCollabServer, storedState, until, waitFor, type CollabTestServer } from '../support/collabClients.js';
import { insertText, textOf } from '../support/entryText.js';
import { memoryDocRepo, type MemoryDocRepo } from '../support/memoryDocRepo.js';

const ENTRY = 'entry:lifecycle-0001';
const FILE = 'file:lifecycle-0001';

describe('collab lifecycle', () => {
  let server: CollabTestServer;
  let docs: MemoryDocRepo;
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
    await server.close();
  });

  it('[CO12] concurrent first connections share one load; the last leave unloads after compacting', async () => {
    docs = memoryDocRepo();
    server = await startCollabServer({ docs });
    const [a, b] = await Promise.all([openCollabDoc(server.url, ENTRY), openCollabDoc(server.url, ENTRY)]);
    expect(docs.loads).toBe(1);
    insertText(a.doc, 0, 'abc');
    await until(b.doc, 'update', () => textOf(b.doc) === 'abc');
    expect(server.service.stats()).toEqual({ loadedDocs: 1, connections: 2 });
    a.destroy();
    b.destroy();
    await docsUnloaded(server.service);
    expect(server.service.stats()).toEqual({ loadedDocs: 0, connections: 0 });
    expect(docs.raw(ENTRY).updates).toHaveLength(0); // folded into the snapshot
    expect(docs.raw(ENTRY).snapshot).not.toBeNull();
  });

  it('[CO41] view runs on the document once what was accepted is durable; inside holding, reads, settles and views load each document once, and it unloads after', async () => {
    docs = memoryDocRepo();
    server = await startCollabServer({ docs });
    const service = server.service;
    await service.change(FILE, (d) => addEntryToDesk(d, 'e-hold', { label: 'Almaty' }));
    await docsUnloaded(service);
    // An editor's edit whose store write is held back: the view waits for it, then sees it.
    const editor = await openCollabDoc(server.url, ENTRY);
    cleanup.push(() => editor.destroy());
    const append = docs.holdNextAppend();
    insertText(editor.doc, 0, 'Жаңалық — خبر — Новость');
    await append.requested;
    let seen: string | null = null;
    const viewing = service.view(ENTRY, (d) => (seen = textOf(d)));
    await new Promise((r) => setImmediate(r));
    expect(seen).toBeNull();
    append.release();
    await viewing;
    expect(seen).toBe('Жаңалық — خبر — Новость');
    editor.destroy();
    await docsUnloaded(service);

    const loadsBefore = docs.loads;
    const [text, stateBytes, deskItems] = await service.holding([ENTRY, FILE], async () => {
      const t = await service.view(ENTRY, (d) => textOf(d));
      await service.settleEdits(ENTRY);
      const bytes = await service.read(ENTRY);
      await service.settleEdits(ENTRY);
      const desk = await service.view(FILE, (d) => readDeskOrder(d).map((i) => i.entryId));
      return [t, bytes.byteLength, desk] as const;
    });
    expect(docs.loads - loadsBefore).toBe(2); // the entry once, the desk once
    expect(text).toBe('Жаңалық — خبر — Новость');
    expect(stateBytes).toBeGreaterThan(0);
    expect(deskItems).toEqual(['e-hold']);
    await docsUnloaded(service);
    expect(service.stats().loadedDocs).toBe(0);
    // A failing fn still lets the documents go.
    await expect(service.holding([ENTRY], async () => { throw new Error('refused'); })).rejects.toThrow('refused');
    await docsUnloaded(service);
    expect(service.stats().loadedDocs).toBe(0);
  });

  it('[CO3] too many frames while the doc loads close with QueueOverflow', async () => {
    docs = memoryDocRepo();
    server = await startCollabServer({ docs });
    let release!: () => void;
    const loadGate = new Promise<void>((r) => (release = r)); // loads only when we say so
    docs.loadGate = () => loadGate;
    const raw = await openRawCollab(server.url, ENTRY);
    const closed = waitFor<[number]>(raw, 'close');
    for (let i = 0; i <= Limits.maxQueuedFramesWhileLoading; i++) raw.send(Uint8Array.of(3));
    expect((await closed)[0]).toBe(CollabClose.QueueOverflow.code);
    release();
  });

  // The hook no longer gets the live doc (issue 8: features read the durable state through the
  // EntryDocs port): the text each call stands for is read here from what is stored at that moment.
  it('[CO13] onEntryEdited reports who edited, coalesced per doc, flushed on unload', async () => {
    docs = memoryDocRepo();
    const calls: Array<{ entryId: string; accountIds: string[]; text: string }> = [];
    const { EventEmitter } = await import('node:events');
    const hookEvents = new EventEmitter();
    server = await startCollabServer({
      docs,
      onEntryEdited: (entryId, accountIds) => {
        calls.push({ entryId, accountIds: [...accountIds].sort(), text: storedText(docs, ENTRY) });
        hookEvents.emit('call');
      },
    });
    const a = await openCollabDoc(server.url, ENTRY, { headers: { 'x-account': 'acct-a' } });
    const b = await openCollabDoc(server.url, ENTRY, { headers: { 'x-account': 'acct-b' } });
    insertText(a.doc, 0, 'one ');
    insertText(b.doc, 0, 'two ');
    await until(hookEvents, 'call', () => calls.length >= 1);
    expect(calls[0].entryId).toBe('lifecycle-0001');
    const seen = new Set(calls.flatMap((c) => c.accountIds));
    insertText(a.doc, 0, 'three ');
    a.destroy();
    b.destroy();
    await docsUnloaded(server.service);
    for (const c of calls) c.accountIds.forEach((id) => seen.add(id));
    expect([...seen].sort()).toEqual(['acct-a', 'acct-b']);
    expect(calls.at(-1)?.text).toContain('three');
  });

  it('[CO14] change() on an unloaded doc loads, persists and unloads again', async () => {
    server = await startCollabServer();
    await server.service.change(FILE, (doc) => addEntryToDesk(doc, 'entry-aaaaaaaa', { label: 'First' }));
    await docsUnloaded(server.service);
    const viewer = await openCollabDoc(server.url, FILE);
    cleanup.push(() => viewer.destroy());
    expect(readDeskOrder(viewer.doc).map((i) => i.label)).toEqual(['First']);
    await server.service.change(FILE, (doc) => addEntryToDesk(doc, 'entry-bbbbbbbb', { label: 'Second' }));
    await until(viewer.doc, 'update', () => readDeskOrder(viewer.doc).length === 2);
    expect(readDeskOrder(viewer.doc).map((i) => i.label)).toEqual(['Second', 'First']);
  });

  it('[CO15] closeSession closes only that session’s connections', async () => {
    server = await startCollabServer();
    const gone = await openRawCollab(server.url, ENTRY, { 'x-session': 'sess-gone' });
    const stays = await openCollabDoc(server.url, ENTRY, { headers: { 'x-session': 'sess-stays' } });
    cleanup.push(() => stays.destroy());
    const closed = waitFor<[number]>(gone, 'close');
    server.service.closeSession('sess-gone', CollabClose.AccessRevoked);
    expect((await closed)[0]).toBe(CollabClose.AccessRevoked.code);
    expect(stays.provider.wsconnected).toBe(true);
    expect(server.service.stats().connections).toBe(1);
  });

  it('[CO16] shutdown flushes, compacts and closes every connection with ServerShutdown', async () => {
    docs = memoryDocRepo();
    server = await startCollabServer({ docs, compactEvery: 1000 });
    const raw = await openRawCollab(server.url, ENTRY);
    const a = await openCollabDoc(server.url, ENTRY);
    cleanup.push(() => a.destroy());
    a.provider.shouldConnect = false; // stay down after the shutdown
    const closed = waitFor<[number]>(raw, 'close');
    const held = docs.holdNextAppend();
    insertText(a.doc, 0, 'last words');
    await held.requested; // a write is in flight when the shutdown starts
    const shutdown = server.service.shutdown();
    held.release();
    await shutdown;
    expect(docs.appends).toBe(1);
    expect((await closed)[0]).toBe(CollabClose.ServerShutdown.code);
    expect(docs.raw(ENTRY).updates).toHaveLength(0);
    const restored = await storedState(docs, ENTRY);
    expect(restored.length).toBeGreaterThan(10);
    expect(server.service.stats()).toEqual({ loadedDocs: 0, connections: 0 });
  });

  it('[CO17] the update log is compacted every compactEvery appends', async () => {
    docs = memoryDocRepo();
    server = await startCollabServer({ docs, compactEvery: 3 });
    const a = await openCollabDoc(server.url, ENTRY);
    cleanup.push(() => a.destroy());
    for (let i = 0; i < 4; i++) {
      insertText(a.doc, 0, `${i}`);
      await until(docs.events, 'append', () => docs.appends >= i + 1);
    }
    await until(docs.events, 'compact', () => docs.compactions >= 1);
    expect(docs.raw(ENTRY).updates.length).toBeLessThan(3);
  });
});

/** The entry's text as the memory repo holds it now (snapshot + log), read synchronously. */
function storedText(docs: MemoryDocRepo, name: string): string {
  const stored = docs.raw(name);
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const u of stored.updates) Y.applyUpdate(doc, u.update);
  const text = textOf(doc);
  doc.destroy();
  return text;
}
