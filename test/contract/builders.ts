import { newId } from '../../server/ids.js';
import type { NewAccount, NewEntry, NewLiveFile, SessionRecord } from '../../server/store/Store.js';

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

export function bytesOf(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}
