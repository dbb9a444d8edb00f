import { isDeskRole } from '../../shared/roles.js';
import { EntryStatus } from '../../shared/workflow.js';
import { forbidden, notFound } from '../errors.js';
import type { AccountRecord, EntryRecord, LiveFileRecord } from '../store/Store.js';

/** Access rules in one place: HTTP, Socket.IO and the collab upgrade all ask here. */

export function canSeeLiveFile(account: AccountRecord, file: LiveFileRecord): boolean {
  return account.newsroomId === file.newsroomId;
}

export function assertCanSeeLiveFile(account: AccountRecord, file: LiveFileRecord | null): LiveFileRecord {
  if (!file || !canSeeLiveFile(account, file)) throw notFound('Live file');
  return file;
}

export function assertDeskRole(account: AccountRecord, action: string): void {
  if (!isDeskRole(account.role)) throw forbidden(`Only editors, chiefs and admins can ${action}.`);
}

/** Desk roles see every entry of their newsroom; a correspondent sees only their own. */
export function canSeeEntry(account: AccountRecord, entry: EntryRecord): boolean {
  if (account.newsroomId !== entry.newsroomId) return false;
  return isDeskRole(account.role) || entry.authorId === account.id;
}

export type DocAccess = 'none' | 'read' | 'write';

export function liveFileDocAccess(account: AccountRecord, file: LiveFileRecord): DocAccess {
  if (!canSeeLiveFile(account, file)) return 'none';
  return isDeskRole(account.role) ? 'write' : 'none';
}

/** A correspondent writes their own entry until it is submitted; after that the desk owns it. */
export function entryDocAccess(account: AccountRecord, entry: EntryRecord): DocAccess {
  if (!canSeeEntry(account, entry)) return 'none';
  if (isDeskRole(account.role)) return 'write';
  return entry.status === EntryStatus.Draft || entry.status === EntryStatus.Rejected ? 'write' : 'read';
}
