import type { EntryStatus, WorkflowAction } from '../../../shared/workflow.js';

/** One workflow transition, as the audit log keeps it. Append-only: never updated or deleted. */
export interface AuditRecord {
  id: string;
  newsroomId: string;
  liveFileId: string;
  entryId: string;
  /** The entry's workflow version after the transition: (entryId, version) is unique. */
  version: number;
  action: WorkflowAction;
  actorId: string;
  /** Display name at the time (the log must read right after a rename or deactivation). */
  actorName: string;
  from: EntryStatus;
  to: EntryStatus;
  /** The rejection note, retraction reason or schedule time, when the action has one. */
  note?: string;
  revision: number;
  at: string;
}

export interface AuditRepo {
  /** Idempotent on (entryId, version): a retried publishing step appends nothing twice. */
  append(record: AuditRecord): Promise<void>;
  /** Oldest first (at, then version). */
  listByEntry(entryId: string): Promise<AuditRecord[]>;
  /** Oldest first (at, then version). */
  listByLiveFile(liveFileId: string): Promise<AuditRecord[]>;
}
