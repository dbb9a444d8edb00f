import { afterEach, describe, expect, it } from 'vitest';
import { SyncType, writeSync } from '../../server/collab/protocol.js';
import * as Y from 'yjs';
import { openEmbeddedStore } from '../../server/store/embedded/openEmbeddedStore.js';
import { openCollabDoc, openRawCollab, startCollabServer, until, waitFor } from '../support/collabClients.js';
import { appendText, insertText, textOf } from '../support/entryText.js';
import { memoryDocRepo } from '../support/memoryDocRepo.js';
import { tempDir } from '../support/tempDir.js';

const DOC = 'entry:sync-doc-0001';

describe('collab sync', () => {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  it('[CO1] two stock providers converge through the server', async () => {
    const server = await startCollabServer();
    cleanup.push(() => server.close());
    const a = await openCollabDoc(server.url, DOC);
    const b = await openCollabDoc(server.url, DOC);
    cleanup.push(() => a.destroy(), () => b.destroy());
    // Both type into an empty entry at once: each makes a first paragraph, as ProseMirror would.
    insertText(a.doc, 0, 'hello ');
    insertText(b.doc, 0, 'world ');
    const both = (d: Y.Doc) => textOf(d).includes('hello ') && textOf(d).includes('world ');
    await until(a.doc, 'update', () => both(a.doc));
    await until(b.doc, 'update', () => both(b.doc));
    expect(textOf(a.doc)).toBe(textOf(b.doc));
    expect(Y.encodeStateVector(a.doc)).toEqual(Y.encodeStateVector(b.doc));
  });

  it('[CO2] a provider reconnects after a server restart over the same embedded dir and finds the text', async () => {
    const dir = await tempDir();
    let store = await openEmbeddedStore({ dir });
    const server = await startCollabServer({ docs: store.docs });
    cleanup.push(() => server.close());
    const a = await openCollabDoc(server.url, DOC);
    cleanup.push(() => a.destroy());
    insertText(a.doc, 0, 'durable words');
    const closed = waitFor(a.provider as never, 'connection-close');
    await server.service.shutdown(); // flushes, compacts, closes with 1001
    await closed;
    await store.close();
    store = await openEmbeddedStore({ dir });
    cleanup.push(() => store.close());
    await server.restart(store.docs);
    await a.ensureConnected();
    const b = await openCollabDoc(server.url, DOC);
    cleanup.push(() => b.destroy());
    expect(textOf(b.doc)).toBe('durable words');
  });

  it('[CO4] an update is broadcast only after its append resolved', async () => {
    const docs = memoryDocRepo();
    const server = await startCollabServer({ docs });
    cleanup.push(() => server.close());
    const a = await openCollabDoc(server.url, DOC);
    cleanup.push(() => a.destroy());
    const raw = await openRawCollab(server.url, DOC);
    cleanup.push(() => raw.terminate());
    const held = docs.holdNextAppend();
    insertText(a.doc, 0, 'x');
    await held.requested;
    // A round trip on the raw socket: any premature broadcast would have arrived before this reply.
    const before = raw.frames.length;
    raw.send(Uint8Array.of(3)); // query-awareness
    await waitFor(raw, 'message');
    const updatesBefore = raw.frames.slice(before).filter((f) => f[0] === 0);
    expect(updatesBefore).toHaveLength(0);
    held.release();
    await waitFor(raw, 'message', 5000, (data: Buffer) => data[0] === 0 && data[1] === 2);
  });

  it('[CO3] frames sent while the doc loads are replayed in order', async () => {
    const docs = memoryDocRepo();
    const server = await startCollabServer({ docs });
    cleanup.push(() => server.close());
    let release!: () => void;
    const loadRequested = new Promise<void>((r) => {
      docs.loadGate = () => {
        r();
        return new Promise<void>((done) => (release = done));
      };
    });
    const raw = await openRawCollab(server.url, DOC);
    cleanup.push(() => raw.terminate());
    await loadRequested;
    const author = new Y.Doc();
    const updates: Uint8Array[] = [];
    author.on('update', (u: Uint8Array) => updates.push(u));
    for (const word of ['one ', 'two ', 'three ', 'four']) appendText(author, word);
    for (const u of updates) raw.send(writeSync(SyncType.Update, u)); // each depends on the one before
    raw.send(writeSync(SyncType.Step1, Y.encodeStateVector(new Y.Doc())));
    release();
    // The step-2 reply comes after the replayed updates: it holds the whole text.
    const [reply] = await waitFor<[Buffer]>(raw, 'message', 5000, (d: Buffer) => d[0] === 0 && d[1] === 1);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, readPayload(reply));
    expect(textOf(doc)).toBe('one two three four');
    expect(server.logs).toHaveLength(0);
  });
});


function readPayload(frame: Uint8Array): Uint8Array {
  // varUint(0) • varUint(kind) • varUint8Array: small kinds are one byte each.
  const dec = { arr: frame, pos: 2 };
  let len = 0;
  let mult = 1;
  for (;;) {
    const b = dec.arr[dec.pos++];
    len += (b & 0x7f) * mult;
    mult *= 128;
    if (b < 0x80) break;
  }
  return frame.subarray(dec.pos, dec.pos + len);
}
