import { DuplicateKeyError } from '../Store.js';
import type { PublishingRepo, ReaderChangeRecord, ReaderCursor, ReaderEntryRecord } from '../ports/publishing.js';
import type { Collection, StoredDoc } from './collections.js';
import { compoundKey, findMany, findOne, isUniqueViolation } from './documents.js';

const PUBLICATION_KINDS = ['published', 'corrected', 'retracted'];

/**
 * readerChanges: `_id` is the changeKey (unique), `seqKey` = liveFileId • seq (unique), so a
 * retried change and a taken seq are both refused by an index; a lookup by changeKey after the
 * refusal tells them apart. readerEntries: `_id` is the entryId.
 */
export function embeddedPublishing(changes: Collection, readerEntries: Collection): PublishingRepo {
  const toChange = (doc: StoredDoc): ReaderChangeRecord => {
    const { _id, seqKey: _seqKey, ...rest } = doc;
    return { ...rest, changeKey: _id } as unknown as ReaderChangeRecord;
  };
  const toEntry = (doc: StoredDoc | null | undefined): ReaderEntryRecord | null => {
    if (!doc) return null;
    const { _id, ...rest } = doc;
    return { ...rest, entryId: _id } as unknown as ReaderEntryRecord;
  };
  const storedEntry = (entry: ReaderEntryRecord): StoredDoc => {
    const { entryId, ...rest } = entry;
    return { _id: entryId, ...rest };
  };

  return {
    async lastSeq(liveFileId) {
      const [last] = await findMany(changes.findAsync({ liveFileId }).sort({ seq: -1 }).limit(1));
      return last ? (last.seq as number) : 0;
    },
    async appendChange(change) {
      const { changeKey, ...rest } = change;
      const doc: StoredDoc = { _id: changeKey, ...rest, seqKey: compoundKey(change.liveFileId, String(change.seq)) };
      try {
        await changes.insertAsync(doc);
        return { inserted: true };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        // Which index refused it: the change itself stored already (a retry), or its seq taken.
        const existing = await findOne(changes.findOneAsync({ _id: changeKey }));
        if (existing) return { inserted: false, existing: toChange(existing) };
        throw new DuplicateKeyError('readerChanges', error);
      }
    },
    async changesAfter(liveFileId, after, limit) {
      const docs = await findMany(changes.findAsync({ liveFileId, seq: { $gt: after } }).sort({ seq: 1 }).limit(limit));
      return docs.map(toChange);
    },
    async publicationsOf(entryId) {
      const docs = await findMany(changes.findAsync({ entryId, kind: { $in: PUBLICATION_KINDS } }).sort({ seq: 1 }));
      return docs.map(toChange);
    },
    async putReaderEntry(entry) {
      // nedb runs one operation at a time: the seq condition and the replace (or insert) are atomic.
      try {
        await readerEntries.updateAsync({ _id: entry.entryId, seq: { $lt: entry.seq } }, storedEntry(entry), { upsert: true });
      } catch (error) {
        // The upsert's insert hit the stored record: it has seq >= entry.seq, so it stays.
        if (!isUniqueViolation(error)) throw error;
      }
    },
    async findReaderEntry(entryId) {
      return toEntry(await findOne(readerEntries.findOneAsync({ _id: entryId })));
    },
    async listReaderEntries(liveFileId, { after, limit }) {
      const query = after ? { liveFileId, ...afterCursor(after) } : { liveFileId };
      const docs = await findMany(readerEntries.findAsync(query).sort({ pinned: -1, position: 1, _id: 1 }).limit(limit));
      return docs.map((doc) => toEntry(doc) as ReaderEntryRecord);
    },
    async recentReaderEntries(liveFileId, limit) {
      const docs = await findMany(readerEntries.findAsync({ liveFileId }).sort({ publishedAt: -1, _id: -1 }).limit(limit));
      return docs.map((doc) => toEntry(doc) as ReaderEntryRecord);
    },
  };
}

/** Strictly after `c` in the order (pinned desc, position asc, entryId asc). */
function afterCursor(c: ReaderCursor): object {
  const laterInGroup = { pinned: c.pinned, $or: [{ position: { $gt: c.position } }, { position: c.position, _id: { $gt: c.entryId } }] };
  return c.pinned ? { $or: [laterInGroup, { pinned: false }] } : laterInGroup;
}
