import { afterEach, describe, expect, it } from 'vitest';
import { SyncType, writeSync } from '../../server/collab/protocol.js';
import * as Y from 'yjs';
import { CollabClose } from '../../shared/collab/closeCodes.js';
import { Limits } from '../../shared/limits.js';
import { openCollabDoc, openRawCollab, startCollabServer, storedState, until, waitFor, type CollabClient, type CollabTestServer } from '../support/collabClients.js';
import { memoryDocRepo, type MemoryDocRepo } from '../support/memoryDocRepo.js';

const DOC = 'entry:hostile-doc-01';


describe('collab hostile frames', () => {
  let server: CollabTestServer;
  let docs: MemoryDocRepo;
  let editor: CollabClient;
  let before: Uint8Array;

  async function setup(): Promise<void> {
    docs = memoryDocRepo();
    server = await startCollabServer({ docs });
    editor = await openCollabDoc(server.url, DOC);
    editor.doc.getText('t').insert(0, 'kept text');
    await until(docs.events, 'append', () => docs.appends > 0);
  }
  afterEach(async () => {
    editor.destroy();
    await server.close();
  });

  /** Sends one frame on a fresh raw socket; returns the close code. */
  async function sendHostile(frame: Uint8Array | string): Promise<number> {
    before = await storedState(docs, DOC);
    const raw = await openRawCollab(server.url, DOC, { 'x-account': 'acct-mallory' });
    const closed = waitFor<[number]>(raw, 'close');
    raw.send(frame);
    const [code] = await closed;
    return code;
  }

  async function expectOnlyThatConnectionClosed(): Promise<void> {
    expect(editor.provider.wsconnected).toBe(true);
    // A write after the hostile frame still goes through, and the stored doc was untouched before it.
    expect(await storedState(docs, DOC)).toEqual(before);
    const other = await openCollabDoc(server.url, DOC);
    expect(other.doc.getText('t').toString()).toBe('kept text');
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
    author.getText('t').insert(0, 'v2 text that must not land');
    author.getMap('m').set('k', 'v');
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

  it('[CO6] orphan structs past the cap close with PendingOverflow and are never stored', async () => {
    await setup();
    const author = new Y.Doc();
    author.getMap('m').set('k0', 0); // the dependency we never send
    const sv = Y.encodeStateVector(author);
    author.transact(() => {
      for (let i = 1; i <= Limits.maxPendingStructsPerDoc + 100; i++) author.getMap('m').set(`k${i}`, i);
    });
    const orphan = Y.encodeStateAsUpdate(author, sv);
    expect(await sendHostile(writeSync(SyncType.Update, orphan))).toBe(CollabClose.PendingOverflow.code);
    await expectOnlyThatConnectionClosed();
  });
});
