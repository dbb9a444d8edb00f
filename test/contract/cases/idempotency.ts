import { expect, it } from 'vitest';
import { newId } from '../../../server/ids.js';
import type { IdempotencyRecord } from '../../../server/store/Store.js';
import type { ContractContext } from '../storeContract.js';
import { bytesOf, nextIso } from '../builders.js';

const KK = 'Алматыда су тасқыны';

function buildClaim(overrides: Partial<IdempotencyRecord> = {}): IdempotencyRecord {
  return { id: `account-1\u0000publish\u0000${newId()}`, requestHash: 'hash-1', createdAt: nextIso(), ...overrides };
}

export function idempotencyCases({ store, reopen }: ContractContext): void {
  it('[ST30] the first claim of a key wins; a second sees the stored claim', async () => {
    const claim = buildClaim();
    expect(await store().idempotency.claim(claim)).toEqual({ claimed: true });
    expect(await store().idempotency.claim({ ...claim, requestHash: 'hash-2', createdAt: nextIso() })).toEqual({
      claimed: false,
      existing: claim,
    });
    expect(await store().idempotency.find(claim.id)).toEqual(claim);
    expect(await store().idempotency.find('missing-id')).toBeNull();
  });

  it('[ST30] of 10 concurrent claims of one key exactly one is claimed', async () => {
    const id = buildClaim().id;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store().idempotency.claim(buildClaim({ id, requestHash: `hash-${i}` }))),
    );
    expect(results.filter((r) => r.claimed)).toHaveLength(1);
    const stored = await store().idempotency.find(id);
    for (const r of results) if (!r.claimed) expect(r.existing).toEqual(stored);
  });

  it('[ST30] complete stores the answer for find and later claims; release then frees nothing', async () => {
    const claim = buildClaim();
    await store().idempotency.claim(claim);
    // Any JSON body, whatever its keys or text.
    const body = { entry: { id: 'e1', status: 'published', version: 3, headline: KK }, 'a.b': [1, null, true], $note: 'kept' };
    await store().idempotency.complete(claim.id, { status: 200, body });
    const done = { ...claim, response: { status: 200, body } };
    expect(await store().idempotency.find(claim.id)).toEqual(done);
    const stored = (await store().idempotency.find(claim.id))!.response!.body as typeof body;
    expect(bytesOf(stored.entry.headline).equals(bytesOf(KK))).toBe(true);
    expect(await store().idempotency.claim(buildClaim({ id: claim.id }))).toEqual({ claimed: false, existing: done });
    await store().idempotency.release(claim.id);
    expect(await store().idempotency.find(claim.id)).toEqual(done);
  });

  it('[ST30] release frees an unanswered claim, so the key can be claimed again', async () => {
    const claim = buildClaim();
    await store().idempotency.claim(claim);
    await store().idempotency.release(claim.id);
    expect(await store().idempotency.find(claim.id)).toBeNull();
    const again = buildClaim({ id: claim.id, requestHash: 'hash-2' });
    expect(await store().idempotency.claim(again)).toEqual({ claimed: true });
    expect(await store().idempotency.find(claim.id)).toEqual(again);
    await store().idempotency.release('missing-id');
  });

  it('[ST31] claims and answers survive reopening the store', async () => {
    const open = buildClaim();
    const answered = buildClaim();
    await store().idempotency.claim(open);
    await store().idempotency.claim(answered);
    await store().idempotency.complete(answered.id, { status: 409, body: { error: { code: 'conflict', message: KK } } });

    await reopen();

    expect(await store().idempotency.find(open.id)).toEqual(open);
    expect(await store().idempotency.find(answered.id)).toEqual({ ...answered, response: { status: 409, body: { error: { code: 'conflict', message: KK } } } });
    expect(await store().idempotency.claim(buildClaim({ id: open.id }))).toEqual({ claimed: false, existing: open });
  });
}
