/**
 * What readers see, apart from the desk: one change log per live file (every change a reader
 * applies, numbered by a gap-free seq) and the current reader view of each published entry.
 * Only published content is ever written here: drafts, notes and desk-only fields never are.
 */

import type { ReaderChangeKind, ReaderEntry } from '../../../shared/realtime/liveEvents.js';

export type { ReaderChangeKind };

/** The published wording of one revision, rendered and sanitized at publish time. */
export interface PublicationSnapshot {
  kind: 'published' | 'corrected' | 'retracted';
  revision: number;
  html: string;
  /** Plain text: paragraphs joined by a blank line. */
  text: string;
  /** The ProseMirror JSON the HTML was rendered from. */
  doc: unknown;
  headline: string;
  place?: string;
  bylines: string[];
  authorIds: string[];
  /** Who published (or retracted). */
  approverId: string;
  at: string;
  retraction?: { reason: string; at: string };
}

/**
 * One published entry as readers get it: the shared reader entry (`id` stored as `entryId`), in its
 * live file. Its `seq` is that of the last change applied to it: a late writer never overwrites a
 * newer one.
 */
export type ReaderEntryRecord = Omit<ReaderEntry, 'id'> & { entryId: string; liveFileId: string };

export interface ReaderChangeRecord {
  liveFileId: string;
  seq: number;
  kind: ReaderChangeKind;
  entryId: string;
  /** Unique per logical change: a retried publishing step finds its change already stored. */
  changeKey: string;
  at: string;
  /** The entry as readers see it after this change. */
  entry: ReaderEntryRecord;
  /** For published/corrected/retracted: the full published record (who, the ProseMirror JSON). */
  publication?: PublicationSnapshot;
}

/** Cursor position in the reader order (pinned first, then position, then entryId). */
export interface ReaderCursor {
  pinned: boolean;
  position: string;
  entryId: string;
}

export interface PublishingRepo {
  /** Highest seq stored for the live file, 0 when none. */
  lastSeq(liveFileId: string): Promise<number>;
  /**
   * Stores the change at exactly `change.seq`. `{ inserted: false, existing }` when a change with
   * the same changeKey is stored already (a retry); throws DuplicateKeyError('readerChanges') when
   * the seq is taken by another change (the caller takes the next seq and tries again).
   */
  appendChange(change: ReaderChangeRecord): Promise<{ inserted: true } | { inserted: false; existing: ReaderChangeRecord }>;
  /** Changes with seq > after, ascending, at most `limit`. */
  changesAfter(liveFileId: string, after: number, limit: number): Promise<ReaderChangeRecord[]>;
  /** Every published/corrected/retracted change of one entry, oldest first: its published wordings. */
  publicationsOf(entryId: string): Promise<ReaderChangeRecord[]>;
  /** Inserts or replaces the entry's reader record unless the stored one has a seq >= entry.seq. */
  putReaderEntry(entry: ReaderEntryRecord): Promise<void>;
  findReaderEntry(entryId: string): Promise<ReaderEntryRecord | null>;
  /**
   * Reader order: pinned first, then position ascending, then entryId ascending (plain string order,
   * never locale: desk keys are ASCII, so it is byte order); strictly after `after`, at most `limit`.
   */
  listReaderEntries(liveFileId: string, opts: { after?: ReaderCursor; limit: number }): Promise<ReaderEntryRecord[]>;
  /** The feeds' order: newest `publishedAt` first (ISO strings, so byte order), then entryId descending; at most `limit`. */
  recentReaderEntries(liveFileId: string, limit: number): Promise<ReaderEntryRecord[]>;
}
