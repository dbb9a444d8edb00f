import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CollabClose, MESSAGE_LINEAGE_RESET } from '../../shared/collab/closeCodes.js';
import { ENTRY_FRAGMENT } from '../../shared/editor/schema.js';
import { retiredDocName } from '../../server/collab/squash.js';
import { docsUnloaded, openCollabDoc, startCollabServer, until, waitFor, type CollabClient, type CollabTestServer } from '../support/collabClients.js';
import { memoryDocRepo, type MemoryDocRepo } from '../support/memoryDocRepo.js';
import { seededRandom } from '../support/seededRandom.js';

const ENTRY = 'entry:squash-00001';
const SQUASH_MIN_BYTES = 4000;

const paragraphs = (doc: Y.Doc) => doc.getXmlFragment(ENTRY_FRAGMENT).toArray().map((p) => (p instanceof Y.XmlElement ? p.toArray().join('') : ''));
const structCount = (doc: Y.Doc) => [...doc.store.clients.values()].reduce((n, structs) => n + structs.length, 0);

/** Two paragraphs whose history dwarfs their text: thousands of letters typed and deleted. */
function writeHeavyHistory(doc: Y.Doc, seed: number): void {
  const random = seededRandom(seed);
  const frag = doc.getXmlFragment(ENTRY_FRAGMENT);
  const texts = [new Y.XmlText(), new Y.XmlText()];
  doc.transact(() => frag.insert(0, texts.map((t) => {
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [t]);
    return p;
  })));
  for (let i = 0; i < 3000; i++) {
    const text = texts[i % 2]!;
    doc.transact(() => text.insert(Math.floor(random.next() * (text.length + 1)), 'xyz'[i % 3]!));
    if (text.length > 20) doc.transact(() => text.delete(Math.floor(random.next() * (text.length - 3)), 3));
  }
  doc.transact(() => {
    texts[0]!.delete(0, texts[0]!.length);
    texts[0]!.insert(0, 'Rescue teams reached the dam.');
    texts[1]!.delete(0, texts[1]!.length);
    texts[1]!.insert(0, 'Вода поднялась на улицах.');
  });
}

/** Resolves when the server tells this client its copy is a retired lineage (message 101). */
function lineageReset(client: CollabClient): Promise<void> {
  return new Promise((resolve) => {
    client.provider.messageHandlers[MESSAGE_LINEAGE_RESET] = () => resolve();
  });
}

