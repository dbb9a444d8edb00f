import type { Collection, Db } from 'mongodb';
import type { RateLimitRecord, RateLimitRepo } from '../ports/rateLimits.js';
import type { StoredDoc } from './collections.js';
import { isDuplicateKey } from './documents.js';
import { DocumentWriteQueue } from './writeQueue.js';

function toRecord(doc: StoredDoc): RateLimitRecord {
  return { key: doc._id, points: doc.points as number, expiresAt: (doc.expiresAt as number | null | undefined) ?? null };
}

const live = (now: number) => ({ $or: [{ expiresAt: { $gt: now } }, { expiresAt: null }] });

/**
 * The shape of rate-limiter-flexible's RateLimiterMongo upsert, kept atomic on MongoDB across
 * nodes: (1) `$inc` the live window, inserting a new one when there is none; (2) when the key's
 * window has expired, step 1's insert hits the unique `_id` and the expired window is replaced
 * under a condition; (3) if another writer renewed it first, step 1 again. FerretDB (CI) does not
 * apply these atomically, so one process's writes per key are also queued (writeQueue.ts).
 * Windows end on `expiresAt` (epoch ms); no TTL index (FerretDB 1.24 has none): `deleteExpired`.
 */
export function mongoRateLimits(db: Db): RateLimitRepo {
  const rateLimits: Collection<StoredDoc> = db.collection<StoredDoc>('rateLimits');
  const queue = new DocumentWriteQueue();

  async function add(key: string, points: number, msDuration: number): Promise<StoredDoc> {
    for (let attempt = 0; ; attempt++) {
      const now = Date.now();
      const expiresAt = msDuration > 0 ? now + msDuration : null;
      try {
        const doc = await rateLimits.findOneAndUpdate(
          { _id: key, ...live(now) },
          { $inc: { points }, $setOnInsert: { expiresAt } },
          { upsert: true, returnDocument: 'after' },
        );
        if (doc) return doc;
      } catch (error) {
        if (!isDuplicateKey(error) || attempt > 5) throw error;
      }
      const renewed = await rateLimits.findOneAndUpdate(
        { _id: key, expiresAt: { $lte: now } },
        { $set: { points, expiresAt } },
        { returnDocument: 'after' },
      );
      if (renewed) return renewed;
    }
  }

  return {
    upsert(key, points, msDuration, forceExpire) {
      return queue.run(key, async () => {
        if (!forceExpire) return toRecord(await add(key, points, msDuration));
        const expiresAt = msDuration > 0 ? Date.now() + msDuration : null;
        await rateLimits.updateOne({ _id: key }, { $set: { points, expiresAt } }, { upsert: true });
        return { key, points, expiresAt };
      });
    },
    async get(key) {
      const doc = await rateLimits.findOne({ _id: key, ...live(Date.now()) });
      return doc ? toRecord(doc) : null;
    },
    delete(key) {
      return queue.run(key, async () => (await rateLimits.deleteOne({ _id: key })).deletedCount > 0);
    },
    async deleteExpired(now) {
      return (await rateLimits.deleteMany({ expiresAt: { $lte: now } })).deletedCount;
    },
  };
}

/** The access collections' indexes, one spec per command (see collections.ts). */
export async function ensureAccessIndexes(db: Db): Promise<void> {
  await db.collection('rateLimits').createIndexes([{ key: { expiresAt: 1 }, name: 'expiresAt' }]);
  await db.collection('invites').createIndexes([{ key: { accountId: 1 }, name: 'accountId' }]);
}
