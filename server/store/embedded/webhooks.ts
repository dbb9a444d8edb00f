import nedb from '@seald-io/nedb';
import { join } from 'node:path';
import type { DeliveryRecord, DeliveryRepo, WebhookRecord, WebhookRepo } from '../ports/webhooks.js';
import type { Collection } from './collections.js';
import { definedOnly, findMany, findOne, fromStored, isUniqueViolation, toStored, updateOneReturning } from './documents.js';

// See collections.ts: under NodeNext the default import is the class itself.
const Datastore = nedb as unknown as typeof nedb.default;

/**
 * webhooks and webhookDeliveries: `_id` is the record's id. nedb runs one operation at a time per
 * collection, so each conditional update (claim, the failure count) is atomic.
 */
export async function openEmbeddedWebhooks(dir: string, autocompactMs: number): Promise<{ webhooks: WebhookRepo; deliveries: DeliveryRepo; close(): Promise<void> }> {
  const open = async (name: string) => {
    const collection: Collection = new Datastore({ filename: join(dir, `${name}.db`) });
    await collection.loadDatabaseAsync();
    collection.setAutocompactionInterval(autocompactMs);
    return collection;
  };
  const [hooks, deliveries] = await Promise.all([open('webhooks'), open('webhookDeliveries')]);
  await Promise.all([
    hooks.ensureIndexAsync({ fieldName: 'liveFileId' }),
    hooks.ensureIndexAsync({ fieldName: 'enabled' }),
    deliveries.ensureIndexAsync({ fieldName: 'hookId' }),
    deliveries.ensureIndexAsync({ fieldName: 'status' }),
  ]);
  return {
    webhooks: embeddedWebhookRepo(hooks),
    deliveries: embeddedDeliveryRepo(deliveries),
    async close() {
      await Promise.all([hooks, deliveries].map(async (c) => {
        c.stopAutocompaction();
        await c.compactDatafileAsync();
      }));
    },
  };
}

function embeddedWebhookRepo(hooks: Collection): WebhookRepo {
  const toHook = (doc: unknown) => fromStored<WebhookRecord>(doc);
  return {
    async create(hook) {
      await hooks.insertAsync(toStored(hook));
    },
    async findById(id) {
      return toHook(await findOne(hooks.findOneAsync({ _id: id })));
    },
    async listByLiveFile(liveFileId) {
      return (await findMany(hooks.findAsync({ liveFileId }).sort({ createdAt: 1, _id: 1 }))).map((d) => toHook(d)!);
    },
    async listEnabled() {
      return (await findMany(hooks.findAsync({ enabled: true }).sort({ createdAt: 1, _id: 1 }))).map((d) => toHook(d)!);
    },
    async update(id, patch) {
      const $set = definedOnly(patch);
      if (Object.keys($set).length === 0) return toHook(await findOne(hooks.findOneAsync({ _id: id })));
      return toHook(await updateOneReturning(hooks, { _id: id }, { $set }));
    },
    async delete(id) {
      return (await hooks.removeAsync({ _id: id }, {})) > 0;
    },
    async advanceCursor(id, seq) {
      await hooks.updateAsync({ _id: id, cursorSeq: { $lt: seq } }, { $set: { cursorSeq: seq } }, {});
    },
    async recordAttempt(id, summary, ok, disableAfter, at) {
      const update = ok ? { $set: { consecutiveFailures: 0, lastAttempt: summary } } : { $inc: { consecutiveFailures: 1 }, $set: { lastAttempt: summary } };
      const after = toHook(await updateOneReturning(hooks, { _id: id }, update));
      if (!after || ok || !after.enabled || after.consecutiveFailures < disableAfter) return after;
      return toHook(await updateOneReturning(hooks, { _id: id, enabled: true }, { $set: { enabled: false, disabledReason: 'failures', updatedAt: at } })) ?? after;
    },
  };
}

function embeddedDeliveryRepo(deliveries: Collection): DeliveryRepo {
  const toDelivery = (doc: unknown) => fromStored<DeliveryRecord>(doc);
  return {
    async enqueue(delivery) {
      try {
        await deliveries.insertAsync(toStored(delivery));
        return { created: true };
      } catch (error) {
        if (isUniqueViolation(error)) return { created: false };
        throw error;
      }
    },
    async findById(id) {
      return toDelivery(await findOne(deliveries.findOneAsync({ _id: id })));
    },
    async listDue(now, limit) {
      const docs = await findMany(deliveries.findAsync({ status: 'pending', nextAttemptAt: { $lte: now } }).sort({ nextAttemptAt: 1, _id: 1 }).limit(limit));
      return docs.map((d) => toDelivery(d)!);
    },
    async nextDueAt() {
      const [first] = await findMany(deliveries.findAsync({ status: 'pending' }).sort({ nextAttemptAt: 1 }).limit(1));
      return (first?.nextAttemptAt as string | undefined) ?? null;
    },
    async claim(id, expected, leaseUntil) {
      return toDelivery(await updateOneReturning(deliveries, { _id: id, status: 'pending', nextAttemptAt: expected }, { $set: { nextAttemptAt: leaseUntil } }));
    },
    async recordAttempt(id, attempt, next, at) {
      await deliveries.updateAsync({ _id: id }, { $push: { attempts: definedOnly(attempt) }, $set: { status: next.status, nextAttemptAt: next.nextAttemptAt, updatedAt: at } }, {});
    },
    async release(id, at) {
      await deliveries.updateAsync({ _id: id, status: 'pending' }, { $set: { nextAttemptAt: at } }, {});
    },
    async listByHook(hookId, limit) {
      return (await findMany(deliveries.findAsync({ hookId }).sort({ seq: -1 }).limit(limit))).map((d) => toDelivery(d)!);
    },
    async cancelPending(hookId, at) {
      return (await deliveries.updateAsync({ hookId, status: 'pending' }, { $set: { status: 'cancelled', nextAttemptAt: null, updatedAt: at } }, { multi: true })).numAffected;
    },
    async deleteByHook(hookId) {
      return deliveries.removeAsync({ hookId }, { multi: true });
    },
  };
}
