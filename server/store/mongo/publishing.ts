import type { Collection } from 'mongodb';
import { DuplicateKeyError } from '../Store.js';
import type { PublishingRepo, ReaderChangeRecord, ReaderCursor, ReaderEntryRecord } from '../ports/publishing.js';
import type { StoredDoc } from './collections.js';
import { isDuplicateKey } from './documents.js';
import { DocumentWriteQueue } from './writeQueue.js';

const PUBLICATION_KINDS = ['published', 'corrected', 'retracted'];

/**
 * readerChanges: `_id` is the changeKey (unique) under a unique (liveFileId, seq) index, so a
 * retried change and a taken seq are both refused by an index (atomic on FerretDB too); a lookup
 * by changeKey after the refusal tells them apart. readerEntries: `_id` is the entryId; its
 * seq-guarded replace runs in the per-document queue (FerretDB's conditional updates are not atomic).
 */
export function mongoPublishing(changes: Collection<StoredDoc>, readerEntries: Collection<StoredDoc>): PublishingRepo {
  const queue = new DocumentWriteQueue();
  const toChange = (doc: StoredDoc): ReaderChangeRecord => {
    const { _id, ...rest } = doc;
    return { ...rest, changeKey: _id } as unknown as ReaderChangeRecord;
  };
  const toEntry = (doc: StoredDoc | null | undefined): ReaderEntryRecord | null => {
    if (!doc) return null;
    const { _id, ...rest } = doc;
    return { ...rest, entryId: _id } as unknown as ReaderEntryRecord;
  };

  return {
    async lastSeq(liveFileId) {
      // The unique (liveFileId, seq) index, read backwards: one key.
      const [last] = await changes.find({ liveFileId }).sort({ seq: -1 }).limit(1).toArray();
      return last ? (last.seq as number) : 0;
    },
    async appendChange(change) {
      const { changeKey, ...rest } = change;
      try {
        await changes.insertOne({ _id: changeKey, ...rest });
        return { inserted: true };
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        // Which index refused it: the change itself stored already (a retry), or its seq taken.
        const existing = await changes.findOne({ _id: changeKey });
        if (existing) return { inserted: false, existing: toChange(existing) };
        throw new DuplicateKeyError('readerChanges', error);
      }
    },
    async changesAfter(liveFileId, after, limit) {
      const docs = await changes.find({ liveFileId, seq: { $gt: after } }).sort({ seq: 1 }).limit(limit).toArray();
      return docs.map(toChange);
    },
    async publicationsOf(entryId) {
      const docs = await changes.find({ entryId, kind: { $in: PUBLICATION_KINDS } }).sort({ seq: 1 }).toArray();
      return docs.map(toChange);
    },
    async putReaderEntry(entry) {
      const { entryId, ...rest } = entry;
      await queue.run(entryId, async () => {
        try {
          // Replaces an older record or inserts the first; a stored seq >= entry.seq matches nothing.
          await readerEntries.replaceOne({ _id: entryId, seq: { $lt: entry.seq } }, rest, { upsert: true });
        } catch (error) {
          // The upsert's insert hit the stored record (another process was first): it is newer, it stays.
          if (!isDuplicateKey(error)) throw error;
        }
      });
    },
    async findReaderEntry(entryId) {
      return toEntry(await readerEntries.findOne({ _id: entryId }));
    },
    async listReaderEntries(liveFileId, { after, limit }) {
      // Served by the reader_order index (liveFileId, pinned -1, position, _id).
      const filter = after ? { liveFileId, ...afterCursor(after) } : { liveFileId };
      const docs = await readerEntries.find(filter).sort({ pinned: -1, position: 1, _id: 1 }).limit(limit).toArray();
      return docs.map((doc) => toEntry(doc) as ReaderEntryRecord);
    },
    async recentReaderEntries(liveFileId, limit) {
      // Served by the reader_recent index (liveFileId, publishedAt -1, _id -1).
      const docs = await readerEntries.find({ liveFileId }).sort({ publishedAt: -1, _id: -1 }).limit(limit).toArray();
      return docs.map((doc) => toEntry(doc) as ReaderEntryRecord);
    },
  };
}

/** Strictly after `c` in the order (pinned desc, position asc, entryId asc). */
function afterCursor(c: ReaderCursor): object {
  const laterInGroup = { pinned: c.pinned, $or: [{ position: { $gt: c.position } }, { position: c.position, _id: { $gt: c.entryId } }] };
  return c.pinned ? { $or: [laterInGroup, { pinned: false }] } : laterInGroup;
}
