import type { EntryRecord, EntryRepo, EntrySummary, NewEntry } from '../ports/entries.js';
import type { Collection, StoredDoc } from './collections.js';
import {
  compoundKey,
  definedOnly,
  findMany,
  findOne,
  fromStored,
  isUniqueViolation,
  setAndUnset,
  toStored,
  updateOneReturning,
} from './documents.js';

/** Derived field behind the unique sparse (liveFileId, idempotencyKey) index. */
/** The fields of a summary (the sort runs before the projection, so createdAt need not come back). */
const SUMMARY = { newsroomId: 1, authorId: 1, updatedAt: 1 } as const;
const INTERNAL = ['idemKey'] as const;

export function embeddedEntries(entries: Collection): EntryRepo {
  const toRecord = (doc: unknown) => fromStored<EntryRecord>(doc, INTERNAL);
  const byId = async (id: string) => toRecord(await findOne(entries.findOneAsync({ _id: id })));

  return {
    async createOnce(entry: NewEntry) {
      const record: EntryRecord = { ...entry, version: entry.version ?? 0, revision: entry.revision ?? 1 };
      const idemKey = entry.idempotencyKey === undefined ? undefined : compoundKey(entry.liveFileId, entry.idempotencyKey);
      try {
        const stored = await entries.insertAsync(toStored(record, idemKey === undefined ? {} : { idemKey }));
        return { entry: toRecord(stored) as EntryRecord, created: true };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        // A repeat: the first one wins, whatever its payload (the caller compares and answers conflict).
        const existing: StoredDoc | null = await findOne(entries.findOneAsync(idemKey === undefined ? { _id: record.id } : { idemKey }));
        if (!existing) throw error;
        return { entry: toRecord(existing) as EntryRecord, created: false };
      }
    },
    findById: byId,
    async listByLiveFile(liveFileId) {
      const docs = await findMany(entries.findAsync({ liveFileId }).sort({ createdAt: 1, _id: 1 }));
      return docs.map((doc) => toRecord(doc) as EntryRecord);
    },
    async summariesByLiveFile(liveFileId) {
      const docs = await findMany(entries.findAsync({ liveFileId }, SUMMARY).sort({ createdAt: 1, _id: 1 }));
      return docs.map((doc) => ({ id: doc._id, newsroomId: doc.newsroomId, authorId: doc.authorId, updatedAt: doc.updatedAt }) as EntrySummary);
    },
    async countByLiveFile(liveFileId) {
      return (await entries.countAsync({ liveFileId })) as unknown as number; // typings wrap the number in a cursor
    },
    async transition(id, expected, patch) {
      // Compare-and-set: nedb runs one operation at a time, so the query's match and the update are atomic.
      // Every field of the patch goes in the same update: `null` unsets it, `undefined` leaves it.
      const query = { _id: id, status: expected.status, version: expected.version };
      return toRecord(await updateOneReturning(entries, query, { ...setAndUnset(patch), $inc: { version: 1 } }));
    },
    async updateMeta(id, patch) {
      const $set = definedOnly(patch);
      if (Object.keys($set).length === 0) return byId(id);
      return toRecord(await updateOneReturning(entries, { _id: id }, { $set }));
    },
    async bumpRevision(id, bump) {
      // No stored fingerprint yet matches only a record without one (nedb: $exists false).
      const query = { _id: id, revisionHash: bump.fromHash === undefined ? { $exists: false } : bump.fromHash };
      const { $set, $unset } = setAndUnset({
        revisionHash: bump.toHash,
        lastEditorId: bump.editorId ?? null,
        preview: bump.preview,
        updatedAt: bump.updatedAt,
      });
      const update = { $set, ...($unset ? { $unset } : {}), $inc: { revision: 1 } };
      return toRecord(await updateOneReturning(entries, query, update));
    },
    async clearPending(id, version) {
      await entries.updateAsync({ _id: id, version, pending: { $exists: true } }, { $unset: { pending: true } }, { multi: false });
    },
    async listPending() {
      // nedb holds the records in memory: a scan, no index (start-up only).
      const docs = await findMany(entries.findAsync({ pending: { $exists: true } }).sort({ createdAt: 1, _id: 1 }));
      return docs.map((doc) => toRecord(doc) as EntryRecord);
    },
    async listByStatus(status, newsroomId) {
      const query = newsroomId === undefined ? { status } : { status, newsroomId };
      const docs = await findMany(entries.findAsync(query).sort({ createdAt: 1, _id: 1 }));
      return docs.map((doc) => toRecord(doc) as EntryRecord);
    },
    async listByAuthor(authorId) {
      const docs = await findMany(entries.findAsync({ authorId }).sort({ createdAt: -1, _id: -1 }));
      return docs.map((doc) => toRecord(doc) as EntryRecord);
    },
    async addContributors(id, accountIds) {
      if (accountIds.length === 0) return byId(id);
      const update = { $addToSet: { contributorIds: { $each: accountIds } } };
      return toRecord(await updateOneReturning(entries, { _id: id }, update));
    },
  };
}
