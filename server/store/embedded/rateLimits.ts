import type { RateLimitRecord, RateLimitRepo } from '../ports/rateLimits.js';
import type { Collection, StoredDoc } from './collections.js';
import { findOne } from './documents.js';

function toRecord(doc: StoredDoc): RateLimitRecord {
  return { key: doc._id, points: doc.points as number, expiresAt: (doc.expiresAt as number | null | undefined) ?? null };
}

const isLive = (doc: StoredDoc | null, now: number): doc is StoredDoc =>
  doc !== null && (doc.expiresAt === null || doc.expiresAt === undefined || (doc.expiresAt as number) > now);

/**
 * nedb runs one operation at a time, but an upsert here is a read then a write: the writes of one
 * key are chained in this process (the embedded store has only one), so none is lost.
 */
export function embeddedRateLimits(rateLimits: Collection): RateLimitRepo {
  const tails = new Map<string, Promise<unknown>>();
  function serial<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const result = (tails.get(key) ?? Promise.resolve()).then(fn, fn);
    const tail = result.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return result;
  }

  return {
    upsert(key, points, msDuration, forceExpire) {
      return serial(key, async () => {
        const now = Date.now();
        const current = await findOne(rateLimits.findOneAsync({ _id: key }));
        const fresh = { points, expiresAt: msDuration > 0 ? now + msDuration : null };
        const next = !forceExpire && isLive(current, now) ? { points: (current.points as number) + points, expiresAt: current.expiresAt ?? null } : fresh;
        await rateLimits.updateAsync({ _id: key }, { $set: next }, { upsert: true });
        return { key, points: next.points, expiresAt: next.expiresAt as number | null };
      });
    },
    async get(key) {
      const doc = await findOne(rateLimits.findOneAsync({ _id: key }));
      return isLive(doc, Date.now()) ? toRecord(doc) : null;
    },
    delete(key) {
      return serial(key, async () => (await rateLimits.removeAsync({ _id: key }, { multi: false })) > 0);
    },
    async deleteExpired(now) {
      return rateLimits.removeAsync({ expiresAt: { $lte: now } }, { multi: true });
    },
  };
}
