import { describe, expect, it } from 'vitest';
import { planBlockMerge } from '../../server/collab/blockMerge.js';

/** Applies a plan to plain strings the way squash.ts applies it to Yjs blocks. */
function apply(base: string[], ours: string[], current: string[]): string[] {
  const { deletes, inserts } = planBlockMerge(base, ours, current);
  const out: string[] = [];
  const after = (k: number) => inserts.filter((i) => i.after === k).map((i) => ours[i.ours]!);
  out.push(...after(-1));
  current.forEach((block, k) => {
    if (!deletes.has(k)) out.push(block);
    out.push(...after(k));
  });
  return out;
}

describe('block-level three-way merge (late edits against a retired lineage)', () => {
  it('[SQ1] nobody else edited: the result is ours', () => {
    expect(apply(['a', 'b', 'c'], ['a', 'B', 'c', 'd'], ['a', 'b', 'c'])).toEqual(['a', 'B', 'c', 'd']);
    expect(apply(['a', 'b', 'c'], ['b', 'c'], ['a', 'b', 'c'])).toEqual(['b', 'c']);
    expect(apply(['a', 'b'], ['x', 'a', 'b'], ['a', 'b'])).toEqual(['x', 'a', 'b']);
  });

  it('[SQ2] edits to different blocks both survive, each in place', () => {
    // ours rewrote b; since the squash, someone rewrote c and added e at the end.
    expect(apply(['a', 'b', 'c'], ['a', 'B', 'c'], ['a', 'b', 'C', 'e'])).toEqual(['a', 'B', 'C', 'e']);
  });

  it('[SQ3] both changed one block: both versions are kept, current first; nothing is lost', () => {
    expect(apply(['a', 'b', 'c'], ['a', 'b-ours', 'c'], ['a', 'b-theirs', 'c'])).toEqual(['a', 'b-theirs', 'b-ours', 'c']);
  });

  it('[SQ4] ours deleted a block someone else changed: the changed block stays', () => {
    expect(apply(['a', 'b', 'c'], ['a', 'c'], ['a', 'B2', 'c'])).toEqual(['a', 'B2', 'c']);
  });

  it('[SQ5] ours changed a block someone else deleted: ours comes back where it was', () => {
    expect(apply(['a', 'b', 'c'], ['a', 'B', 'c'], ['a', 'c'])).toEqual(['a', 'B', 'c']);
  });

  it('[SQ6] no late changes: nothing to do', () => {
    const plan = planBlockMerge(['a', 'b'], ['a', 'b'], ['a', 'x', 'b']);
    expect(plan.deletes.size).toBe(0);
    expect(plan.inserts).toEqual([]);
  });
});
