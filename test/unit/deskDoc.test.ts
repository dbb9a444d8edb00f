import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addEntryToDesk, deskEntries, keyBetween, moveEntry, readDeskOrder, removeEntryFromDesk, setKeyEvent, setLabel, setPinned,
} from '../../shared/collab/deskDoc.js';
import { seededRandom } from '../support/seededRandom.js';

const ids = (doc: Y.Doc) => readDeskOrder(doc).map((i) => i.entryId);

function deskWith(...entryIds: string[]): Y.Doc {
  const doc = new Y.Doc();
  for (const id of entryIds) addEntryToDesk(doc, id);
  return doc;
}

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe('desk doc', () => {
  it('[DK1] a new entry lands on top; fields default', () => {
    const doc = deskWith('e1', 'e2', 'e3');
    expect(ids(doc)).toEqual(['e3', 'e2', 'e1']);
    expect(readDeskOrder(doc)[0]).toMatchObject({ pinned: false, keyEvent: false, label: '' });
    addEntryToDesk(doc, 'e1', { label: 'again' }); // idempotent
    expect(ids(doc)).toEqual(['e3', 'e2', 'e1']);
  });

  it('[DK2] pinned entries come first, then position ascending', () => {
    const doc = deskWith('e1', 'e2', 'e3');
    setPinned(doc, 'e1', true);
    expect(ids(doc)).toEqual(['e1', 'e3', 'e2']);
    setKeyEvent(doc, 'e2', true);
    setLabel(doc, 'e2', 'Breaking');
    expect(readDeskOrder(doc)[2]).toMatchObject({ entryId: 'e2', keyEvent: true, label: 'Breaking' });
  });

  it('[DK3] moves: before, after, toTop', () => {
    const doc = deskWith('a', 'b', 'c', 'd'); // d c b a
    moveEntry(doc, 'a', { before: 'c' });
    expect(ids(doc)).toEqual(['d', 'a', 'c', 'b']);
    moveEntry(doc, 'd', { after: 'b' });
    expect(ids(doc)).toEqual(['a', 'c', 'b', 'd']);
    moveEntry(doc, 'b', { toTop: true });
    expect(ids(doc)).toEqual(['b', 'a', 'c', 'd']);
    moveEntry(doc, 'c', { before: 'missing' }); // unknown anchor: no-op
    expect(ids(doc)).toEqual(['b', 'a', 'c', 'd']);
  });

  it('[DK4] equal keys sort by entry id, and a move between equal neighbours still works', () => {
    const doc = deskWith('x', 'y', 'z');
    const entries = deskEntries(doc);
    for (const id of ['x', 'y', 'z']) entries.get(id)!.set('position', 'a0');
    expect(ids(doc)).toEqual(['x', 'y', 'z']);
    addEntryToDesk(doc, 'w');
    moveEntry(doc, 'w', { before: 'z' }); // neighbours y and z share a key
    const order = ids(doc);
    expect(order.indexOf('w')).toBeLessThan(order.indexOf('z'));
    expect(new Set(order).size).toBe(4);
  });

  it('[DK5] keyBetween tolerates equal, crossed and foreign keys', () => {
    expect(keyBetween('a0', 'a1') > 'a0').toBe(true);
    expect(typeof keyBetween('a1', 'a0')).toBe('string');
    expect(typeof keyBetween('a0', 'a0')).toBe('string');
    expect(typeof keyBetween('!!', null)).toBe('string');
  });

  it('[DK6] concurrent moves of one entry never duplicate or lose it', () => {
    const r = seededRandom();
    const a = deskWith(...Array.from({ length: 8 }, (_, i) => `e${i}`));
    const b = new Y.Doc();
    sync(a, b);
    for (let round = 0; round < 200; round++) {
      for (const doc of [a, b]) {
        const order = ids(doc);
        const id = r.pick(order);
        const anchor = r.pick(order.filter((x) => x !== id));
        if (r.chance(0.1)) moveEntry(doc, id, { toTop: true });
        else moveEntry(doc, id, r.chance(0.5) ? { before: anchor } : { after: anchor });
      }
      if (r.chance(0.3)) sync(a, b);
    }
    sync(a, b);
    expect(ids(a), `seed ${r.seed}`).toEqual(ids(b));
    expect(new Set(ids(a)).size, `seed ${r.seed}`).toBe(8);
  });

  it('[DK7] remove takes the entry off the desk', () => {
    const doc = deskWith('a', 'b');
    removeEntryFromDesk(doc, 'a');
    expect(ids(doc)).toEqual(['b']);
  });
});
