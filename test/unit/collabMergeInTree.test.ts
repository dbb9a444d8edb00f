import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { mergeInTree } from '../../server/collab/mergeInTree.js';

describe('merging many updates', () => {
  it('[CO23] a tree of merges gives the same document as applying every update', () => {
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (u: Uint8Array) => updates.push(u));
    const text = source.getText('t');
    for (let i = 0; i < 3000; i++) {
      if (i % 7 === 3 && text.length > 2) text.delete(i % text.length, 1);
      else text.insert(i % (text.length + 1), 'Алматы'[i % 6]);
    }
    const merged = new Y.Doc();
    Y.applyUpdate(merged, mergeInTree(updates, 16));
    expect(merged.getText('t').toString()).toBe(text.toString());
    expect(Y.encodeStateVector(merged)).toEqual(Y.encodeStateVector(source));
  });
  it('[CO23] one update is returned as it is', () => {
    const u = Uint8Array.of(0, 0);
    expect(mergeInTree([u])).toBe(u);
  });
});
