import type { DocRepo, StoredDoc as LoadedDoc } from '../Store.js';
import type { Collection } from './collections.js';
import { findMany, findOne } from './documents.js';

/** nedb writes JSON lines: binary is kept as base64 and copied into a fresh Uint8Array on read. */
const encode = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
const decode = (base64: string) => new Uint8Array(Buffer.from(base64, 'base64')); // copies out of Buffer's pool

/**
 * Updates carry `n`, a counter that keeps append order across restarts: this process owns the
 * directory, so it continues from the largest stored value.
 */
export async function embeddedDocs(snapshots: Collection, updates: Collection): Promise<DocRepo> {
  const [last] = await findMany(updates.findAsync({}).sort({ n: -1 }).limit(1));
  let nextN = ((last?.n as number | undefined) ?? 0) + 1;

  return {
    async load(docName): Promise<LoadedDoc> {
      const [snapshotDoc, updateDocs] = await Promise.all([
        findOne(snapshots.findOneAsync({ _id: docName })),
        findMany(updates.findAsync({ docName }).sort({ n: 1 })),
      ]);
      return {
        snapshot: snapshotDoc ? decode(snapshotDoc.snapshot as string) : null,
        updates: updateDocs.map((doc) => ({ id: doc._id, update: decode(doc.update as string) })),
      };
    },
    async append(docName, update) {
      // nedb appends the line to the datafile (fs.appendFile) before resolving: it survives a process
      // crash. It does not fsync, so an OS crash may lose the last appends (nedb's documented trade-off).
      const doc = await updates.insertAsync({ docName, n: nextN++, update: encode(update) });
      return doc._id;
    },
    async compact(docName, snapshot, coveredUpdateIds) {
      await snapshots.updateAsync({ _id: docName }, { _id: docName, snapshot: encode(snapshot) }, { upsert: true });
      if (coveredUpdateIds.length === 0) return;
      await updates.removeAsync({ docName, _id: { $in: coveredUpdateIds } }, { multi: true });
    },
    async delete(docName) {
      await snapshots.removeAsync({ _id: docName }, { multi: false });
      await updates.removeAsync({ docName }, { multi: true });
    },
  };
}
