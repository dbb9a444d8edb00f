import type { ReaderChangeRecord, ReaderEntryRecord } from '../../store/ports/publishing.js';

/** One entry as the public API and the reader socket give it: published content only. */
export interface PublicEntry {
  id: string;
  seq: number;
  revision: number;
  html: string;
  text: string;
  headline: string;
  /** The author's place label (typed by hand), or absent. */
  place?: string;
  bylines: string[];
  publishedAt: string;
  updatedAt: string;
  pinned: boolean;
  keyEvent: boolean;
  /** The desk order key: readers sort by (pinned first, position ascending, id). */
  position: string;
  corrected: boolean;
  retracted: null | { reason: string; at: string };
}

export interface PublicChange {
  seq: number;
  kind: ReaderChangeRecord['kind'];
  entryId: string;
  entry: PublicEntry;
}

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
