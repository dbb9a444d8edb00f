import type { EntryStatus, WorkflowAction } from '../../../shared/workflow.js';
import type { PublicationSnapshot } from './publishing.js';
import type { AuditRecord } from './audit.js';

/**
 * What a transition still has to write elsewhere, stored by the winning transition itself (the
 * one conditional update): its audit record and, for publish/retract, what readers get. The
 * workflow then writes them idempotently and clears this, so a crash in between is finished at
 * start-up: never lost, never repeated.
 */
export interface PendingSteps {
  audit: AuditRecord;
  publication?: PublicationSnapshot;
}

/** The last workflow action on an entry: a losing concurrent request is told who won. */
export interface LastAction {
  action: WorkflowAction;
  actorId: string;
  at: string;
}

/** Entries: one update of a live file. Its text lives in the collab document `entry:<id>`. */
export interface EntryRecord {
  id: string;
  liveFileId: string;
  newsroomId: string;
  authorId: string;
  status: EntryStatus;
  /** Bumped on every workflow transition: the compare-and-set token. */
  version: number;
  preview: string;
  headline?: string;
  /** The place label the author typed (never read from GPS). */
  place?: string;
  bylines: string[];
  contributorIds: string[];
  /** Content revision: +1 whenever the wording (text, headline, bylines) changes. Starts at 1. */
  revision: number;
  /** Fingerprint of the wording at `revision` (publishing compares it with the document it reads). */
  revisionHash?: string;
  /** Who made the latest revision (named in a stale-approval conflict). */
  lastEditorId?: string;
  /** The revision readers see; absent until first published. */
  publishedRevision?: number;
  /** The chief's note on a rejected entry (kept until it is submitted again). */
  note?: string;
  /** When a scheduled entry goes out (ISO). */
  publishAt?: string;
  /** Set once when the entry is retracted. */
  retraction?: { reason: string; at: string };
  lastAction?: LastAction;
  /** Steps the last transition still owes (see PendingSteps). */
  pending?: PendingSteps;
  /** A scheduled entry's approved wording, rendered when the chief scheduled it: what goes out. */
  scheduled?: PublicationSnapshot;
  idempotencyKey?: string;
  /** Fingerprint of the create request behind `idempotencyKey`: a repeat with another payload is a conflict. */
  requestHash?: string;
  /** True from the record's insert until its document text and desk row are written (a retry finishes them). */
  setupPending?: boolean;
  createdAt: string;
  updatedAt: string;
}
export type NewEntry = Omit<EntryRecord, 'version' | 'revision'> & { version?: number; revision?: number };
export interface EntryExpected {
  status: EntryStatus;
  version: number;
}
/** Fields a transition sets; `null` removes the field (a resubmitted entry loses its note). */
export interface EntryTransitionPatch {
  status: EntryStatus;
  updatedAt: string;
  lastAction: LastAction;
  note?: string | null;
  publishAt?: string | null;
  retraction?: { reason: string; at: string };
  publishedRevision?: number;
  pending?: PendingSteps | null;
  scheduled?: PublicationSnapshot | null;
}
/** A new wording: applied only if the stored fingerprint is still `fromHash` (revision +1). */
export interface RevisionBump {
  fromHash: string | undefined;
  toHash: string;
  editorId: string | undefined;
  preview: string;
  updatedAt: string;
}
export type EntryMetaPatch = Partial<Pick<EntryRecord, 'preview' | 'headline' | 'place' | 'bylines' | 'setupPending' | 'updatedAt'>>;

/** An entry as a live file's row counts it. */
export type EntrySummary = Pick<EntryRecord, 'id' | 'newsroomId' | 'authorId' | 'updatedAt'>;

export interface EntryRepo {
  /** One record per (liveFileId, idempotencyKey); a repeat returns the first with created=false. */
  createOnce(entry: NewEntry): Promise<{ entry: EntryRecord; created: boolean }>;
  findById(id: string): Promise<EntryRecord | null>;
  /** Oldest first (the desk document holds the display order). */
  listByLiveFile(liveFileId: string): Promise<EntryRecord[]>;
  /** The same entries, only what a file's row needs (who may see each, when it last moved): no texts copied. */
  summariesByLiveFile(liveFileId: string): Promise<EntrySummary[]>;
  countByLiveFile(liveFileId: string): Promise<number>;
  /** Applies only if status and version still match (version is bumped); null when another writer won. */
  transition(id: string, expected: EntryExpected, patch: EntryTransitionPatch): Promise<EntryRecord | null>;
  updateMeta(id: string, patch: EntryMetaPatch): Promise<EntryRecord | null>;
  /** Compare-and-set on revisionHash; null when the fingerprint moved meanwhile (re-read and retry). */
  bumpRevision(id: string, bump: RevisionBump): Promise<EntryRecord | null>;
  /** Removes `pending` if the entry is still at `version` (the publishing step is done). */
  clearPending(id: string, version: number): Promise<void>;
  /** Entries whose publishing step has not finished (start-up recovery). */
  listPending(): Promise<EntryRecord[]>;
  /** Every entry in `status` across the store, oldest first (the scheduler, the approval queue). */
  listByStatus(status: EntryStatus, newsroomId?: string): Promise<EntryRecord[]>;
  /** One author's entries across live files, newest first (a correspondent's filings). */
  listByAuthor(authorId: string): Promise<EntryRecord[]>;
  /** Set-union, atomic: concurrent adds all survive. */
  addContributors(id: string, accountIds: string[]): Promise<EntryRecord | null>;
}
