import { decide, isFileMember, Permission } from '../../shared/permissions.js';
import { isDeskRole } from '../../shared/roles.js';
import { forbidden, notFound } from '../errors.js';
import type { AccountRecord, EntryRecord, LiveFileRecord } from '../store/Store.js';
import { entryFacts, fileFacts } from './workflow/fileFacts.js';

/**
 * Access rules in one place: HTTP, Socket.IO and the collab upgrade all ask here, and every
 * answer about an action comes from the one permission table (shared/permissions.ts).
 */

export function canSeeLiveFile(account: AccountRecord, file: Pick<LiveFileRecord, 'newsroomId' | 'members'>): boolean {
  return account.newsroomId === file.newsroomId && isFileMember(account, fileFacts(file));
}

export function assertCanSeeLiveFile(account: AccountRecord, file: LiveFileRecord | null): LiveFileRecord {
  if (!file || !canSeeLiveFile(account, file)) throw notFound('Live file');
  return file;
}

export function assertDeskRole(account: AccountRecord, action: string): void {
  if (!isDeskRole(account.role)) throw forbidden(`Only editors, chiefs and admins can ${action}.`);
}

/** Desk roles see every entry of their newsroom; a correspondent sees only their own. */
export function canSeeEntry(account: AccountRecord, entry: Pick<EntryRecord, 'newsroomId' | 'authorId'>): boolean {
  if (account.newsroomId !== entry.newsroomId) return false;
  return isDeskRole(account.role) || entry.authorId === account.id;
}

export type DocAccess = 'none' | 'read' | 'write';

/** The desk document: desk roles write it (order, pins, key events); nobody else opens it. */
export function liveFileDocAccess(account: AccountRecord, file: LiveFileRecord): DocAccess {
  if (!canSeeLiveFile(account, file)) return 'none';
  return decide(Permission.DeskEdit, account, fileFacts(file)).allowed ? 'write' : 'none';
}

/**
 * An entry's document, from the table: `entry.write` (desk roles in any open state, the author in
 * draft or rejected), else `entry.read`, else nothing.
 */
export function entryDocAccess(account: AccountRecord, entry: EntryRecord, file: LiveFileRecord): DocAccess {
  if (!canSeeEntry(account, entry) || !canSeeLiveFile(account, file)) return 'none';
  if (decide(Permission.EntryWrite, account, fileFacts(file), entryFacts(entry)).allowed) return 'write';
  return decide(Permission.EntryRead, account, fileFacts(file), entryFacts(entry)).allowed ? 'read' : 'none';
}

/**
 * Socket.IO audiences. A broadcast goes to the rooms below and nowhere else: who may receive an
 * event is decided here, once, when a socket joins, never by filtering sockets on each event.
 * Every member of an event's rooms may see what it carries (canSeeLiveFile, canSeeEntry).
 */
export const AudienceRoom = {
  /** Every active account of the newsroom: the live-file list. */
  newsroom: (newsroomId: string) => `newsroom:${newsroomId}`,
  /** The newsroom's desk roles: the live-file list counted as the desk sees it (every entry). */
  newsroomDesk: (newsroomId: string) => `newsroom:${newsroomId}:desk`,
  /** Every socket of one account: a correspondent gets her own entries through it. */
  account: (accountId: string) => `account:${accountId}`,
  /** Desk roles watching one live file: every entry of it. */
  liveFileDesk: (liveFileId: string) => `liveFile:${liveFileId}:desk`,
};

/** Rooms a signed-in socket is in from the start, whatever it watches. */
export function connectionRooms(account: AccountRecord): string[] {
  if (!account.active) return [];
  const rooms = [AudienceRoom.newsroom(account.newsroomId), AudienceRoom.account(account.id)];
  return isDeskRole(account.role) ? [...rooms, AudienceRoom.newsroomDesk(account.newsroomId)] : rooms;
}

/** Rooms a socket joins while it watches `file` (`liveFile:watch`); none for a correspondent. */
export function watchRooms(account: AccountRecord, file: LiveFileRecord): string[] {
  if (!account.active || !canSeeLiveFile(account, file)) return [];
  return isDeskRole(account.role) ? [AudienceRoom.liveFileDesk(file.id)] : [];
}

/** Rooms an entry event goes to: the desk watching its live file, and its author. */
export function entryAudience(entry: Pick<EntryRecord, 'liveFileId' | 'authorId'>): string[] {
  // The desk room of a restricted file only ever holds its members (watchRooms checks).
  return [AudienceRoom.liveFileDesk(entry.liveFileId), AudienceRoom.account(entry.authorId)];
}

/** Rooms a live-file event goes to: its newsroom, or its named members (a new file's row: nothing in it yet to count). */
export function liveFileAudience(file: Pick<LiveFileRecord, 'newsroomId' | 'members'>): string[] {
  return file.members ? file.members.map(AudienceRoom.account) : [AudienceRoom.newsroom(file.newsroomId)];
}

/**
 * Where a live file's list row goes, and as whom it is counted: the newsroom's desk roles see every
 * entry (always one row for them); `person`, when she is not at the desk, gets her own row, of her
 * own entries (her sockets in the desk room, after a promotion, get the desk's row instead).
 */
export function liveFileRowAudiences(file: Pick<LiveFileRecord, 'newsroomId' | 'members'>, person: AccountRecord | null):
  Array<{ rooms: string[]; except: string[]; viewer: AccountRecord | 'desk' }> {
  if (file.members) {
    // Restricted: rows go to each named member's own sockets, never to the newsroom's rooms.
    if (!person?.active || !canSeeLiveFile(person, file)) return [];
    return [{ rooms: [AudienceRoom.account(person.id)], except: [], viewer: isDeskRole(person.role) ? 'desk' : person }];
  }
  const desk = AudienceRoom.newsroomDesk(file.newsroomId);
  const out: Array<{ rooms: string[]; except: string[]; viewer: AccountRecord | 'desk' }> = [{ rooms: [desk], except: [], viewer: 'desk' }];
  if (person?.active && !isDeskRole(person.role) && person.newsroomId === file.newsroomId) {
    out.push({ rooms: [AudienceRoom.account(person.id)], except: [desk], viewer: person });
  }
  return out;
}
