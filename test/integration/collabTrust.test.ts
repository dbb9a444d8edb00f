// A logged-in writer is an attacker's best position: declared roots, owned client ids, and
// updates held aside until their dependencies arrive (docs/spec.md CO30-CO39).
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CollabClose } from '../../shared/collab/closeCodes.js';
import { ENTRY_FRAGMENT } from '../../shared/collab/docRoots.js';
import { addEntryToDesk, readDeskOrder } from '../../shared/collab/deskDoc.js';
import { Limits } from '../../shared/limits.js';
import { SyncType, writeSync } from '../../server/collab/protocol.js';
import { presenceFrame } from '../support/presence.js';
import { openDocLogs } from '../../server/store/embedded/docLogs.js';
import type { DocRepo } from '../../server/store/Store.js';
import { openCollabDoc, openRawCollab, startCollabServer, storedState, until, waitFor, type CollabClient, type CollabTestServer } from '../support/collabClients.js';
import { insertText, textOf } from '../support/entryText.js';
import { tempDir } from '../support/tempDir.js';

const ENTRY = 'entry:trust-entry-01';
const DESK = 'file:trust-desk-001';

describe('collab that trusts no writer', () => {
  let server: CollabTestServer;
  let docs: DocRepo & { close(): Promise<void> };
  const cleanup: Array<() => void> = [];

  async function start(docName = ENTRY): Promise<CollabClient> {
    docs = await openDocLogs(await tempDir());
    server = await startCollabServer({ docs });
    const editor = await openCollabDoc(server.url, docName, { headers: { 'x-account': 'acct-editor' } });
    cleanup.push(() => editor.destroy());
    return editor;
  }
  afterEach(async () => {
    for (const fn of cleanup.splice(0)) fn();
    await server.close();
    await docs.close();
  });

  /** Sends one update frame as `account` on a raw socket; resolves with the close code (or null if still open after an echo). */
  async function sendAs(account: string, docName: string, update: Uint8Array): Promise<number> {
    const raw = await openRawCollab(server.url, docName, { 'x-account': account });
    cleanup.push(() => raw.terminate());
    const closed = waitFor<[number]>(raw, 'close');
    raw.send(writeSync(SyncType.Update, update));
    return (await closed)[0];
  }

  /** Resolves once the server has stored what `client` wrote: a joiner only gets what is durable. */
  async function stored(client: CollabClient, docName = ENTRY): Promise<Uint8Array> {
    const probe = await openCollabDoc(server.url, docName);
    const same = () => Buffer.from(Y.encodeStateVector(probe.doc)).equals(Buffer.from(Y.encodeStateVector(client.doc)));
    await until(probe.doc, 'update', same);
    probe.destroy();
    return storedState(docs, docName);
  }

  async function expectStoredUnchanged(docName: string, before: Uint8Array): Promise<void> {
    expect(await storedState(docs, docName)).toEqual(before);
  }

  function updateWith(build: (doc: Y.Doc) => void, clientID?: number): Uint8Array {
    const author = new Y.Doc();
    if (clientID !== undefined) author.clientID = clientID;
    build(author);
    return Y.encodeStateAsUpdate(author);
  }

  /** New structs under `victim`'s client id, continuing its clock: what a forger would send. */
  function forgeUnder(victim: Y.Doc, text: string): Uint8Array {
    const forged = new Y.Doc();
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(victim));
    forged.clientID = victim.clientID; // after the apply: yjs would pick a new id on seeing its own
    const sv = Y.encodeStateVector(forged);
    insertText(forged, 0, text);
    return Y.encodeStateAsUpdate(forged, sv);
  }

  it('[CO30] an update creating an undeclared root (text, __proto__, a map in an entry) is refused whole, nothing applied or stored', async () => {
    const editor = await start();
    insertText(editor.doc, 0, 'kept');
    const before = await stored(editor);
    const hostile = [
      updateWith((d) => d.getText('text').insert(0, 'sneaky')),
      updateWith((d) => d.getMap('__proto__').set('polluted', true)),
      updateWith((d) => d.getMap('entries').set('x', 1)),
      // One good struct with one bad: refused whole, the good one too.
      updateWith((d) => {
        insertText(d, 0, 'innocent');
        d.getArray('lineage').push([1]);
      }),
    ];
    for (const update of hostile) expect(await sendAs('acct-mallory', ENTRY, update)).toBe(CollabClose.MalformedMessage.code);
    await expectStoredUnchanged(ENTRY, before);
    const joiner = await openCollabDoc(server.url, ENTRY);
    cleanup.push(() => joiner.destroy());
    expect([...joiner.doc.share.keys()]).toEqual([ENTRY_FRAGMENT]);
    expect(textOf(joiner.doc)).toBe('kept');
  });

  it('[CO31] each root holds only its declared type: text straight in the fragment, non-map desk values are refused', async () => {
    const editor = await start(DESK);
    addEntryToDesk(editor.doc, 'entry-aaaaaaaa');
    const deskBefore = await stored(editor, DESK);
    expect(await sendAs('acct-mallory', DESK, updateWith((d) => d.getMap('entries').set('entry-bbbbbbbb', 'a string')))).toBe(CollabClose.MalformedMessage.code);
    expect(await sendAs('acct-mallory', DESK, updateWith((d) => d.getXmlFragment('entries').insert(0, [new Y.XmlText('x')])))).toBe(
      CollabClose.MalformedMessage.code,
    );
    await expectStoredUnchanged(DESK, deskBefore);
    const entryBefore = await storedState(docs, ENTRY);
    const textInFragment = updateWith((d) => d.get(ENTRY_FRAGMENT, Y.Text).insert(0, 'not xml'));
    expect(await sendAs('acct-mallory', ENTRY, textInFragment)).toBe(CollabClose.MalformedMessage.code);
    const mapInFragment = updateWith((d) => d.getMap(ENTRY_FRAGMENT).set('k', 1));
    expect(await sendAs('acct-mallory', ENTRY, mapInFragment)).toBe(CollabClose.MalformedMessage.code);
    await expectStoredUnchanged(ENTRY, entryBefore);
    const joiner = await openCollabDoc(server.url, DESK);
    cleanup.push(() => joiner.destroy());
    expect(readDeskOrder(joiner.doc).map((i) => i.entryId)).toEqual(['entry-aaaaaaaa']);
  });

  it('[CO32] structs under a client id another account owns are refused whole; editors and joiners keep one document', async () => {
    const editor = await start();
    insertText(editor.doc, 0, 'the editor wrote this');
    const before = await stored(editor);
    // Mallory continues the editor's own clock under the editor's id, with other text.
    expect(await sendAs('acct-mallory', ENTRY, forgeUnder(editor.doc, 'FORGED '))).toBe(CollabClose.MalformedMessage.code);
    // A rewrite of clocks the server already holds, with other content: yjs keeps what it has
    // (the same id is the same struct), so nothing changes; the step 2 answer proves it was handled.
    const rewrite = updateWith((d) => insertText(d, 0, 'contradiction'), editor.doc.clientID);
    const raw = await openRawCollab(server.url, ENTRY, { 'x-account': 'acct-mallory' });
    cleanup.push(() => raw.terminate());
    raw.send(writeSync(SyncType.Update, rewrite));
    raw.send(writeSync(SyncType.Step1, Uint8Array.of(0)));
    await waitFor<[Buffer]>(raw, 'message', 5000, (data) => data[0] === 0 && data[1] === SyncType.Step2);
    await expectStoredUnchanged(ENTRY, before);
    insertText(editor.doc, 0, 'still mine: ');
    const joiner = await openCollabDoc(server.url, ENTRY);
    cleanup.push(() => joiner.destroy());
    await until(joiner.doc, 'update', () => textOf(joiner.doc) === textOf(editor.doc));
    expect(textOf(joiner.doc)).toBe('still mine: the editor wrote this');
    expect(Y.encodeStateVector(joiner.doc)).toEqual(Y.encodeStateVector(editor.doc));
  });

  it('[CO33] honest reconnects, offline drafts and two tabs of one person keep writing under their own ids', async () => {
    const tabA = await start();
    const tabB = await openCollabDoc(server.url, ENTRY, { headers: { 'x-account': 'acct-editor' } });
    cleanup.push(() => tabB.destroy());
    insertText(tabA.doc, 0, 'A ');
    await until(tabB.doc, 'update', () => textOf(tabB.doc) === 'A ');
    insertText(tabB.doc, textOf(tabB.doc).length, 'B ');
    await until(tabA.doc, 'update', () => textOf(tabA.doc) === 'A B ');
    // Offline: tab A types while disconnected, then comes back with the same client id.
    tabA.provider.disconnect();
    insertText(tabA.doc, 0, 'offline ');
    await tabA.ensureConnected();
    await until(tabB.doc, 'update', () => textOf(tabB.doc) === 'offline A B ');
    // A restart of the server: ownership is remembered with the document.
    await server.restart();
    await tabA.ensureConnected();
    insertText(tabA.doc, 0, 'after restart ');
    await until(tabB.doc, 'update', () => textOf(tabB.doc) === 'after restart offline A B ', 10_000);
    const before = await storedState(docs, ENTRY);
    expect(await sendAs('acct-mallory', ENTRY, forgeUnder(tabA.doc, 'x'))).toBe(CollabClose.MalformedMessage.code);
    await expectStoredUnchanged(ENTRY, before);
  });

  it('[CO34] an update missing its dependencies is held aside, never stored or sent to a joiner, and applied once they arrive', async () => {
    const editor = await start();
    insertText(editor.doc, 0, 'base ');
    await stored(editor);
    // A second tab of one person, offline from the server, relays over another path: its edit builds on one the server lacks.
    const tab = new Y.Doc();
    Y.applyUpdate(tab, Y.encodeStateAsUpdate(editor.doc));
    const beforeFirst = Y.encodeStateVector(tab);
    insertText(tab, 5, 'first ');
    const first = Y.encodeStateAsUpdate(tab, beforeFirst);
    const beforeSecond = Y.encodeStateVector(tab);
    insertText(tab, 11, 'second ');
    const second = Y.encodeStateAsUpdate(tab, beforeSecond);
    const raw = await openRawCollab(server.url, ENTRY, { 'x-account': 'acct-editor' });
    cleanup.push(() => raw.terminate());
    const storedBefore = await storedState(docs, ENTRY);
    raw.send(writeSync(SyncType.Update, second)); // its dependency has not arrived
    const joiner = await openCollabDoc(server.url, ENTRY);
    cleanup.push(() => joiner.destroy());
    expect(textOf(joiner.doc)).toBe('base ');
    expect(joiner.doc.store.pendingStructs).toBeNull();
    expect(await storedState(docs, ENTRY)).toEqual(storedBefore);
    raw.send(writeSync(SyncType.Update, first));
    await until(editor.doc, 'update', () => textOf(editor.doc) === 'base first second ');
    await until(joiner.doc, 'update', () => textOf(joiner.doc) === 'base first second ');
    expect(raw.readyState).toBe(raw.OPEN);
  });

  it('[CO35] held updates are bounded: past the byte cap the connection closes with PendingOverflow and nothing is stored', async () => {
    const editor = await start();
    insertText(editor.doc, 0, 'base');
    const before = await stored(editor);
    const author = new Y.Doc();
    Y.applyUpdate(author, Y.encodeStateAsUpdate(editor.doc));
    insertText(author, 0, 'never sent ');
    const sv = Y.encodeStateVector(author);
    insertText(author, 0, 'x'.repeat(Limits.maxHeldBytesPerConnection));
    const orphan = Y.encodeStateAsUpdate(author, sv);
    expect(await sendAs('acct-mallory', ENTRY, orphan)).toBe(CollabClose.PendingOverflow.code);
    await expectStoredUnchanged(ENTRY, before);
    expect(editor.provider.wsconnected).toBe(true);
  });

  it('[CO36] a held update whose dependencies never come is dropped after Limits.maxHeldMs and its connection closed', async () => {
    docs = await openDocLogs(await tempDir());
    server = await startCollabServer({ docs, held: { maxBytes: Limits.maxHeldBytesPerConnection, maxAgeMs: 200 } });
    const author = new Y.Doc();
    insertText(author, 0, 'missing ');
    const sv = Y.encodeStateVector(author);
    insertText(author, 0, 'orphan ');
    const raw = await openRawCollab(server.url, ENTRY, { 'x-account': 'acct-mallory' });
    cleanup.push(() => raw.terminate());
    const closed = waitFor<[number]>(raw, 'close');
    raw.send(writeSync(SyncType.Update, Y.encodeStateAsUpdate(author, sv)));
    expect((await closed)[0]).toBe(CollabClose.PendingOverflow.code);
    const joiner = await openCollabDoc(server.url, ENTRY);
    cleanup.push(() => joiner.destroy());
    expect(textOf(joiner.doc)).toBe('');
    // Never applied, so never claimed: an orphan leaves no owner record behind.
    expect([...(await docs.loadClientOwners(ENTRY)).values()]).not.toContain('acct-mallory');
  });

  it('[CO38] a client id seen in presence before its first edit is its account’s: another account cannot squat it', async () => {
    const editor = await start();
    const quiet = await openCollabDoc(server.url, ENTRY, { headers: { 'x-account': 'acct-quiet' } });
    cleanup.push(() => quiet.destroy());
    // Mallory learns the quiet editor's id from presence and writes under it first. (A stock
    // client's clock-0 state is ignored by receivers: like our client, set a field first.)
    quiet.provider.awareness.setLocalStateField('cursor', null);
    await until(editor.provider.awareness, 'change', () => editor.provider.awareness.getStates().has(quiet.doc.clientID));
    // Held in memory while it is connected: presence alone writes nothing to the store.
    expect((await docs.loadClientOwners(ENTRY)).has(quiet.doc.clientID)).toBe(false);
    const squat = updateWith((d) => insertText(d, 0, 'squatted'), quiet.doc.clientID);
    expect(await sendAs('acct-mallory', ENTRY, squat)).toBe(CollabClose.MalformedMessage.code);
    insertText(quiet.doc, 0, 'first words');
    await until(editor.doc, 'update', () => textOf(editor.doc) === 'first words');
    const joiner = await openCollabDoc(server.url, ENTRY);
    cleanup.push(() => joiner.destroy());
    expect(textOf(joiner.doc)).toBe('first words');
  });

  it('[CO39] a server-side change whose store write fails rejects (never hangs) and the doc reloads for its editors', async () => {
    const { memoryDocRepo } = await import('../support/memoryDocRepo.js');
    const memory = memoryDocRepo();
    docs = Object.assign(memory, { close: async () => undefined });
    server = await startCollabServer({ docs });
    memory.appendGate = async () => {
      memory.appendGate = async () => undefined;
      throw new Error('disk full');
    };
    await expect(server.service.change(ENTRY, (doc) => insertText(doc, 0, 'lost?'))).rejects.toThrow();
    await server.service.change(ENTRY, (doc) => insertText(doc, 0, 'stored'));
    const joiner = await openCollabDoc(server.url, ENTRY);
    cleanup.push(() => joiner.destroy());
    expect(textOf(joiner.doc)).toBe('stored');
  });

  it('[CO40] a colleague relaying the presence of an editor who lost signal does not take that editor’s id: the offline edits land on return', async () => {
    const away = await start();
    away.provider.awareness.setLocalStateField('cursor', null);
    const colleague = await openCollabDoc(server.url, ENTRY, { headers: { 'x-account': 'acct-colleague' } });
    cleanup.push(() => colleague.destroy());
    await until(colleague.provider.awareness, 'change', () => colleague.provider.awareness.getStates().has(away.doc.clientID));
    const id = away.doc.clientID;
    const clock = colleague.provider.awareness.meta.get(id)?.clock ?? 0;
    away.provider.disconnect(); // signal gone; nothing written yet under its id
    insertText(away.doc, 0, 'written offline');
    // Stock clients relay the presence they hear: the colleague's socket now mentions the id first.
    const relay = await openRawCollab(server.url, ENTRY, { 'x-account': 'acct-colleague' });
    cleanup.push(() => relay.terminate());
    relay.send(presenceFrame([[id, clock + 1, { cursor: null }]]));
    relay.send(writeSync(SyncType.Step1, Uint8Array.of(0)));
    await waitFor<[Buffer]>(relay, 'message', 5000, (data) => data[0] === 0 && data[1] === SyncType.Step2);
    await away.ensureConnected();
    await until(colleague.doc, 'update', () => textOf(colleague.doc) === 'written offline');
    expect(away.provider.wsconnected).toBe(true);
  });
});
