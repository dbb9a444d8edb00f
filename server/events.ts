import { EventEmitter } from 'node:events';
import type { AccountRecord, EntryRecord, LiveFileRecord } from './store/Store.js';

/** Domain events: features emit after the store write; edges (realtime) fan them out. */
export interface DomainEventMap {
  'liveFile:created': [LiveFileRecord];
  'liveFile:updated': [LiveFileRecord];
  'entry:created': [EntryRecord];
  'entry:updated': [EntryRecord];
  /** Accepted collab edits to an entry's text (coalesced per entry, ~0.5 s): by whom. */
  'entry:edited': [{ entryId: string; accountIds: string[] }];
  'session:revoked': [{ accountId: string; sessionIds: string[]; reason: string }];
  /** Role, activity or name changed: every open connection of the account re-checks its access. */
  'account:changed': [AccountRecord];
}

export class DomainEvents extends EventEmitter<DomainEventMap> {}
