import type { Collection } from 'mongodb';
import type { EntryRecord, EntryRepo, EntrySummary, NewEntry } from '../ports/entries.js';
import type { StoredDoc } from './collections.js';
import { compoundKey, definedOnly, fromStored, isDuplicateKey, setAndUnset, toStored } from './documents.js';
import { DocumentWriteQueue } from './writeQueue.js';

/**
 * Derived fields: `idemKey` behind the unique sparse (liveFileId, idempotencyKey) index;
 * `hasPending` (true while `pending` is set) behind a small sparse index for `listPending`, so the
 * index never holds the pending steps themselves.
 */
/** The fields of a summary (the sort runs before the projection, so createdAt need not come back). */
const SUMMARY = { newsroomId: 1, authorId: 1, updatedAt: 1 } as const;
const INTERNAL = ['idemKey', 'hasPending'] as const;

export function mongoEntries(entries: Collection<StoredDoc>): EntryRepo {
  const toRecord = (doc: StoredDoc | null) => fromStored<EntryRecord>(doc, INTERNAL);
  const byId = async (id: string) => toRecord(await entries.findOne({ _id: id }));
  const queue = new DocumentWriteQueue();
  const updateOne = (id: string, filter: object, update: object) =>
    queue.run(id, async () => toRecord(await entries.findOneAndUpdate({ ...filter, _id: id }, update, { returnDocument: 'after' })));

  return {
    async createOnce(entry: NewEntry) {
      const record: EntryRecord = { ...entry, version: entry.version ?? 0, revision: entry.revision ?? 1 };
      const idemKey = entry.idempotencyKey === undefined ? undefined : compoundKey(entry.liveFileId, entry.idempotencyKey);
      try {
        // The unique index decides atomically which of concurrent inserts is first.
        const derived = { ...(idemKey === undefined ? {} : { idemKey }), ...(record.pending === undefined ? {} : { hasPending: true }) };
        await entries.insertOne(toStored(record, derived));
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
    async summariesByLiveFile(liveFileId) {
      const docs = await entries.find({ liveFileId }, { projection: SUMMARY }).sort({ createdAt: 1, _id: 1 }).toArray();
      return docs.map((doc) => ({ id: doc._id, newsroomId: doc.newsroomId, authorId: doc.authorId, updatedAt: doc.updatedAt }) as EntrySummary);
    },
    async countByLiveFile(liveFileId) {
      return entries.countDocuments({ liveFileId });
    },
    async transition(id, expected, patch) {
      // Compare-and-set in one conditional update: a stale status or version matches nothing.
      // Every field of the patch goes in the same update: `null` unsets it, `undefined` leaves it.
      const filter = { status: expected.status, version: expected.version };
      const withFlag = patch.pending === undefined ? patch : { ...patch, hasPending: patch.pending === null ? null : true };
      return updateOne(id, filter, { ...setAndUnset(withFlag), $inc: { version: 1 } });
    },
    async updateMeta(id, patch) {
      const $set = definedOnly(patch);
      if (Object.keys($set).length === 0) return byId(id);
      return updateOne(id, {}, { $set });
    },
    async bumpRevision(id, bump) {
      // No stored fingerprint yet matches only a record without one.
      const filter = { revisionHash: bump.fromHash === undefined ? { $exists: false } : bump.fromHash };
      const { $set, $unset } = setAndUnset({
        revisionHash: bump.toHash,
        lastEditorId: bump.editorId ?? null,
        preview: bump.preview,
        updatedAt: bump.updatedAt,
      });
      return updateOne(id, filter, { $set, ...($unset ? { $unset } : {}), $inc: { revision: 1 } });
    },
    async clearPending(id, version) {
      await queue.run(id, () => entries.updateOne({ _id: id, version }, { $unset: { pending: '', hasPending: '' } }));
    },
    async listPending() {
      const docs = await entries.find({ hasPending: true }).sort({ createdAt: 1, _id: 1 }).toArray();
      return docs.map((doc) => toRecord(doc) as EntryRecord);
    },
    async listByStatus(status, newsroomId) {
      const filter = newsroomId === undefined ? { status } : { status, newsroomId };
      const docs = await entries.find(filter).sort({ createdAt: 1, _id: 1 }).toArray();
      return docs.map((doc) => toRecord(doc) as EntryRecord);
    },
    async listByAuthor(authorId) {
      const docs = await entries.find({ authorId }).sort({ createdAt: -1, _id: -1 }).toArray();
      return docs.map((doc) => toRecord(doc) as EntryRecord);
    },
    async addContributors(id, accountIds) {
      if (accountIds.length === 0) return byId(id);
      return updateOne(id, {}, { $addToSet: { contributorIds: { $each: accountIds } } });
    },
  };
}
