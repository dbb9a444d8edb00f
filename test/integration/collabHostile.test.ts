import { afterEach, describe, expect, it } from 'vitest';
import { SyncType, writeSync } from '../../server/collab/protocol.js';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { CollabClose } from '../../shared/collab/closeCodes.js';
import { Limits } from '../../shared/limits.js';
import { openCollabDoc, openRawCollab, startCollabServer, storedState, until, waitFor, type CollabClient, type CollabTestServer } from '../support/collabClients.js';
import { addParagraph, insertText, textOf } from '../support/entryText.js';

const DOC = 'entry:hostile-doc-01';


describe('collab hostile frames', () => {
  let server: CollabTestServer;
  let editor: CollabClient;
  let before: Uint8Array;
  const cleanup: Array<() => unknown> = [];

  /** Over the embedded doc log; returns once the editor's text is stored. */
  async function setup(): Promise<void> {
    server = await startCollabServer();
    editor = await openCollabDoc(server.url, DOC);
    insertText(editor.doc, 0, 'kept text');
    // The server broadcasts only what is durable: a second client seeing the text means it is stored.
    const watcher = await openCollabDoc(server.url, DOC);
    await until(watcher.doc, 'update', () => textOf(watcher.doc) === 'kept text');
    watcher.destroy();
  }
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
    editor.destroy();
    await server.close();
  });

  /** Sends the frames on a fresh raw socket; returns the close code. */
  async function sendHostile(...frames: Array<Uint8Array | string>): Promise<number> {
    before = await storedState(server.docs, DOC);
    const raw = await openRawCollab(server.url, DOC, { 'x-account': 'acct-mallory' });
    const closed = waitFor<[number]>(raw, 'close');
    for (const frame of frames) raw.send(frame);
    const [code] = await closed;
    return code;
  }

  async function expectOnlyThatConnectionClosed(): Promise<void> {
    expect(editor.provider.wsconnected).toBe(true);
    // A write after the hostile frame still goes through, and the stored doc was untouched before it.
    expect(await storedState(server.docs, DOC)).toEqual(before);
    const other = await openCollabDoc(server.url, DOC);
    expect(textOf(other.doc)).toBe('kept text');
    expect(other.doc.store.pendingStructs).toBeNull();
    other.destroy();
    const warns = server.logs.filter((l) => l.accountId === 'acct-mallory');
    expect(warns).toHaveLength(1);
    expect(warns[0]).toMatchObject({ docName: DOC, accountId: 'acct-mallory' });
    expect(typeof warns[0].reason).toBe('string');
  }

  it('[CO7] an unknown message type closes that connection only', async () => {
    await setup();
    expect(await sendHostile(Uint8Array.of(42))).toBe(CollabClose.MalformedMessage.code);
    await expectOnlyThatConnectionClosed();
  });

  it('[CO7] a truncated varint closes that connection only', async () => {
    await setup();
    expect(await sendHostile(Uint8Array.of(0x80))).toBe(CollabClose.MalformedMessage.code);
    await expectOnlyThatConnectionClosed();
  });

  it('[CO7] a garbage update closes that connection only', async () => {
    await setup();
    const garbage = Uint8Array.from({ length: 64 }, (_, i) => (i * 97 + 13) & 0xff);
    expect(await sendHostile(writeSync(SyncType.Update, garbage))).toBe(CollabClose.MalformedMessage.code);
    await expectOnlyThatConnectionClosed();
  });

  it('[CO5] a V2-encoded update closes that connection only and stores nothing', async () => {
    await setup();
    const author = new Y.Doc();
    insertText(author, 0, 'v2 text that must not land');
    addParagraph(author, 'and a second paragraph');
    expect(await sendHostile(writeSync(SyncType.Update, Y.encodeStateAsUpdateV2(author)))).toBe(CollabClose.MalformedMessage.code);
    await expectOnlyThatConnectionClosed();
  });

  it('[CO8] a frame over maxPayload is closed with 1009 by ws', async () => {
    await setup();
    const big = new Uint8Array(Limits.maxCollabFrameBytes + 1);
    expect(await sendHostile(big)).toBe(CollabClose.MessageTooBig.code);
    await expectOnlyThatConnectionClosed();
  });

  it('[CO7] a text frame closes that connection only', async () => {
    await setup();
    expect(await sendHostile('hello')).toBe(CollabClose.MalformedMessage.code);
    await expectOnlyThatConnectionClosed();
  });

  /** An update that builds on text the server never got: `chunks` orphans, each `bytes` long or so. */
  function orphans(chunks: number, bytes = 16): Uint8Array[] {
    const author = new Y.Doc();
    insertText(author, 0, 'the dependency we never send');
    const out: Uint8Array[] = [];
    for (let i = 0; i < chunks; i++) {
      const sv = Y.encodeStateVector(author);
      insertText(author, 0, `${i}`.padEnd(bytes, 'x'));
      out.push(Y.encodeStateAsUpdate(author, sv));
    }
    return out;
  }

  // Since the held-updates redesign (issue 8) an orphan no longer enters the doc's pending structs:
  // it is held aside for its connection until its dependencies arrive, so a joiner never inherits it.
  it('[CO6] an orphan update is held aside: never applied, never stored, never sent to a joiner', async () => {
    await setup();
    before = await storedState(server.docs, DOC);
    const raw = await openRawCollab(server.url, DOC, { 'x-account': 'acct-mallory' });
    cleanup.push(() => raw.terminate());
    const [orphan] = orphans(1);
    raw.send(writeSync(SyncType.Update, orphan));
    // A round trip on the same socket (frames are handled in order): step 1 from a client with nothing.
    raw.send(Uint8Array.of(0, 0, 1, 0));
    const [reply] = await waitFor<[Buffer]>(raw, 'message', 5000, (d: Buffer) => d[0] === 0 && d[1] === 1);
    expect(raw.readyState).toBe(raw.OPEN); // held, not refused: its dependencies may still come
    const answered = new Y.Doc();
    Y.applyUpdate(answered, readSyncPayload(reply)); // not even its own sender is answered with it
    expect(textOf(answered)).toBe('kept text');
    expect(answered.store.pendingStructs).toBeNull();
    expect(await storedState(server.docs, DOC)).toEqual(before);
    const joiner = await openCollabDoc(server.url, DOC);
    cleanup.push(() => joiner.destroy());
    expect(textOf(joiner.doc)).toBe('kept text');
    expect(joiner.doc.store.pendingStructs).toBeNull();
    expect(editor.doc.store.pendingStructs).toBeNull(); // nor broadcast to those already there
    expect(textOf(editor.doc)).toBe('kept text');
    expect(server.logs).toEqual([]);
  });

  it('[CO6] orphans past the held byte cap close with PendingOverflow and are never stored', async () => {
    await setup();
    const chunk = 256 * 1024;
    const frames = orphans(Math.ceil(Limits.maxHeldBytesPerConnection / chunk) + 1, chunk).map((u) => writeSync(SyncType.Update, u));
    expect(await sendHostile(...frames)).toBe(CollabClose.PendingOverflow.code);
    await expectOnlyThatConnectionClosed();
  });
});

/** The payload of sync(kind, payload) := varUint(0) • varUint(kind) • varByteArray(payload). */
function readSyncPayload(frame: Uint8Array): Uint8Array {
  const dec = decoding.createDecoder(frame);
  decoding.readVarUint(dec);
  decoding.readVarUint(dec);
  return decoding.readVarUint8Array(dec);
}
