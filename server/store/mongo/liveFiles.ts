import type { Collection } from 'mongodb';
import { DuplicateKeyError, type LiveFileRecord, type LiveFileRepo, type NewLiveFile } from '../Store.js';
import type { StoredDoc } from './collections.js';
import { definedOnly, fromStored, isDuplicateKey, toStored } from './documents.js';
import { DocumentWriteQueue } from './writeQueue.js';

export function mongoLiveFiles(liveFiles: Collection<StoredDoc>): LiveFileRepo {
  const toRecord = (doc: StoredDoc | null) => fromStored<LiveFileRecord>(doc);
  const queue = new DocumentWriteQueue();
  return {
    async create(file: NewLiveFile) {
      const record: LiveFileRecord = { ...file, seq: 0 };
      await liveFiles.insertOne(toStored(record)).catch((error: unknown) => {
        throw isDuplicateKey(error) ? new DuplicateKeyError('liveFiles', error) : error;
      });
      return record;
    },
    async findById(id) {
      return toRecord(await liveFiles.findOne({ _id: id }));
    },
    async findBySlug(newsroomId, slug) {
      return toRecord(await liveFiles.findOne({ newsroomId, slug }));
    },
    async findByPublicSlug(slug) {
      // Older newsrooms may share a slug: the first file made under it keeps its public address.
      const [doc] = await liveFiles.find({ slug }).sort({ createdAt: 1, _id: 1 }).limit(1).toArray();
      return toRecord(doc ?? null);
    },
    async list(newsroomId) {
      const docs = await liveFiles.find({ newsroomId }).sort({ createdAt: -1, _id: -1 }).toArray();
      return docs.map((doc) => toRecord(doc) as LiveFileRecord);
    },
    async update(id, patch) {
      const $set = definedOnly(patch);
      if (Object.keys($set).length === 0) return toRecord(await liveFiles.findOne({ _id: id }));
      return queue.run(id, async () =>
        toRecord(await liveFiles.findOneAndUpdate({ _id: id }, { $set }, { returnDocument: 'after' })),
      );
    },
    async bumpSeq(id) {
      // $inc and the returned document form one atomic step (no projection: FerretDB 1.x lacks it there).
      const doc = await queue.run(id, () => liveFiles.findOneAndUpdate({ _id: id }, { $inc: { seq: 1 } }, { returnDocument: 'after' }));
      if (!doc) throw new Error(`bumpSeq: no live file ${id}`);
      return doc.seq as number;
    },
  };
}
