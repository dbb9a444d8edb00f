import { describe, expect, it } from 'vitest';
import { entryDocAccess, liveFileDocAccess } from '../../server/features/access.js';
import type { AccountRecord, EntryRecord, LiveFileRecord } from '../../server/store/Store.js';
import type { Role } from '../../shared/roles.js';
import type { EntryStatus } from '../../shared/workflow.js';

const account = (role: Role, id = `acct-${role}-0001`, newsroomId = 'newsroom-0001'): AccountRecord => ({
  id, newsroomId, username: role, usernameKey: role, displayName: role, role, color: '#000', passwordHash: '', active: true,
  createdAt: '', updatedAt: '',
});
const file: LiveFileRecord = {
  id: 'file-00000001', newsroomId: 'newsroom-0001', slug: 's', title: 't', status: 'live', timezone: 'UTC',
  createdBy: 'x', createdAt: '', updatedAt: '', seq: 0,
};
const entry = (authorId: string, status: EntryStatus, newsroomId = 'newsroom-0001'): EntryRecord => ({
  id: 'entry-0000001', liveFileId: file.id, newsroomId, authorId, status, version: 0, revision: 1, preview: '', bylines: [],
  contributorIds: [], createdAt: '', updatedAt: '',
});

describe('document access matrix', () => {
  it('[AC1] desk roles write every document of their newsroom', () => {
    for (const role of ['editor', 'chief', 'admin'] as const) {
      expect(liveFileDocAccess(account(role), file)).toBe('write');
      expect(entryDocAccess(account(role), entry('someone-else', 'published'), file)).toBe('write');
    }
  });
  it('[AC2] a correspondent opens only their own entries, never the desk document', () => {
    const me = account('correspondent');
    expect(liveFileDocAccess(me, file)).toBe('none');
    expect(entryDocAccess(me, entry(me.id, 'draft'), file)).toBe('write');
    expect(entryDocAccess(me, entry('someone-else', 'draft'), file)).toBe('none');
  });
  it('[AC3] a correspondent reads but cannot change their entry once submitted', () => {
    const me = account('correspondent');
    expect(entryDocAccess(me, entry(me.id, 'submitted'), file)).toBe('read');
    expect(entryDocAccess(me, entry(me.id, 'published'), file)).toBe('read');
    expect(entryDocAccess(me, entry(me.id, 'rejected'), file)).toBe('write');
    expect(entryDocAccess(me, entry(me.id, 'retracted'), file)).toBe('read');
  });
  it('[AC11] a retracted entry is closed to everyone; a restricted live file is invisible to non-members', () => {
    expect(entryDocAccess(account('chief'), entry('x', 'retracted'), file)).toBe('read');
    const restricted = { ...file, members: ['acct-chief-0001'] };
    expect(entryDocAccess(account('chief'), entry('x', 'draft'), restricted)).toBe('write');
    expect(entryDocAccess(account('editor'), entry('x', 'draft'), restricted)).toBe('none');
    expect(liveFileDocAccess(account('editor'), restricted)).toBe('none');
    expect(liveFileDocAccess(account('chief'), restricted)).toBe('write');
  });
  it('[AC4] nobody opens another newsroom’s documents', () => {
    const other = account('editor', 'acct-other-001', 'newsroom-0002');
    expect(liveFileDocAccess(other, file)).toBe('none');
    expect(entryDocAccess(other, entry('x', 'draft'), file)).toBe('none');
  });
});
