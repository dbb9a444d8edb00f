import type { EntryView } from '../../shared/schemas/entry.js';
import type { DeskItem, DeskMove } from '../../shared/collab/deskDoc.js';
import { matchesSearch, searchWords } from './deskSearch.js';

/** The toolbar's filters, in button order. */
export const deskFilters = ['all', 'mine', 'key', 'drafts'] as const;
export type DeskFilter = (typeof deskFilters)[number];

/** One card on the desk: the entry and its desk-doc marks. */
export interface DeskRow {
  entry: EntryView;
  pinned: boolean;
  keyEvent: boolean;
}

/** The visible cards, in the two bands the desk shows: pinned on top, then the rest. */
export interface DeskRows {
  pinned: DeskRow[];
  rest: DeskRow[];
}

/**
 * Desk-doc order: pinned band first; entries not yet placed by the server go on top. The filter
 * and the search query (every word, see deskSearch.ts) hide rows; they never change the order.
 * Kept apart from the page because moves, drags and the copy all need the same visible order.
 */
export function deskRows(items: readonly DeskItem[], byId: ReadonlyMap<string, EntryView>, filter: DeskFilter, me: string | undefined, query = ''): DeskRows {
  const placed = new Set<string>();
  const pinned: DeskRow[] = [];
  const rest: DeskRow[] = [];
  for (const item of items) {
    const entry = byId.get(item.entryId);
    if (!entry) continue;
    placed.add(item.entryId);
    (item.pinned ? pinned : rest).push({ entry, pinned: item.pinned, keyEvent: item.keyEvent });
  }
  const unplaced = [...byId.values()].filter((e) => !placed.has(e.id)).sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  const words = searchWords(query);
  const keep = (r: DeskRow) => matchesFilter(r, filter, me) && matchesSearch(r.entry, words);
  return {
    pinned: pinned.filter(keep),
    rest: [...unplaced.map((entry) => ({ entry, pinned: false, keyEvent: false })), ...rest].filter(keep),
  };
}

/** Where a keyboard move takes an entry: an index in its visible band without it; null if it stays. */
export function moveTarget(rows: DeskRows, entryId: string, to: 'up' | 'down' | 'top'): { pinned: boolean; target: number } | null {
  const me = [...rows.pinned, ...rows.rest].find((r) => r.entry.id === entryId);
  if (!me) return null;
  const band = me.pinned ? rows.pinned : rows.rest;
  const idx = band.findIndex((r) => r.entry.id === entryId);
  const target = to === 'top' ? 0 : to === 'up' ? idx - 1 : idx + 1;
  if (target < 0 || target >= band.length || target === idx) return null;
  return { pinned: me.pinned, target };
}

/**
 * The desk-doc move that puts an entry at `target` in its visible band (`band` without the entry).
 * Anchored on visible neighbours (filters may hide some); the desk doc finds them in the full order.
 */
export function anchoredMove(band: readonly DeskRow[], target: number): DeskMove {
  const below = band[target]?.entry.id;
  const above = band[target - 1]?.entry.id;
  return target === 0 || (!below && !above) ? { toTop: true as const } : below ? { before: below } : { after: above! };
}

function matchesFilter(r: DeskRow, filter: DeskFilter, me: string | undefined): boolean {
  switch (filter) {
    case 'mine': return r.entry.authorId === me || r.entry.contributorIds.includes(me ?? '');
    case 'key': return r.keyEvent;
    case 'drafts': return r.entry.status === 'draft';
    default: return true;
  }
}
