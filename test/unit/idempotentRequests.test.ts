import { describe, expect, it } from 'vitest';
import { AppError } from '../../server/errors.js';
import { ErrorCode } from '../../shared/errors.js';
import { createIdempotentRequests } from '../../server/features/workflow/idempotentRequests.js';
import type { IdempotencyRecord, IdempotencyRepo } from '../../server/store/ports/idempotency.js';

/** An in-memory repo whose claims answer only when the test lets them (`settleClaims`). */
function slowRepo(fail = false) {
  const records = new Map<string, IdempotencyRecord>();
  const waiting: Array<() => void> = [];
  const log: string[] = [];
  const repo: IdempotencyRepo = {
    claim: (record) => new Promise((resolve, reject) => {
      waiting.push(() => {
        if (fail) return reject(new Error('store down'));
        const existing = records.get(record.id);
        if (existing) return resolve({ claimed: false, existing });
        records.set(record.id, record);
        log.push('claimed');
        resolve({ claimed: true });
      });
    }),
    complete: async (id, response) => {
      records.set(id, { ...records.get(id)!, response });
      log.push(`complete ${response.status}`);
    },
    release: async (id) => {
      records.delete(id);
      log.push('released');
    },
    find: async (id) => records.get(id) ?? null,
  };
  const settleClaims = () => waiting.splice(0).forEach((go) => go());
  return { repo, records, log, settleClaims };
}

describe('idempotent requests: the claim is written while the work reads', () => {
  it('[WF9] the work reads before the claim lands, changes only after it; the answer is stored once', async () => {
    const { repo, log, settleClaims } = slowRepo();
    const once = createIdempotentRequests(repo);
    const done = once('scope', 'k1', { a: 1 }, async (claimed) => {
      log.push('read');
      await claimed();
      log.push('write');
      return { ok: true };
    });
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['read']); // reading went ahead; nothing written before the claim
    settleClaims();
    expect(await done).toEqual({ ok: true });
    expect(log).toEqual(['read', 'claimed', 'write', 'complete 200']);
  });

  it('[WF9] a repeat whose key is taken changes nothing and answers the first result', async () => {
    const { repo, log, settleClaims } = slowRepo();
    const once = createIdempotentRequests(repo);
    const first = once('scope', 'k2', { a: 1 }, async (claimed) => (await claimed(), 'first'));
    settleClaims();
    expect(await first).toBe('first');
    const writes: string[] = [];
    const repeat = once('scope', 'k2', { a: 1 }, async (claimed) => {
      await claimed();
      writes.push('should never happen');
      return 'second';
    });
    settleClaims();
    expect(await repeat).toBe('first');
    expect(writes).toEqual([]);
    expect(log.filter((l) => l.startsWith('complete'))).toEqual(['complete 200']);
  });

  it('[WF9] a refusal reached before the claim landed is stored as the answer when the key was ours, and replayed when it was not', async () => {
    const { repo, settleClaims } = slowRepo();
    const once = createIdempotentRequests(repo);
    const refuse = async () => {
      throw new AppError(ErrorCode.Conflict, 'someone acted first');
    };
    const first = once('scope', 'k3', {}, refuse);
    settleClaims();
    await expect(first).rejects.toMatchObject({ code: ErrorCode.Conflict });
    // The repeat would now succeed, but the first answer stands.
    const repeat = once('scope', 'k3', {}, async (claimed) => (await claimed(), 'would succeed'));
    settleClaims();
    await expect(repeat).rejects.toMatchObject({ code: ErrorCode.Conflict, message: 'someone acted first' });
  });

  it('[WF9] a claim the store refuses stops the work before any change, and frees nothing it never held', async () => {
    const { repo, log, settleClaims } = slowRepo(true);
    const once = createIdempotentRequests(repo);
    const writes: string[] = [];
    const done = once('scope', 'k4', {}, async (claimed) => {
      await claimed();
      writes.push('write');
      return 'x';
    });
    settleClaims();
    await expect(done).rejects.toThrow('store down');
    expect(writes).toEqual([]);
    expect(log).toEqual([]);
  });
});
