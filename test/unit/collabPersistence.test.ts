import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { pino } from 'pino';
import { DocPersistence } from '../../server/collab/DocPersistence.js';
import { checkUpdateV1 } from '../../server/collab/checkUpdate.js';
import { ProtocolError } from '../../server/collab/protocol.js';
import { addParagraph, insertText, textOf } from '../support/entryText.js';
import { memoryDocRepo } from '../support/memoryDocRepo.js';

const logger = pino({ level: 'silent' });

function updatesOf(n: number): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (let i = 0; i < n; i++) insertText(doc, i, String(i % 10)); // one update each
  return { doc, updates };
}

describe('collab persistence', () => {
  it('[CO19] updates enqueued in one tick become one append; callbacks run after it', async () => {
    const docs = memoryDocRepo();
    const { doc, updates } = updatesOf(5);
    const p = new DocPersistence({ docs, docName: 'entry:unit-000001', logger, compactEvery: 100, loadedIds: [], snapshot: () => Y.encodeStateAsUpdate(doc), onFailure: () => {}, onDurable: (m) => order.push(`batch:${docs.appends}:${m.byteLength}`) });
    const order: string[] = [];
    updates.forEach((u, i) => p.enqueue(u, () => order.push(`ack${i}:${docs.appends}`)));
    await p.drain();
    expect(docs.appends).toBe(1);
    // One broadcast for the batch (the merged update), before the per-update callbacks.
    const stored = docs.raw('entry:unit-000001').updates[0].update;
    expect(order).toEqual([`batch:1:${stored.byteLength}`, 'ack0:1', 'ack1:1', 'ack2:1', 'ack3:1', 'ack4:1']);
    const reloaded = new Y.Doc();
    Y.applyUpdate(reloaded, docs.raw('entry:unit-000001').updates[0].update);
    expect(textOf(reloaded)).toBe('01234');
  });

  it('[CO19] appends are serialized; finish() compacts everything into a snapshot', async () => {
    const docs = memoryDocRepo();
    const { doc, updates } = updatesOf(6);
    let inFlight = 0;
    let maxInFlight = 0;
    docs.appendGate = async () => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
    };
    const p = new DocPersistence({ docs, docName: 'entry:unit-000002', logger, compactEvery: 1000, loadedIds: [], snapshot: () => Y.encodeStateAsUpdate(doc), onFailure: () => {}, onDurable: () => {} });
    for (const u of updates) {
      p.enqueue(u);
      await new Promise((r) => setImmediate(r)); // a yield, so the next lands while one is in flight
    }
    await p.finish();
    expect(maxInFlight).toBe(1);
    expect(docs.raw('entry:unit-000002').updates).toHaveLength(0);
    expect(docs.compactions).toBe(1);
  });

  it('[CO19] a failed append reports failure and never runs its callbacks', async () => {
    const docs = memoryDocRepo();
    docs.appendGate = async () => {
      throw new Error('disk full');
    };
    const { doc, updates } = updatesOf(1);
    let failed: unknown = null;
    let acked = false;
    const p = new DocPersistence({ docs, docName: 'entry:unit-000003', logger, compactEvery: 10, loadedIds: [], snapshot: () => Y.encodeStateAsUpdate(doc), onFailure: (e) => (failed = e), onDurable: () => { throw new Error('a failed batch is never broadcast'); } });
    p.enqueue(updates[0], () => (acked = true));
    await p.drain();
    expect(failed).toBeInstanceOf(Error);
    expect(acked).toBe(false);
  });

  it('[CO5] checkUpdateV1 accepts V1 and rejects V2, truncation and garbage', () => {
    const { doc } = updatesOf(3);
    addParagraph(doc, 'v');
    expect(() => checkUpdateV1(Y.encodeStateAsUpdate(doc))).not.toThrow();
    expect(() => checkUpdateV1(Y.encodeStateAsUpdateV2(doc))).toThrow(ProtocolError);
    const v1 = Y.encodeStateAsUpdate(doc);
    expect(() => checkUpdateV1(v1.subarray(0, v1.length - 3))).toThrow(ProtocolError);
    expect(() => checkUpdateV1(Uint8Array.of(0xff, 0xff, 0xff))).toThrow(ProtocolError);
  });
});
