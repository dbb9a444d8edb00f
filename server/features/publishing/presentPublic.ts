import type { ReaderChange, ReaderEntry } from '../../../shared/realtime/liveEvents.js';
import type { ReaderChangeRecord, ReaderEntryRecord } from '../../store/ports/publishing.js';

/** One entry as the public API and the reader socket give it: published content only (the shared type). */
export type PublicEntry = ReaderEntry;
export type PublicChange = ReaderChange;

export function presentPublicEntry(r: ReaderEntryRecord): PublicEntry {
  return {
    id: r.entryId,
    seq: r.seq,
    revision: r.revision,
    html: r.html,
    text: r.text,
    headline: r.headline,
    ...(r.place ? { place: r.place } : {}),
    bylines: r.bylines,
    publishedAt: r.publishedAt,
    updatedAt: r.updatedAt,
    pinned: r.pinned,
    keyEvent: r.keyEvent,
    position: r.position,
    corrected: r.corrected,
    retracted: r.retracted,
  };
}

/** A stored change without its internal publication record (approver, ProseMirror JSON). */
export function presentPublicChange(c: ReaderChangeRecord): PublicChange {
  return { seq: c.seq, kind: c.kind, entryId: c.entryId, entry: presentPublicEntry(c.entry) };
}
