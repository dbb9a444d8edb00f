import { expect, it } from 'vitest';
import { DuplicateKeyError } from '../../../server/store/Store.js';
import type { ContractContext } from '../storeContract.js';
import { buildAccount, buildSession } from '../builders.js';

export function accountAndSessionCases({ store }: ContractContext): void {
  it('[ST1] creates an account and finds it by id and by username in any case', async () => {
    const created = await store().accounts.create(buildAccount({ username: 'Aigerim' }));
    expect(created.createdAt).toBe(created.updatedAt);
    expect(await store().accounts.findById(created.id)).toEqual(created);
    expect(await store().accounts.findByUsername('aIGERIM')).toEqual(created);
    expect(await store().accounts.findByUsername('nobody')).toBeNull();
    expect(await store().accounts.findById('missing-id')).toBeNull();
  });

  it('[ST1] a username is unique regardless of case', async () => {
    await store().accounts.create(buildAccount({ username: 'Dana' }));
    await expect(store().accounts.create(buildAccount({ username: 'DANA' }))).rejects.toBeInstanceOf(DuplicateKeyError);
    expect(await store().accounts.count()).toBe(1);
  });

  it('[ST1] lists a newsroom’s accounts only, and counts all', async () => {
    await store().accounts.create(buildAccount({ newsroomId: 'room-a' }));
    await store().accounts.create(buildAccount({ newsroomId: 'room-a' }));
    await store().accounts.create(buildAccount({ newsroomId: 'room-b' }));
    const roomA = await store().accounts.list('room-a');
    expect(roomA).toHaveLength(2);
    expect(roomA.every((a) => a.newsroomId === 'room-a')).toBe(true);
    expect(await store().accounts.count()).toBe(3);
  });

  it('[ST1] update patches the given fields, bumps updatedAt, and returns null for a missing id', async () => {
    const created = await store().accounts.create(buildAccount({ role: 'correspondent' }));
    const updated = await store().accounts.update(created.id, { role: 'chief', active: false });
    expect(updated).toMatchObject({ id: created.id, role: 'chief', active: false, displayName: created.displayName });
    expect(updated!.updatedAt >= created.updatedAt).toBe(true);
    expect(await store().accounts.findById(created.id)).toEqual(updated);
    expect(await store().accounts.update('missing-id', { role: 'chief' })).toBeNull();
  });

  it('[ST2] sessions: create, find, delete', async () => {
    const session = buildSession('account-1');
    await store().sessions.create(session);
    expect(await store().sessions.findById(session.id)).toEqual(session);
    await store().sessions.delete(session.id);
    expect(await store().sessions.findById(session.id)).toBeNull();
    await store().sessions.delete(session.id); // deleting twice is not an error
  });

  it('[ST2] deleteByAccount removes that account’s sessions only and counts them', async () => {
    const mine = [buildSession('account-1'), buildSession('account-1')];
    const theirs = buildSession('account-2');
    for (const s of [...mine, theirs]) await store().sessions.create(s);
    expect(await store().sessions.deleteByAccount('account-1')).toBe(2);
    expect(await store().sessions.findById(mine[0].id)).toBeNull();
    expect(await store().sessions.findById(theirs.id)).toEqual(theirs);
    expect(await store().sessions.deleteByAccount('account-1')).toBe(0);
  });

  it('[ST2] listByAccount lists that account’s sessions only', async () => {
    const mine = [buildSession('account-1'), buildSession('account-1')];
    for (const s of [...mine, buildSession('account-2')]) await store().sessions.create(s);
    const listed = await store().sessions.listByAccount('account-1');
    expect(listed.map((s) => s.id).sort()).toEqual(mine.map((s) => s.id).sort());
    expect(listed.find((s) => s.id === mine[0].id)).toEqual(mine[0]);
    expect(await store().sessions.listByAccount('account-3')).toEqual([]);
  });
}

export function accountActivityCases({ store }: ContractContext): void {
  it('[ST21] a session keeps its user agent; touch sets lastSeenAt, and is nothing for a missing session', async () => {
    const session = buildSession('account-1', { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140' });
    await store().sessions.create(session);
    expect(await store().sessions.findById(session.id)).toEqual(session);
    await store().sessions.touch(session.id, '2026-02-01T10:00:00.000Z');
    expect(await store().sessions.findById(session.id)).toEqual({ ...session, lastSeenAt: '2026-02-01T10:00:00.000Z' });
    await store().sessions.touch('missing-id', '2026-02-01T10:00:00.000Z');
    expect(await store().sessions.findById('missing-id')).toBeNull();
  });

  it('[ST21] recordActivity sets lastActiveAt and leaves updatedAt and every other field alone', async () => {
    const created = await store().accounts.create(buildAccount({ invitePending: true }));
    expect(created.invitePending).toBe(true);
    await store().accounts.recordActivity(created.id, '2026-02-01T10:00:00.000Z');
    expect(await store().accounts.findById(created.id)).toEqual({ ...created, lastActiveAt: '2026-02-01T10:00:00.000Z' });
    const updated = await store().accounts.update(created.id, { invitePending: false });
    expect(updated).toMatchObject({ invitePending: false, lastActiveAt: '2026-02-01T10:00:00.000Z' });
    await store().accounts.recordActivity('missing-id', '2026-02-01T10:00:00.000Z');
  });
}
