import type { Collection } from 'mongodb';
import type { EntryRecord, EntryRepo, NewEntry } from '../ports/entries.js';
import type { StoredDoc } from './collections.js';
import { compoundKey, definedOnly, fromStored, isDuplicateKey, toStored } from './documents.js';
import { DocumentWriteQueue } from './writeQueue.js';

/** Derived field behind the unique sparse (liveFileId, idempotencyKey) index. */
const INTERNAL = ['idemKey'] as const;

export function mongoEntries(entries: Collection<StoredDoc>): EntryRepo {
  const toRecord = (doc: StoredDoc | null) => fromStored<EntryRecord>(doc, INTERNAL);
  const byId = async (id: string) => toRecord(await entries.findOne({ _id: id }));
  const queue = new DocumentWriteQueue();
  const updateOne = (id: string, filter: object, update: object) =>
    queue.run(id, async () => toRecord(await entries.findOneAndUpdate({ ...filter, _id: id }, update, { returnDocument: 'after' })));

  return {
    async createOnce(entry: NewEntry) {
      const record: EntryRecord = { ...entry, version: entry.version ?? 0 };
      const idemKey = entry.idempotencyKey === undefined ? undefined : compoundKey(entry.liveFileId, entry.idempotencyKey);
      try {
        // The unique index decides atomically which of concurrent inserts is first.
        await entries.insertOne(toStored(record, idemKey === undefined ? {} : { idemKey }));
        return { entry: toRecord(toStored(record)) as EntryRecord, created: true };
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        // A repeat: the first one wins, whatever its payload (the caller compares and answers conflict).
        const existing = await entries.findOne(idemKey === undefined ? { _id: record.id } : { idemKey });
        if (!existing) throw error;
        return { entry: toRecord(existing) as EntryRecord, created: false };
      }
    },
    findById: byId,
    async listByLiveFile(liveFileId) {
      const docs = await entries.find({ liveFileId }).sort({ createdAt: 1, _id: 1 }).toArray();
      return docs.map((doc) => toRecord(doc) as EntryRecord);
    },
    async countByLiveFile(liveFileId) {
      return entries.countDocuments({ liveFileId });
    },
    async transition(id, expected, patch) {
      // Compare-and-set in one conditional update: a stale status or version matches nothing.
      const filter = { status: expected.status, version: expected.version };
      return updateOne(id, filter, { $set: { status: patch.status, updatedAt: patch.updatedAt }, $inc: { version: 1 } });
    },
    async updateMeta(id, patch) {
      const $set = definedOnly(patch);
      if (Object.keys($set).length === 0) return byId(id);
      return updateOne(id, {}, { $set });
    },
    async addContributors(id, accountIds) {
      if (accountIds.length === 0) return byId(id);
      return updateOne(id, {}, { $addToSet: { contributorIds: { $each: accountIds } } });
    },
  };
}
