import { EventEmitter } from 'node:events';
import type { AccountRecord, EntryRecord, LiveFileRecord, ReaderChangeRecord } from './store/Store.js';

/** Domain events: features emit after the store write; edges (realtime) fan them out. */
export interface DomainEventMap {
  'liveFile:created': [LiveFileRecord];
  'liveFile:updated': [LiveFileRecord];
  /** Members or four-eyes changed: open connections to the file and its entries re-check. */
  'liveFile:accessChanged': [{ before: LiveFileRecord; after: LiveFileRecord }];
  /** Scheduled, live, ended, archived: an ended file's reader connections are closed. */
  'liveFile:lifecycle': [{ before: LiveFileRecord; after: LiveFileRecord }];
  'entry:created': [EntryRecord];
  'entry:updated': [EntryRecord];
  /** Accepted collab edits to an entry's text (coalesced per entry, ~0.5 s): by whom. */
  'entry:edited': [{ entryId: string; accountIds: string[] }];
  /** Accepted collab edits to a desk document (order, pins, key events), coalesced per file. */
  'desk:edited': [{ liveFileId: string; accountIds: string[] }];
  /** A change readers see was stored (its seq is final): the reader fan-out sends it. */
  'reader:change': [ReaderChangeRecord];
  'session:revoked': [{ accountId: string; sessionIds: string[]; reason: string }];
  /** Role, activity or name changed: every open connection of the account re-checks its access. */
  'account:changed': [AccountRecord];
}

export class DomainEvents extends EventEmitter<DomainEventMap> {}
