import * as Y from 'yjs';
import { generateKeyBetween } from 'fractional-indexing';
import { DESK_ENTRIES } from './docRoots.js';

/**
 * The desk doc `file:<liveFileId>`: Y.Map 'entries', entryId → Y.Map { position, pinned, keyEvent, label }.
 * Order: pinned first, then position ASCENDING (top of the desk = smallest key), ties by entryId,
 * so every replica sorts identically. A new entry gets a key below every other: it lands on top.
 * A move rewrites one field of one entry, so concurrent moves never duplicate or lose an entry
 * (a delete-plus-insert in a Y.Array would).
 */
export interface DeskItem {
  entryId: string;
  position: string;
  pinned: boolean;
  keyEvent: boolean;
  label: string;
}

export type DeskMove = { before?: string; after?: string } | { toTop: true };

export function deskEntries(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>(DESK_ENTRIES);
}

export function compareDeskItems(a: DeskItem, b: DeskItem): number {
  if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
  if (a.position !== b.position) return a.position < b.position ? -1 : 1;
  return a.entryId < b.entryId ? -1 : a.entryId > b.entryId ? 1 : 0;
}

export function readDeskOrder(doc: Y.Doc): DeskItem[] {
  const items: DeskItem[] = [];
  deskEntries(doc).forEach((m, entryId) => {
    if (m instanceof Y.Map) items.push(toItem(entryId, m));
  });
  return items.sort(compareDeskItems);
}

/** Idempotent: an entry already on the desk keeps its place. */
export function addEntryToDesk(doc: Y.Doc, entryId: string, opts: { label?: string } = {}, origin?: unknown): void {
  const entries = deskEntries(doc);
  if (entries.has(entryId)) return;
  doc.transact(() => {
    const m = new Y.Map<unknown>();
    m.set('position', topKey(doc));
    m.set('pinned', false);
    m.set('keyEvent', false);
    m.set('label', opts.label ?? '');
    entries.set(entryId, m);
  }, origin);
}

/** Rewrites only `entryId`'s position; neighbours are looked up in its own pinned group. */
export function moveEntry(doc: Y.Doc, entryId: string, to: DeskMove, origin?: unknown): void {
  const m = deskEntries(doc).get(entryId);
  if (!(m instanceof Y.Map)) return;
  const pinned = m.get('pinned') === true;
  const group = readDeskOrder(doc).filter((i) => i.entryId !== entryId && i.pinned === pinned);
  let index = 0; // insert before group[index]
  if (!('toTop' in to)) {
    const anchor = to.before ?? to.after;
    const at = group.findIndex((i) => i.entryId === anchor);
    if (at < 0) return; // the anchor left the desk or sits in the other group: nothing sensible to do
    index = to.before !== undefined ? at : at + 1;
  }
  doc.transact(() => m.set('position', keyAt(group, index)), origin);
}

export function setPinned(doc: Y.Doc, entryId: string, pinned: boolean, origin?: unknown): void {
  setField(doc, entryId, 'pinned', pinned, origin);
}
export function setKeyEvent(doc: Y.Doc, entryId: string, keyEvent: boolean, origin?: unknown): void {
  setField(doc, entryId, 'keyEvent', keyEvent, origin);
}
export function setLabel(doc: Y.Doc, entryId: string, label: string, origin?: unknown): void {
  setField(doc, entryId, 'label', label, origin);
}
export function removeEntryFromDesk(doc: Y.Doc, entryId: string, origin?: unknown): void {
  const entries = deskEntries(doc);
  if (entries.has(entryId)) doc.transact(() => entries.delete(entryId), origin);
}

/** A key strictly between two neighbours; tolerates equal, crossed or foreign keys. */
export function keyBetween(lo: string | null, hi: string | null): string {
  try {
    return generateKeyBetween(lo, hi);
  } catch {
    for (const [a, b] of [[null, hi], [lo, null]] as const) {
      try {
        return generateKeyBetween(a, b);
      } catch {
        /* try the next */
      }
    }
    return generateKeyBetween(null, null);
  }
}

function keyAt(group: DeskItem[], index: number): string {
  const hi = group[index]?.position ?? null;
  let j = index - 1;
  // Equal neighbours (concurrent moves picked the same key): step above the whole tie.
  while (j >= 0 && hi !== null && group[j].position >= hi) j--;
  return keyBetween(j >= 0 ? group[j].position : null, hi);
}

function topKey(doc: Y.Doc): string {
  let min: string | null = null;
  deskEntries(doc).forEach((m) => {
    const p = m instanceof Y.Map ? m.get('position') : undefined;
    if (typeof p === 'string' && (min === null || p < min)) min = p;
  });
  return keyBetween(null, min);
}

function setField(doc: Y.Doc, entryId: string, field: keyof Omit<DeskItem, 'entryId' | 'position'>, value: unknown, origin: unknown): void {
  const m = deskEntries(doc).get(entryId);
  if (m instanceof Y.Map) doc.transact(() => m.set(field, value), origin);
}

function toItem(entryId: string, m: Y.Map<unknown>): DeskItem {
  const position = m.get('position');
  const label = m.get('label');
  return {
    entryId,
    position: typeof position === 'string' ? position : '',
    pinned: m.get('pinned') === true,
    keyEvent: m.get('keyEvent') === true,
    label: typeof label === 'string' ? label : '',
  };
}
