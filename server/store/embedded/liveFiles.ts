import { DuplicateKeyError, type LiveFileRecord, type LiveFileRepo, type NewLiveFile } from '../Store.js';
import type { Collection } from './collections.js';
import { compoundKey, definedOnly, findMany, isUniqueViolation, findOne, fromStored, toStored, updateOneReturning } from './documents.js';

/** Derived field behind the unique (newsroomId, slug) index. */
const INTERNAL = ['slugKey'] as const;

export function embeddedLiveFiles(liveFiles: Collection): LiveFileRepo {
  const toRecord = (doc: unknown) => fromStored<LiveFileRecord>(doc, INTERNAL);
  return {
    async create(file: NewLiveFile) {
      const record: LiveFileRecord = { ...file, seq: 0 };
      const doc = toStored(record, { slugKey: compoundKey(file.newsroomId, file.slug) });
      await liveFiles.insertAsync(doc).catch((error: unknown) => {
        throw isUniqueViolation(error) ? new DuplicateKeyError('liveFiles', error) : error;
      });
      return record;
    },
    async findById(id) {
      return toRecord(await findOne(liveFiles.findOneAsync({ _id: id })));
    },
    async findBySlug(newsroomId, slug) {
      return toRecord(await findOne(liveFiles.findOneAsync({ slugKey: compoundKey(newsroomId, slug) })));
    },
    async findByPublicSlug(slug) {
      // Older newsrooms may share a slug: the first file made under it keeps its public address.
      const [doc] = await findMany(liveFiles.findAsync({ slug }).sort({ createdAt: 1, _id: 1 }).limit(1));
      return toRecord(doc);
    },
    async list(newsroomId) {
      const docs = await findMany(liveFiles.findAsync({ newsroomId }).sort({ createdAt: -1, _id: -1 }));
      return docs.map((doc) => toRecord(doc) as LiveFileRecord);
    },
    async update(id, patch) {
      const $set = definedOnly(patch);
      if (Object.keys($set).length === 0) return toRecord(await findOne(liveFiles.findOneAsync({ _id: id })));
      return toRecord(await updateOneReturning(liveFiles, { _id: id }, { $set }));
    },
    async bumpSeq(id) {
      // nedb runs one operation at a time, so $inc plus the returned doc is atomic.
      const doc = await updateOneReturning(liveFiles, { _id: id }, { $inc: { seq: 1 } });
      if (!doc) throw new Error(`bumpSeq: no live file ${id}`);
      return doc.seq as number;
    },
  };
}
