// Three-way merge of an entry's top-level blocks, for edits made against a retired lineage of the
// document (see squash.ts): base = what the server had when it squashed, ours = base plus the late
// client's edits, current = the live document now. Blocks are compared whole (their XML string).
// Nothing is lost: a block both sides changed is kept twice (current's, then ours), never merged.

/** Pairs of equal items, in order, as a longest common subsequence (small inputs: O(n·m)). */
function matchInOrder(a: readonly string[], b: readonly string[]): Map<number, number> {
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const pairs = new Map<number, number>();
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (a[i] === b[j]) pairs.set(i++, j++);
    else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) i++;
    else j++;
  }
  return pairs;
}

export interface BlockMergePlan {
  /** Indexes into `current` to delete (blocks ours deleted or rewrote and nobody else touched). */
  deletes: Set<number>;
  /** Blocks of `ours` to insert, each after a `current` index (-1: at the top), in order. */
  inserts: Array<{ after: number; ours: number }>;
}

export function planBlockMerge(base: readonly string[], ours: readonly string[], current: readonly string[]): BlockMergePlan {
  const baseToOurs = matchInOrder(base, ours);
  const baseToCurrent = matchInOrder(base, current);
  const oursToBase = new Map([...baseToOurs].map(([b, o]) => [o, b]));
  const deletes = new Set<number>();
  for (let b = 0; b < base.length; b++) {
    const c = baseToCurrent.get(b);
    // Ours dropped (or rewrote) a block that is still as it was: remove it. If current changed
    // it, current's version stays.
    if (!baseToOurs.has(b) && c !== undefined) deletes.add(c);
  }
  const inserts: BlockMergePlan['inserts'] = [];
  const fromBase = new Set(baseToCurrent.values());
  // Blocks others wrote since the squash (not from base) that follow an anchor come first: the
  // late edit lands after them, so a block changed on both sides reads live version, then ours.
  const pastOthers = (k: number) => {
    while (k + 1 < current.length && !fromBase.has(k + 1)) k++;
    return k;
  };
  let after = -1;
  for (let o = 0; o < ours.length; o++) {
    const b = oursToBase.get(o);
    if (b === undefined) {
      inserts.push({ after: pastOthers(after), ours: o }); // new or rewritten by ours: where ours has it
      continue;
    }
    const c = baseToCurrent.get(b);
    if (c !== undefined) after = c; // an unchanged block: the next inserts follow it
  }
  return { deletes, inserts };
}
