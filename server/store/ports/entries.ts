import type { EntryStatus } from '../../../shared/workflow.js';

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
  bylines: string[];
  contributorIds: string[];
  idempotencyKey?: string;
  /** Fingerprint of the create request behind `idempotencyKey`: a repeat with another payload is a conflict. */
  requestHash?: string;
  /** True from the record's insert until its document text and desk row are written (a retry finishes them). */
  setupPending?: boolean;
  createdAt: string;
  updatedAt: string;
}
export type NewEntry = Omit<EntryRecord, 'version'> & { version?: number };
export interface EntryExpected {
  status: EntryStatus;
  version: number;
}
export type EntryTransitionPatch = { status: EntryStatus; updatedAt: string };
export type EntryMetaPatch = Partial<Pick<EntryRecord, 'preview' | 'headline' | 'bylines' | 'setupPending' | 'updatedAt'>>;

export interface EntryRepo {
  /** One record per (liveFileId, idempotencyKey); a repeat returns the first with created=false. */
  createOnce(entry: NewEntry): Promise<{ entry: EntryRecord; created: boolean }>;
  findById(id: string): Promise<EntryRecord | null>;
  /** Oldest first (the desk document holds the display order). */
  listByLiveFile(liveFileId: string): Promise<EntryRecord[]>;
  countByLiveFile(liveFileId: string): Promise<number>;
  /** Applies only if status and version still match (version is bumped); null when another writer won. */
  transition(id: string, expected: EntryExpected, patch: EntryTransitionPatch): Promise<EntryRecord | null>;
  updateMeta(id: string, patch: EntryMetaPatch): Promise<EntryRecord | null>;
  /** Set-union, atomic: concurrent adds all survive. */
  addContributors(id: string, accountIds: string[]): Promise<EntryRecord | null>;
}
