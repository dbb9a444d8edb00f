import * as Y from 'yjs';
import { generateKeyBetween } from 'fractional-indexing';

/**
 * The desk doc `file:<id>`: Y.Map 'entries', entryId → Y.Map { position, pinned, keyEvent, label }.
 * Positions are fractional-index keys, ascending = top to bottom, ties broken by entry id
 * (a Y.Array move would duplicate an entry two editors move at once).
 *
 * Same names and shape as shared/collab/deskDoc.ts (owned by the collab engineer); when that lands,
 * this module should re-export from it. Only controllers import this.
 */
export interface DeskItem {
  entryId: string;
  position: string;
  pinned: boolean;
  keyEvent: boolean;
  label: string;
}

export function deskEntries(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>('entries');
}

export function readDeskOrder(doc: Y.Doc): DeskItem[] {
  const items: DeskItem[] = [];
  deskEntries(doc).forEach((m, entryId) => {
    if (!(m instanceof Y.Map)) return;
    const position = m.get('position');
    items.push({
      entryId,
      position: typeof position === 'string' ? position : '',
      pinned: m.get('pinned') === true,
      keyEvent: m.get('keyEvent') === true,
      label: typeof m.get('label') === 'string' ? (m.get('label') as string) : '',
    });
  });
  return items.sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : a.entryId < b.entryId ? -1 : 1));
}

/** A key strictly between two neighbours; tolerates equal or crossed keys left by concurrent moves. */
export function keyBetween(before: string | null, after: string | null): string {
  if (before !== null && after !== null && before >= after) return generateKeyBetween(before, null);
  try {
    return generateKeyBetween(before || null, after || null);
  } catch {
    return generateKeyBetween(before || null, null);
  }
}

/** Places `entryId` between two neighbours (by their positions) in one transaction. */
export function moveEntry(doc: Y.Doc, entryId: string, before: string | null, after: string | null, origin?: unknown): void {
  const m = deskEntries(doc).get(entryId);
  if (!m) return;
  doc.transact(() => m.set('position', keyBetween(before, after)), origin);
}

export function setPinned(doc: Y.Doc, entryId: string, pinned: boolean, origin?: unknown): void {
  const m = deskEntries(doc).get(entryId);
  if (m) doc.transact(() => m.set('pinned', pinned), origin);
}

export function setKeyEvent(doc: Y.Doc, entryId: string, keyEvent: boolean, origin?: unknown): void {
  const m = deskEntries(doc).get(entryId);
  if (m) doc.transact(() => m.set('keyEvent', keyEvent), origin);
}

export function setLabel(doc: Y.Doc, entryId: string, label: string, origin?: unknown): void {
  const m = deskEntries(doc).get(entryId);
  if (m) doc.transact(() => m.set('label', label), origin);
}
