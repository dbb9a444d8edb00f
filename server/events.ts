import { EventEmitter } from 'node:events';
import type { EntryRecord, LiveFileRecord } from './store/Store.js';

/** Domain events: features emit after the store write; edges (realtime) fan them out. */
export interface DomainEventMap {
  'liveFile:created': [LiveFileRecord];
  'liveFile:updated': [LiveFileRecord];
  'entry:created': [EntryRecord];
  'entry:updated': [EntryRecord];
  'session:revoked': [{ accountId: string; sessionIds: string[]; reason: string }];
}

export class DomainEvents extends EventEmitter<DomainEventMap> {}
