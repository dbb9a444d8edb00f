import { newId } from '../../server/ids.js';
import type {
  AuditRecord,
  NewAccount,
  NewEntry,
  NewLiveFile,
  PublicationSnapshot,
  ReaderChangeRecord,
  ReaderEntryRecord,
  SessionRecord,
} from '../../server/store/Store.js';
import type { PendingSteps } from '../../server/store/ports/entries.js';

/** Distinct, increasing timestamps so "newest first" and "oldest first" are unambiguous. */
let clock = Date.UTC(2025, 0, 1);
export function nextIso(): string {
  clock += 1000;
  return new Date(clock).toISOString();
}

export function buildAccount(overrides: Partial<NewAccount> = {}): NewAccount {
  const username = overrides.username ?? `user_${newId()}`;
  return {
    id: newId(),
    newsroomId: 'newsroom-1',
    username,
    usernameKey: username.toLowerCase(),
    displayName: 'Aigerim Sadykova',
    role: 'editor',
    color: '#2a7ab0',
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    active: true,
    ...overrides,
  };
}

export function buildSession(accountId: string, overrides: Partial<SessionRecord> = {}): SessionRecord {
  const createdAt = nextIso();
  return { id: newId(), accountId, createdAt, expiresAt: '2030-01-01T00:00:00.000Z', ...overrides };
}

export function buildLiveFile(overrides: Partial<NewLiveFile> = {}): NewLiveFile {
  const at = nextIso();
  return {
    id: newId(),
    newsroomId: 'newsroom-1',
    slug: `file-${newId().toLowerCase()}`,
    title: 'Flooding in Almaty',
    status: 'live',
    timezone: 'Asia/Almaty',
    createdBy: 'account-1',
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

export function buildEntry(overrides: Partial<NewEntry> = {}): NewEntry {
  const at = nextIso();
  return {
    id: newId(),
    liveFileId: 'live-file-1',
    newsroomId: 'newsroom-1',
    authorId: 'account-1',
    status: 'draft',
    preview: 'Water levels are rising',
    bylines: ['Aigerim Sadykova'],
    contributorIds: ['account-1'],
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

export function buildSnapshot(overrides: Partial<PublicationSnapshot> = {}): PublicationSnapshot {
  return {
    kind: 'published',
    revision: 1,
    html: '<p>Water levels are <strong>rising</strong></p>',
    text: 'Water levels are rising',
    doc: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Water levels are rising' }] }] },
    headline: 'Floods',
    bylines: ['Aigerim Sadykova'],
    authorIds: ['account-1'],
    approverId: 'chief-1',
    at: nextIso(),
    ...overrides,
  };
}

/** What a winning transition leaves for its workflow step: the audit record and what readers get. */
export function buildPendingSteps(overrides: Partial<PendingSteps> = {}): PendingSteps {
  return { audit: buildAudit({ action: 'publish', from: 'submitted', to: 'published' }), publication: buildSnapshot(), ...overrides };
}

export function buildReaderEntry(overrides: Partial<ReaderEntryRecord> = {}): ReaderEntryRecord {
  const at = nextIso();
  return {
    entryId: newId(),
    liveFileId: 'live-file-1',
    seq: 1,
    revision: 1,
    html: '<p>Water levels are rising</p>',
    text: 'Water levels are rising',
    headline: 'Floods',
    bylines: ['Aigerim Sadykova'],
    publishedAt: at,
    updatedAt: at,
    pinned: false,
    keyEvent: false,
    position: 'a0',
    corrected: false,
    retracted: null,
    ...overrides,
  };
}

/** A `published` change at `seq` whose entry and publication agree with it. */
export function buildChange(overrides: Partial<ReaderChangeRecord> = {}): ReaderChangeRecord {
  const liveFileId = overrides.liveFileId ?? 'live-file-1';
  const seq = overrides.seq ?? 1;
  const entryId = overrides.entryId ?? newId();
  return {
    liveFileId,
    seq,
    kind: 'published',
    entryId,
    changeKey: `${entryId}:${newId()}`,
    at: nextIso(),
    entry: buildReaderEntry({ entryId, liveFileId, seq }),
    publication: buildSnapshot(),
    ...overrides,
  };
}

export function buildAudit(overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    id: newId(),
    newsroomId: 'newsroom-1',
    liveFileId: 'live-file-1',
    entryId: 'entry-1',
    version: 1,
    action: 'submit',
    actorId: 'account-1',
    actorName: 'Aigerim Sadykova',
    from: 'draft',
    to: 'submitted',
    revision: 1,
    at: nextIso(),
    ...overrides,
  };
}

export function bytesOf(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}