describe('history squash of heavy idle entries', () => {
  let server: CollabTestServer;
  let docs: MemoryDocRepo;
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
    await server.close();
  });

  async function heavyEntryThenLeave(): Promise<CollabClient> {
    docs = memoryDocRepo();
    server = await startCollabServer({ docs, squashMinBytes: SQUASH_MIN_BYTES });
    const a = await openCollabDoc(server.url, ENTRY);
    cleanup.push(() => a.destroy());
    writeHeavyHistory(a.doc, 7);
    const b = await openCollabDoc(server.url, ENTRY);
    await until(b.doc, 'update', () => paragraphs(b.doc).join('|') === paragraphs(a.doc).join('|'), 10_000);
    b.destroy();
    a.provider.disconnect(); // A keeps its copy: a tab gone to sleep, a phone in a tunnel
    await docsUnloaded(server.service);
    return a;
  }

  it('[SQ7] an idle entry that is mostly history is stored as a new lineage; new clients get the same text from a few structs', async () => {
    const a = await heavyEntryThenLeave();
    const before = Y.encodeStateAsUpdate(a.doc).byteLength;
    expect(before).toBeGreaterThan(SQUASH_MIN_BYTES * 4);
    const stored = docs.raw(ENTRY);
    expect(stored.updates).toHaveLength(0);
    expect(stored.snapshot!.byteLength * 4).toBeLessThanOrEqual(before);
    expect(docs.raw(retiredDocName(ENTRY, 1)).snapshot).not.toBeNull(); // the old lineage is kept for late devices

    const fresh = await openCollabDoc(server.url, ENTRY);
    cleanup.push(() => fresh.destroy());
    expect(paragraphs(fresh.doc)).toEqual(['Rescue teams reached the dam.', 'Вода поднялась на улицах.']);
    expect(structCount(fresh.doc)).toBeLessThan(20);
    expect(structCount(a.doc)).toBeGreaterThan(1000);
  });

  it('[SQ8] a device that was away with unsent edits: they are merged (once), it is told to reload, nothing is duplicated', async () => {
    const a = await heavyEntryThenLeave();
    const live = await openCollabDoc(server.url, ENTRY);
    cleanup.push(() => live.destroy());
    // Someone edits the first paragraph on the new lineage while A is away.
    const first = live.doc.getXmlFragment(ENTRY_FRAGMENT).get(0) as Y.XmlElement;
    (first.get(0) as Y.XmlText).insert(0, 'UPDATE: ');
    // A, offline, rewrote the second paragraph and added a third.
    const aFrag = a.doc.getXmlFragment(ENTRY_FRAGMENT);
    a.doc.transact(() => {
      (((aFrag.get(1) as Y.XmlElement).get(0)) as Y.XmlText).insert(0, 'Обновлено: ');
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText('Power is back.')]);
      aFrag.insert(2, [p]);
    });

    const told = lineageReset(a);
    a.provider.connect();
    await told;
    const expected = ['UPDATE: Rescue teams reached the dam.', 'Обновлено: Вода поднялась на улицах.', 'Power is back.'];
    await until(live.doc, 'update', () => paragraphs(live.doc).join('|') === expected.join('|'), 10_000);
    // A stale device never receives the live lineage's frames (they would duplicate its text).
    expect(paragraphs(a.doc)).toEqual(['Rescue teams reached the dam.', 'Обновлено: Вода поднялась на улицах.', 'Power is back.']);

    // It reconnects again with the same copy (a stock client does not reload): nothing new, nothing twice.
    a.provider.disconnect();
    const toldAgain = lineageReset(a);
    a.provider.connect();
    await toldAgain;
    const probe = await openCollabDoc(server.url, ENTRY);
    cleanup.push(() => probe.destroy());
    expect(paragraphs(probe.doc)).toEqual(expected);
  });

  it('[SQ9] a device that was away with nothing unsent changes nothing', async () => {
    const a = await heavyEntryThenLeave();
    const told = lineageReset(a);
    a.provider.connect();
    await told;
    const fresh = await openCollabDoc(server.url, ENTRY);
    cleanup.push(() => fresh.destroy());
    expect(paragraphs(fresh.doc)).toEqual(['Rescue teams reached the dam.', 'Вода поднялась на улицах.']);
  });

  it('[SQ11] a live client whose copy gets mixed with a retired lineage (another tab) adds nothing twice', async () => {
    const a = await heavyEntryThenLeave();
    const live = await openCollabDoc(server.url, ENTRY);
    cleanup.push(() => live.destroy());
    const mixed = await openCollabDoc(server.url, ENTRY);
    cleanup.push(() => mixed.destroy());
    const told = lineageReset(mixed);
    Y.applyUpdate(mixed.doc, Y.encodeStateAsUpdate(a.doc)); // the old lineage's structs arrive after step 1
    await told;
    const probe = await openCollabDoc(server.url, ENTRY);
    cleanup.push(() => probe.destroy());
    expect(paragraphs(probe.doc)).toEqual(['Rescue teams reached the dam.', 'Вода поднялась на улицах.']);
    expect(paragraphs(live.doc)).toEqual(['Rescue teams reached the dam.', 'Вода поднялась на улицах.']);
  });

  it('[SQ10] clients may not write the lineage record: the connection closes, the doc stays as stored', async () => {
    await heavyEntryThenLeave();
    const c = await openCollabDoc(server.url, ENTRY);
    cleanup.push(() => c.destroy());
    const closed = waitFor<[{ code: number }]>(c.provider as never, 'connection-close', 5000);
    c.doc.getMap('lineage').set('retired', []);
    const [event] = await closed;
    expect(event.code).toBe(CollabClose.MalformedMessage.code);
    const fresh = await openCollabDoc(server.url, ENTRY);
    cleanup.push(() => fresh.destroy());
    expect((fresh.doc.getMap('lineage').get('retired') as unknown[]).length).toBe(1);
  });
});
