import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { mergeInTree } from '../../server/collab/mergeInTree.js';
import { entryText, entryXml, textOf } from '../support/entryText.js';

describe('merging many updates', () => {
  it('[CO23] a tree of merges gives the same document as applying every update', () => {
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (u: Uint8Array) => updates.push(u));
    const text = entryText(source); // an entry's first paragraph, as the client types into it
    for (let i = 0; i < 3000; i++) {
      if (i % 7 === 3 && text.length > 2) text.delete(i % text.length, 1);
      else text.insert(i % (text.length + 1), 'Алматы'[i % 6]);
    }
    const merged = new Y.Doc();
    Y.applyUpdate(merged, mergeInTree(updates, 16));
    expect(textOf(merged)).toBe(textOf(source));
    expect(entryXml(merged)).toBe(entryXml(source));
    expect(Y.encodeStateVector(merged)).toEqual(Y.encodeStateVector(source));
  });
  it('[CO23] one update is returned as it is', () => {
    const u = Uint8Array.of(0, 0);
    expect(mergeInTree([u])).toBe(u);
  });
});
