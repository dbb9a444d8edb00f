import type { EntryRecord, EntryRepo, NewEntry } from '../ports/entries.js';
import type { Collection, StoredDoc } from './collections.js';
import {
  compoundKey,
  definedOnly,
  findMany,
  findOne,
  fromStored,
  isUniqueViolation,
  toStored,
  updateOneReturning,
} from './documents.js';

/** Derived field behind the unique sparse (liveFileId, idempotencyKey) index. */
const INTERNAL = ['idemKey'] as const;

export function embeddedEntries(entries: Collection): EntryRepo {
  const toRecord = (doc: unknown) => fromStored<EntryRecord>(doc, INTERNAL);
  const byId = async (id: string) => toRecord(await findOne(entries.findOneAsync({ _id: id })));

  return {
    async createOnce(entry: NewEntry) {
      const record: EntryRecord = { ...entry, version: entry.version ?? 0 };
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
    async countByLiveFile(liveFileId) {
      return (await entries.countAsync({ liveFileId })) as unknown as number; // typings wrap the number in a cursor
    },
    async transition(id, expected, patch) {
      // Compare-and-set: nedb runs one operation at a time, so the query's match and the update are atomic.
      const query = { _id: id, status: expected.status, version: expected.version };
      const update = { $set: { status: patch.status, updatedAt: patch.updatedAt }, $inc: { version: 1 } };
      return toRecord(await updateOneReturning(entries, query, update));
    },
    async updateMeta(id, patch) {
      const $set = definedOnly(patch);
      if (Object.keys($set).length === 0) return byId(id);
      return toRecord(await updateOneReturning(entries, { _id: id }, { $set }));
    },
    async addContributors(id, accountIds) {
      if (accountIds.length === 0) return byId(id);
      const update = { $addToSet: { contributorIds: { $each: accountIds } } };
      return toRecord(await updateOneReturning(entries, { _id: id }, update));
    },
  };
}
