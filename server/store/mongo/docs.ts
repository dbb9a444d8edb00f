import { ObjectId, type Collection } from 'mongodb';
import type { DocRepo, StoredDoc as LoadedDoc } from '../ports/docLogs.js';
import type { StoredDoc } from './collections.js';
import { fromBinary, toBinary } from './documents.js';
import { DocumentWriteQueue } from './writeQueue.js';

/**
 * Update ids are ObjectId hex strings: they sort in append order within a process and by second
 * across processes. Yjs applies updates in any order, so that is only for readability.
 */
export function mongoDocs(snapshots: Collection<StoredDoc>, updates: Collection<StoredDoc>): DocRepo {
  const queue = new DocumentWriteQueue();
  return {
    async load(docName): Promise<LoadedDoc> {
      const [snapshotDoc, updateDocs] = await Promise.all([
        snapshots.findOne({ _id: docName }),
        updates.find({ docName }).sort({ _id: 1 }).toArray(),
      ]);
      return {
        snapshot: snapshotDoc ? fromBinary(snapshotDoc.snapshot) : null,
        updates: updateDocs.map((doc) => ({ id: doc._id, update: fromBinary(doc.update) })),
      };
    },
    async append(docName, update) {
      // Acknowledged under the connection's write concern (default majority) before resolving.
      const id = new ObjectId().toHexString();
      await updates.insertOne({ _id: id, docName, update: toBinary(update) });
      return id;
    },
    async compact(docName, snapshot, coveredUpdateIds) {
      await queue.run(docName, async () => {
        // Snapshot first: a crash before the delete leaves updates the snapshot already contains.
        await snapshots.replaceOne({ _id: docName }, { snapshot: toBinary(snapshot) }, { upsert: true });
        if (coveredUpdateIds.length > 0) await updates.deleteMany({ docName, _id: { $in: coveredUpdateIds } });
      });
    },
    async delete(docName) {
      await queue.run(docName, async () => {
        await snapshots.deleteOne({ _id: docName });
        await updates.deleteMany({ docName });
      });
    },
  };
}
