import { expect, it } from 'vitest';
import { newId } from '../../../server/ids.js';
import type { InviteRecord } from '../../../server/store/Store.js';
import type { ContractContext } from '../storeContract.js';

function buildInvite(overrides: Partial<InviteRecord> = {}): InviteRecord {
  return { id: newId(), accountId: 'account-1', createdBy: 'admin-1', createdAt: '2025-01-01T00:00:00.000Z', expiresAt: '2025-01-04T00:00:00.000Z', ...overrides };
}

export function inviteCases({ store, reopen }: ContractContext): void {
  it('[ST20] an invite is created and found; a claim marks it used once, and a second claim gets null', async () => {
    const invite = buildInvite();
    await store().invites.create(invite);
    expect(await store().invites.findById(invite.id)).toEqual(invite);
    expect(await store().invites.findById('missing')).toBeNull();
    const claimed = await store().invites.claim(invite.id, '2025-01-02T00:00:00.000Z');
    expect(claimed).toEqual({ ...invite, usedAt: '2025-01-02T00:00:00.000Z' });
    expect(await store().invites.claim(invite.id, '2025-01-02T00:00:01.000Z')).toBeNull();
    expect(await store().invites.findById(invite.id)).toEqual(claimed);
    expect(await store().invites.claim('missing', '2025-01-02T00:00:00.000Z')).toBeNull();
  });

  it('[ST20] of 10 concurrent claims exactly one wins', async () => {
    const invite = buildInvite();
    await store().invites.create(invite);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store().invites.claim(invite.id, `2025-01-02T00:00:0${i}.000Z`)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('[ST20] deleteByAccount removes that account’s invites only and counts them; invites survive reopening', async () => {
    const mine = [buildInvite({ accountId: 'a-1' }), buildInvite({ accountId: 'a-1' })];
    const theirs = buildInvite({ accountId: 'a-2' });
    for (const invite of [...mine, theirs]) await store().invites.create(invite);
    const reopened = await reopen();
    expect(await reopened.invites.findById(theirs.id)).toEqual(theirs);
    expect(await reopened.invites.deleteByAccount('a-1')).toBe(2);
    expect(await reopened.invites.findById(mine[0]!.id)).toBeNull();
    expect(await reopened.invites.findById(theirs.id)).toEqual(theirs);
  });
}
