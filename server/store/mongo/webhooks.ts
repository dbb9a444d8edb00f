import type { Collection, Db, Document } from 'mongodb';
import type { DeliveryRecord, DeliveryRepo, WebhookRecord, WebhookRepo } from '../ports/webhooks.js';
import type { StoredDoc } from './collections.js';
import { definedOnly, fromStored, isDuplicateKey, toStored } from './documents.js';
import { DocumentWriteQueue } from './writeQueue.js';

/**
 * webhooks and webhookDeliveries, `_id` = the record's id. Conditional updates (claim, the failure
 * count, the cursor) are single-document operations, atomic on MongoDB; FerretDB needs the
 * per-document queue as well (writeQueue.ts, README-notes.md).
 */
export async function openMongoWebhooks(db: Db): Promise<{ webhooks: WebhookRepo; deliveries: DeliveryRepo }> {
  const hooks = db.collection<StoredDoc>('webhooks');
  const deliveries = db.collection<StoredDoc>('webhookDeliveries');
  // One spec per command (FerretDB 1.24, README-notes.md §4).
  await hooks.createIndexes([{ key: { liveFileId: 1, createdAt: 1 }, name: 'liveFile_oldest' }]);
  await hooks.createIndexes([{ key: { enabled: 1 }, name: 'enabled' }]);
  await deliveries.createIndexes([{ key: { status: 1, nextAttemptAt: 1 }, name: 'due' }]);
  await deliveries.createIndexes([{ key: { hookId: 1, seq: -1 }, name: 'hook_newest' }]);
  return { webhooks: mongoWebhookRepo(hooks), deliveries: mongoDeliveryRepo(deliveries) };
}

function mongoWebhookRepo(hooks: Collection<StoredDoc>): WebhookRepo {
  const queue = new DocumentWriteQueue();
  const toHook = (doc: StoredDoc | null) => fromStored<WebhookRecord>(doc);
  return {
    async create(hook) {
      await hooks.insertOne(toStored(hook));
    },
    async findById(id) {
      return toHook(await hooks.findOne({ _id: id }));
    },
    async listByLiveFile(liveFileId) {
      return (await hooks.find({ liveFileId }).sort({ createdAt: 1, _id: 1 }).toArray()).map((d) => toHook(d)!);
    },
    async listEnabled() {
      return (await hooks.find({ enabled: true }).sort({ createdAt: 1, _id: 1 }).toArray()).map((d) => toHook(d)!);
    },
    update(id, patch) {
      return queue.run(id, async () => {
        const $set = definedOnly(patch);
        if (Object.keys($set).length === 0) return toHook(await hooks.findOne({ _id: id }));
        return toHook(await hooks.findOneAndUpdate({ _id: id }, { $set }, { returnDocument: 'after' }));
      });
    },
    delete(id) {
      return queue.run(id, async () => (await hooks.deleteOne({ _id: id })).deletedCount > 0);
    },
    advanceCursor(id, seq) {
      return queue.run(id, async () => {
        await hooks.updateOne({ _id: id, cursorSeq: { $lt: seq } }, { $set: { cursorSeq: seq } });
      });
    },
    recordAttempt(id, summary, ok, disableAfter, at) {
      return queue.run(id, async () => {
        const update = ok ? { $set: { consecutiveFailures: 0, lastAttempt: summary } } : { $inc: { consecutiveFailures: 1 }, $set: { lastAttempt: summary } };
        const after = toHook(await hooks.findOneAndUpdate({ _id: id }, update, { returnDocument: 'after' }));
        if (!after || ok || !after.enabled || after.consecutiveFailures < disableAfter) return after;
        const off = await hooks.findOneAndUpdate({ _id: id, enabled: true }, { $set: { enabled: false, disabledReason: 'failures', updatedAt: at } }, { returnDocument: 'after' });
        return toHook(off) ?? after;
      });
    },
  };
}

function mongoDeliveryRepo(deliveries: Collection<StoredDoc>): DeliveryRepo {
  const queue = new DocumentWriteQueue();
  const toDelivery = (doc: StoredDoc | null) => fromStored<DeliveryRecord>(doc);
  return {
    async enqueue(delivery) {
      try {
        await deliveries.insertOne(toStored(delivery));
        return { created: true };
      } catch (error) {
        if (isDuplicateKey(error)) return { created: false };
        throw error;
      }
    },
    async findById(id) {
      return toDelivery(await deliveries.findOne({ _id: id }));
    },
    async listDue(now, limit) {
      const docs = await deliveries.find({ status: 'pending', nextAttemptAt: { $lte: now } }).sort({ nextAttemptAt: 1, _id: 1 }).limit(limit).toArray();
      return docs.map((d) => toDelivery(d)!);
    },
    async nextDueAt() {
      const [first] = await deliveries.find({ status: 'pending' }).sort({ nextAttemptAt: 1 }).limit(1).toArray();
      return (first?.nextAttemptAt as string | undefined) ?? null;
    },
    claim(id, expected, leaseUntil) {
      return queue.run(id, async () =>
        toDelivery(await deliveries.findOneAndUpdate({ _id: id, status: 'pending', nextAttemptAt: expected }, { $set: { nextAttemptAt: leaseUntil } }, { returnDocument: 'after' })),
      );
    },
    recordAttempt(id, attempt, next, at) {
      return queue.run(id, async () => {
        const update: Document = { $push: { attempts: definedOnly(attempt) }, $set: { status: next.status, nextAttemptAt: next.nextAttemptAt, updatedAt: at } };
        await deliveries.updateOne({ _id: id }, update);
      });
    },
    release(id, at) {
      return queue.run(id, async () => {
        await deliveries.updateOne({ _id: id, status: 'pending' }, { $set: { nextAttemptAt: at } });
      });
    },
    async listByHook(hookId, limit) {
      return (await deliveries.find({ hookId }).sort({ seq: -1 }).limit(limit).toArray()).map((d) => toDelivery(d)!);
    },
    async cancelPending(hookId, at) {
      // Each matching delivery changes alone; no conditional race matters here (pending → cancelled only).
      return (await deliveries.updateMany({ hookId, status: 'pending' }, { $set: { status: 'cancelled', nextAttemptAt: null, updatedAt: at } })).modifiedCount;
    },
    async deleteByHook(hookId) {
      return (await deliveries.deleteMany({ hookId })).deletedCount;
    },
  };
}
