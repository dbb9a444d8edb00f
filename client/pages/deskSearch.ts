import type { EntryView } from '../../shared/schemas/entry.js';

/** Lower-cased, NFC: "Алматы", "ҚАЗАҚ" and a decomposed "é" all match what a person types. */
function fold(s: string): string {
  return s.normalize('NFC').toLowerCase();
}

/** The query's words, folded; empty when there is nothing to search for. */
export function searchWords(query: string): string[] {
  return fold(query).split(/\s+/u).filter(Boolean);
}

/**
 * Every word of the query appears in the entry's headline, bylines, author or text preview (the
 * first 500 characters the server keeps for the list; entries are short, so that is nearly all).
 */
export function matchesSearch(entry: EntryView, words: readonly string[]): boolean {
  if (words.length === 0) return true;
  const haystack = fold([entry.headline ?? '', ...entry.bylines, entry.authorName, entry.preview].join('\n'));
  return words.every((w) => haystack.includes(w));
}
