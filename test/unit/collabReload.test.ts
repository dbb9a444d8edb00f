import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { pino } from 'pino';
import { CollabClose } from '../../shared/collab/closeCodes.js';
import { SharedDoc, type DocPeer } from '../../server/collab/SharedDoc.js';
import { memoryDocRepo } from '../support/memoryDocRepo.js';
import { WireFrame } from '../../server/edgeSupport/wireFrame.js';
import { entryFragment, insertText, textOf } from '../support/entryText.js';

const NAME = 'entry:reload-000001';

function fakePeer(): DocPeer & { sent: Uint8Array[]; resumed: number } {
  return {
    identity: { accountId: 'acct-x', sessionId: 's', sessionExpiresAt: '2999-01-01T00:00:00.000Z', displayName: 'X', color: '#000', role: 'editor' },
    ownedClientIds: new Set(),
    sent: [],
    resumed: 0,
    send(frame) {
      this.sent.push(frame instanceof WireFrame ? frame.payload : frame);
    },
    close() {},
    resume() {
      this.resumed++;
    },
  };
}

describe('collab reload after a failed apply', () => {
  it('[CO5] an update that throws mid-apply is not stored; the doc reloads from the store', async () => {
    const docs = memoryDocRepo();
    const seed = new Y.Doc();
    insertText(seed, 0, 'stored');
    await docs.append(NAME, Y.encodeStateAsUpdate(seed));
    const shared = await SharedDoc.load(NAME, { docs, logger: pino({ level: 'silent' }), compactEvery: 100 });
    const peer = fakePeer();
    shared.peers.add(peer);
    const original = shared.doc;
    // An observer that throws makes applyUpdate throw after the structs were integrated:
    // the same shape as a corrupt update that integrates partly.
    entryFragment(original).observeDeep(() => {
      throw new Error('boom');
    });
    const author = new Y.Doc();
    Y.applyUpdate(author, Y.encodeStateAsUpdate(seed));
    insertText(author, 6, ' and partial');
    const update = Y.encodeStateAsUpdate(author, Y.encodeStateVector(seed));
    const appendsBefore = docs.appends;
    // The reload's read of the store waits until we have seen the doc not ready.
    let releaseLoad!: () => void;
    const loadHeld = new Promise<void>((resolve) => (releaseLoad = resolve));
    docs.loadGate = () => loadHeld;
    // The author's client id is new to the doc: its claim is stored first, so this is a Promise.
    const received = shared.receiveClientUpdate(peer, update, 'acct-x');
    expect(received).toBeInstanceOf(Promise);
    const rejection = await received;
    expect(rejection?.close).toEqual(CollabClose.MalformedMessage);
    expect(shared.ready).toBe(false); // peers queue meanwhile
    releaseLoad();
    await shared.whenSettled();
    expect(shared.ready).toBe(true);
    expect(shared.doc).not.toBe(original);
    expect(textOf(shared.doc)).toBe('stored');
    expect(docs.appends).toBe(appendsBefore);
    expect(peer.sent).toHaveLength(0); // nothing was broadcast
    expect(peer.resumed).toBe(1);
    await shared.finish();
  });
});
