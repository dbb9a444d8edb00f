import type { Role } from '../../shared/roles.js';
import type { EntryStatus } from '../../shared/workflow.js';
import type { LiveFileStatus } from '../../shared/schemas/liveFile.js';

/**
 * The storage port. Two adapters implement it: embedded (nedb, default) and mongo (MONGODB_URI).
 * Rules every adapter keeps: single-document atomic operations only (no transactions);
 * dates are ISO strings; binary values come back as Uint8Array; strings round-trip byte-exact.
 */

export interface AccountRecord {
  id: string;
  newsroomId: string;
  username: string;
  /** Lower-cased username, unique. */
  usernameKey: string;
  displayName: string;
  role: Role;
  color: string;
  passwordHash: string;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}
export type NewAccount = Omit<AccountRecord, 'createdAt' | 'updatedAt'>;
export type AccountPatch = Partial<Pick<AccountRecord, 'displayName' | 'role' | 'color' | 'passwordHash' | 'active'>>;

export interface SessionRecord {
  /** sha256 of the cookie token; the token itself is never stored. */
  id: string;
  accountId: string;
  createdAt: string;
  expiresAt: string;
}

export interface LiveFileRecord {
  id: string;
  newsroomId: string;
  slug: string;
  title: string;
  status: LiveFileStatus;
  timezone: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** Bumped atomically on every change readers see. */
  seq: number;
}
export type NewLiveFile = Omit<LiveFileRecord, 'seq'>;

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
  createdAt: string;
  updatedAt: string;
}
export type NewEntry = Omit<EntryRecord, 'version'> & { version?: number };
export interface EntryExpected {
  status: EntryStatus;
  version: number;
}
export type EntryTransitionPatch = { status: EntryStatus; updatedAt: string };
export type EntryMetaPatch = Partial<Pick<EntryRecord, 'preview' | 'headline' | 'bylines' | 'updatedAt'>>;

export interface AccountRepo {
  create(account: NewAccount): Promise<AccountRecord>;
  findById(id: string): Promise<AccountRecord | null>;
  findByUsername(username: string): Promise<AccountRecord | null>;
  list(newsroomId: string): Promise<AccountRecord[]>;
  update(id: string, patch: AccountPatch): Promise<AccountRecord | null>;
  count(): Promise<number>;
}

export interface SessionRepo {
  create(session: SessionRecord): Promise<void>;
  findById(id: string): Promise<SessionRecord | null>;
  delete(id: string): Promise<void>;
  deleteByAccount(accountId: string): Promise<number>;
}

export interface LiveFileRepo {
  create(file: NewLiveFile): Promise<LiveFileRecord>;
  findById(id: string): Promise<LiveFileRecord | null>;
  findBySlug(newsroomId: string, slug: string): Promise<LiveFileRecord | null>;
  /** Newest first. */
  list(newsroomId: string): Promise<LiveFileRecord[]>;
  update(id: string, patch: Partial<Pick<LiveFileRecord, 'title' | 'status' | 'timezone' | 'updatedAt'>>): Promise<LiveFileRecord | null>;
  /** Atomically adds one to seq and returns the new value. */
  bumpSeq(id: string): Promise<number>;
}

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

export interface StoredUpdate {
  id: string;
  update: Uint8Array;
}
export interface StoredDoc {
  snapshot: Uint8Array | null;
  updates: StoredUpdate[];
}

/** Yjs persistence: an append-only update log plus one snapshot per document. */
export interface DocRepo {
  load(docName: string): Promise<StoredDoc>;
  /** Durable when the promise resolves; returns the stored update's id. */
  append(docName: string, update: Uint8Array): Promise<string>;
  /**
   * Writes the snapshot, then deletes exactly the listed updates. A crash between the two
   * leaves updates that the snapshot already contains: harmless, Yjs applies them idempotently.
   */
  compact(docName: string, snapshot: Uint8Array, coveredUpdateIds: string[]): Promise<void>;
  /** Deletes the document with its log, snapshot and client-id owners. */
  delete(docName: string): Promise<void>;
  /** Every stored document name (start-up housekeeping; not on a hot path). */
  listNames(): Promise<string[]>;
  /** Which account introduced each Yjs client id of the document (collab refuses structs under another account's id). */
  loadClientOwners(docName: string): Promise<Map<number, string>>;
  /**
   * Records `accountId` as the owner of each id nobody owns yet; durable when it resolves.
   * Returns the stored owner of every requested id: the first claim of an id wins, across processes.
   */
  claimClientIds(docName: string, clientIds: number[], accountId: string): Promise<Map<number, string>>;
}

export interface Store {
  readonly kind: 'embedded' | 'mongo';
  accounts: AccountRepo;
  sessions: SessionRepo;
  liveFiles: LiveFileRepo;
  entries: EntryRepo;
  docs: DocRepo;
  /** Throws when the backing store is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Thrown by create methods when a unique key (username, slug, id) is already taken. */
export class DuplicateKeyError extends Error {
  constructor(readonly collection: string, cause?: unknown) {
    super(`duplicate key in ${collection}`, { cause });
    this.name = 'DuplicateKeyError';
  }
}
