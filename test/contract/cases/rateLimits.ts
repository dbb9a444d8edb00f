import { expect, it } from 'vitest';
import { newId } from '../../../server/ids.js';
import type { ContractContext } from '../storeContract.js';

/** Waits for the clock (not for another party) to pass `at`: a window's end is a time. */
async function untilPast(at: number): Promise<void> {
  while (Date.now() <= at) await new Promise((resolve) => setTimeout(resolve, Math.max(1, at - Date.now() + 1)));
}

export function rateLimitCases({ store, reopen }: ContractContext): void {
  const key = () => `login:account:${newId()}`;

  it('[ST19] the first upsert opens a window of msDuration; later ones add to it and keep its end', async () => {
    const k = key();
    const before = Date.now();
    const first = await store().rateLimits.upsert(k, 1, 60_000, false);
    expect(first.key).toBe(k);
    expect(first.points).toBe(1);
    expect(first.expiresAt).toBeGreaterThanOrEqual(before + 60_000);
    expect(first.expiresAt).toBeLessThanOrEqual(Date.now() + 60_000);
    const second = await store().rateLimits.upsert(k, 2, 60_000, false);
    expect(second).toEqual({ key: k, points: 3, expiresAt: first.expiresAt });
    expect(await store().rateLimits.get(k)).toEqual(second);
    expect(await store().rateLimits.get(key())).toBeNull();
  });

  it('[ST19] 20 concurrent upserts of one key count 20, each seeing its own total once', async () => {
    const k = key();
    const results = await Promise.all(Array.from({ length: 20 }, () => store().rateLimits.upsert(k, 1, 60_000, false)));
    expect(results.map((r) => r.points).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect((await store().rateLimits.get(k))?.points).toBe(20);
  });

  it('[ST19] an expired window is gone for get and starts afresh on the next upsert; deleteExpired removes only ended ones', async () => {
    const [short, long] = [key(), key()];
    const ended = await store().rateLimits.upsert(short, 5, 30, false);
    await store().rateLimits.upsert(long, 1, 60_000, false);
    await untilPast(ended.expiresAt!);
    expect(await store().rateLimits.get(short)).toBeNull();
    expect(await store().rateLimits.deleteExpired(Date.now())).toBeGreaterThanOrEqual(1);
    expect((await store().rateLimits.get(long))?.points).toBe(1);
    const again = await store().rateLimits.upsert(short, 1, 60_000, false);
    expect(again.points).toBe(1);
    // Expired but not yet swept: the next upsert replaces it too.
    const stale = await store().rateLimits.upsert(key(), 9, 30, false);
    await untilPast(stale.expiresAt!);
    expect((await store().rateLimits.upsert(stale.key, 1, 60_000, false)).points).toBe(1);
  });

  it('[ST19] forceExpire sets points and a new end outright; msDuration 0 never ends; delete says whether there was one', async () => {
    const k = key();
    await store().rateLimits.upsert(k, 3, 60_000, false);
    const blocked = await store().rateLimits.upsert(k, 11, 120_000, true);
    expect(blocked.points).toBe(11);
    expect(blocked.expiresAt).toBeGreaterThan(Date.now() + 60_000);
    const forever = await store().rateLimits.upsert(key(), 1, 0, false);
    expect(forever.expiresAt).toBeNull();
    expect((await store().rateLimits.get(forever.key))?.points).toBe(1);
    expect(await store().rateLimits.deleteExpired(Date.now())).toBe(0);
    expect(await store().rateLimits.delete(k)).toBe(true);
    expect(await store().rateLimits.delete(k)).toBe(false);
    expect(await store().rateLimits.get(k)).toBeNull();
  });

  it('[ST19] windows survive closing and reopening the store', async () => {
    const k = key();
    await store().rateLimits.upsert(k, 4, 60_000, false);
    const reopened = await reopen();
    expect((await reopened.rateLimits.get(k))?.points).toBe(4);
    expect((await reopened.rateLimits.upsert(k, 1, 60_000, false)).points).toBe(5);
  });
}
