import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { DOC_ROOTS } from '../../shared/collab/docRoots.js';
import { addEntryToDesk } from '../../shared/collab/deskDoc.js';
import { checkUpdateV1 } from '../../server/collab/checkUpdate.js';
import { clientIdsWritten, findForeignRoot, lacksDependencies } from '../../server/collab/vetUpdate.js';
import { DocSize } from '../../server/collab/DocSize.js';
import { HeldUpdates } from '../../server/collab/HeldUpdates.js';
import { insertText } from '../support/entryText.js';

const decode = (doc: Y.Doc, since?: Uint8Array) => checkUpdateV1(Y.encodeStateAsUpdate(doc, since));
/** The document's clocks as they are now (a snapshot, unlike the live lookup the server uses). */
const svOf = (doc: Y.Doc) => {
  const sv = Y.decodeStateVector(Y.encodeStateVector(doc));
  return (client: number) => sv.get(client) ?? 0;
};
const none = () => 0;

describe('vetting a client update before it touches the document', () => {
  it('[CO30] only declared roots: an entry holds its fragment, a desk its entries map', () => {
    const entry = new Y.Doc();
    insertText(entry, 0, 'Алматы');
    expect(findForeignRoot(decode(entry), DOC_ROOTS.entry)).toBeNull();
    const desk = new Y.Doc();
    addEntryToDesk(desk, 'entry-aaaaaaaa');
    expect(findForeignRoot(decode(desk), DOC_ROOTS.file)).toBeNull();
    for (const build of [(d: Y.Doc) => d.getText('t').insert(0, 'x'), (d: Y.Doc) => d.getMap('__proto__').set('a', 1), (d: Y.Doc) => d.getMap('constructor').set('a', 1)]) {
      const doc = new Y.Doc();
      build(doc);
      expect(findForeignRoot(decode(doc), DOC_ROOTS.entry)).toMatch(/creates root/);
    }
    expect(findForeignRoot(decode(desk), DOC_ROOTS.entry)).toMatch(/creates root "entries"/);
    expect(findForeignRoot(decode(entry), DOC_ROOTS.file)).toMatch(/creates root "prosemirror"/);
  });

  it('[CO31] a declared root with the wrong kind of content is foreign too', () => {
    const text = new Y.Doc();
    text.get('prosemirror', Y.Text).insert(0, 'plain');
    expect(findForeignRoot(decode(text), DOC_ROOTS.entry)).toMatch(/only XML/);
    const scalar = new Y.Doc();
    scalar.getMap('entries').set('entry-aaaaaaaa', 'not a map');
    expect(findForeignRoot(decode(scalar), DOC_ROOTS.file)).toMatch(/keyed maps/);
  });

  it('[CO32] the client ids an update writes under are those it extends past the state vector', () => {
    const a = new Y.Doc();
    insertText(a, 0, 'one');
    const known = svOf(a);
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    insertText(b, 0, 'two');
    // b's update carries a's structs too (the server has them): only b's id is new.
    expect(clientIdsWritten(decode(b), known)).toEqual([b.clientID]);
    expect(clientIdsWritten(decode(a), known)).toEqual([]);
  });

  it('[CO34] an update lacks dependencies when a clock gap, an origin or a deleted range is missing', () => {
    const doc = new Y.Doc();
    insertText(doc, 0, 'base');
    const base = Y.encodeStateVector(doc);
    const server = svOf(doc);
    expect(lacksDependencies(decode(doc), none)).toBe(false); // complete from scratch
    insertText(doc, 4, ' first');
    const afterFirst = Y.encodeStateVector(doc);
    insertText(doc, 10, ' second');
    expect(lacksDependencies(decode(doc, afterFirst), server)).toBe(true); // clock gap
    expect(lacksDependencies(decode(doc, base), server)).toBe(false); // both, in order
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    const before = Y.encodeStateVector(other);
    insertText(other, 8, 'X'); // its origin is inside ' first', which the server lacks
    expect(lacksDependencies(decode(other, before), server)).toBe(true);
    expect(lacksDependencies(decode(other, before), svOf(doc))).toBe(false);
    const deleter = new Y.Doc();
    Y.applyUpdate(deleter, Y.encodeStateAsUpdate(doc));
    const beforeDelete = Y.encodeStateVector(deleter);
    deleter.getXmlFragment('prosemirror').delete(0, 1);
    expect(lacksDependencies(decode(deleter, beforeDelete), svOf(doc))).toBe(false);
    expect(lacksDependencies(decode(deleter, beforeDelete), none)).toBe(true); // deletes what the server never had
  });
});

describe('the size bound', () => {
  it('[DC3] an upper bound from update sizes; measured exactly only near the cap', () => {
    const size = new DocSize(1000);
    size.measured(600);
    const measure = vi.fn(() => 100);
    expect(size.wouldExceed(300, measure)).toBe(false);
    expect(measure).not.toHaveBeenCalled();
    size.grew(300);
    expect(size.wouldExceed(200, measure)).toBe(false); // bound 1100 > 1000, exact 100 + 200
    expect(measure).toHaveBeenCalledOnce();
    expect(size.lastMeasured).toBe(100);
    expect(size.wouldExceed(901, () => 100)).toBe(true);
  });
});

describe('held updates', () => {
  afterEach(() => vi.useRealTimers());
  const held = (bytes: number) => ({ update: new Uint8Array(bytes), decoded: checkUpdateV1(Y.encodeStateAsUpdate(new Y.Doc())), accountId: 'a' });

  it('[CO35] bounded in bytes per connection; taken back in arrival order when ready', () => {
    const expired = vi.fn();
    const h = new HeldUpdates<string>({ maxBytes: 100, maxAgeMs: 10_000 }, expired);
    const first = held(40);
    const second = held(40);
    expect(h.hold('peer', first)).toBe(true);
    expect(h.hold('peer', second)).toBe(true);
    expect(h.hold('peer', held(40))).toBe(false);
    expect(h.hold('other', held(40))).toBe(true); // per connection
    expect(h.takeReady(() => true)?.held).toBe(first);
    expect(h.takeReady((x) => x === second)?.held).toBe(second);
    h.clear();
    expect(h.size).toBe(0);
  });

  it('[CO36] a connection whose held update waits past maxAgeMs is reported once (injected clock)', () => {
    vi.useFakeTimers();
    const expired = vi.fn();
    const h = new HeldUpdates<string>({ maxBytes: 100, maxAgeMs: 500 }, expired);
    h.hold('late', held(10));
    h.hold('quick', held(10));
    h.drop('quick'); // its connection left
    vi.advanceTimersByTime(499);
    expect(expired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(expired).toHaveBeenCalledExactlyOnceWith('late');
    expect(h.size).toBe(0);
    h.hold('taken', held(10));
    expect(h.takeReady(() => true)).not.toBeNull(); // applied in time: nothing left to expire
    vi.advanceTimersByTime(1000);
    expect(expired).toHaveBeenCalledTimes(1);
  });
});
