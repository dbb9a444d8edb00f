import { diffWords } from 'diff';

/** One run of a word-level diff: unchanged, added (shown underlined) or removed (shown struck). */
export interface DiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

export interface WordDiff {
  parts: DiffPart[];
  /** Nothing was published before: every word is new. */
  isNew: boolean;
  /** Words added and removed (by Intl word segments, punctuation left out), for the summary line. */
  added: number;
  removed: number;
}

/** Word segments by Intl where the platform has it (Kazakh, Russian and Arabic words stay whole). */
const segmenter: Intl.Segmenter | undefined = typeof Intl.Segmenter === 'function' ? new Intl.Segmenter(undefined, { granularity: 'word' }) : undefined;

/**
 * The word-level difference between the published wording and the wording to approve (ux.md §2:
 * "Diff vs published"). A first publication (`before` null) is all added. Paragraph breaks are
 * text like any other, so a split paragraph shows as one change, not a rewrite.
 */
export function wordDiff(before: string | null, after: string): WordDiff {
  if (before === null) {
    const parts: DiffPart[] = after ? [{ kind: 'added', text: after }] : [];
    return { parts, isNew: true, added: countWords(after), removed: 0 };
  }
  const changes = diffWords(before, after, segmenter ? { intlSegmenter: segmenter } : {});
  const parts: DiffPart[] = [];
  let added = 0;
  let removed = 0;
  for (const c of changes) {
    const kind: DiffPart['kind'] = c.added ? 'added' : c.removed ? 'removed' : 'same';
    if (!c.value) continue;
    if (kind === 'added') added += countWords(c.value);
    if (kind === 'removed') removed += countWords(c.value);
    const last = parts[parts.length - 1];
    if (last && last.kind === kind) last.text += c.value;
    else parts.push({ kind, text: c.value });
  }
  return { parts, isNew: false, added, removed };
}

/** "2 words added, 1 removed", "No change in wording", "12 words, all new". */
export function diffSummary(d: WordDiff): string {
  if (d.isNew) return `${plural(d.added, 'word')}, all new`;
  if (d.added === 0 && d.removed === 0) return d.parts.some((p) => p.kind !== 'same') ? 'Only spacing or punctuation changed' : 'No change in wording';
  const bits = [];
  if (d.added) bits.push(`${plural(d.added, 'word')} added`);
  if (d.removed) bits.push(`${d.added ? d.removed : plural(d.removed, 'word')} removed`);
  return bits.join(', ');
}

export function countWords(text: string): number {
  if (segmenter) {
    let n = 0;
    for (const s of segmenter.segment(text)) if (s.isWordLike) n++;
    return n;
  }
  return text.split(/[\s\p{P}]+/u).filter(Boolean).length;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
