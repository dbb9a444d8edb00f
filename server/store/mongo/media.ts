import { GridFSBucket, type Db } from 'mongodb';
import type { MediaBlob, MediaRecord, MediaRepo } from '../ports/media.js';
import type { StoredDoc } from './collections.js';
import { compoundKey, fromStored, isDuplicateKey, toStored } from './documents.js';

const KEY_PATTERN = /^[A-Za-z0-9_-]{16,80}\.(jpg|webp)$/;

/** Media in MongoDB: blobs in the GridFS bucket `media`, records in the `media` collection. */
export async function openMongoMedia(db: Db): Promise<MediaRepo> {
  const bucket = new GridFSBucket(db, { bucketName: 'media' });
  const records = db.collection<StoredDoc>('media');
  await records.createIndexes([{ key: { idemKey: 1 }, name: 'idemKey_unique', unique: true }]);
  await db.collection('media.files').createIndexes([{ key: { filename: 1 }, name: 'filename_unique', unique: true }]);
  const toRecord = (doc: StoredDoc | null) => fromStored<MediaRecord>(doc, ['idemKey']);

  async function writeBlob(blob: MediaBlob): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const upload = bucket.openUploadStream(blob.key);
      upload.once('finish', () => resolve());
      upload.once('error', reject);
      upload.end(Buffer.from(blob.bytes.buffer, blob.bytes.byteOffset, blob.bytes.byteLength));
    });
  }

  async function deleteBlobs(keys: string[]): Promise<void> {
    for (const file of await bucket.find({ filename: { $in: keys } }).toArray()) await bucket.delete(file._id);
  }

  return {
    async create(record, list) {
      for (const blob of list) await writeBlob(blob);
      try {
        await records.insertOne(toStored(record, { idemKey: compoundKey(record.ownerId, record.idempotencyKey) }));
        return { record, created: true };
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        await deleteBlobs(list.map((b) => b.key));
        const existing = toRecord(await records.findOne({ idemKey: compoundKey(record.ownerId, record.idempotencyKey) }));
        if (!existing) throw error;
        return { record: existing, created: false };
      }
    },
    async findById(id) {
      return toRecord(await records.findOne({ _id: id }));
    },
    async findByIdempotencyKey(ownerId, key) {
      return toRecord(await records.findOne({ idemKey: compoundKey(ownerId, key) }));
    },
    async readBlob(key) {
      if (!KEY_PATTERN.test(key)) return null;
      const [file] = await bucket.find({ filename: key }).limit(1).toArray();
      if (!file) return null;
      const chunks: Buffer[] = [];
      for await (const chunk of bucket.openDownloadStream(file._id)) chunks.push(chunk as Buffer);
      return new Uint8Array(Buffer.concat(chunks));
    },
    async close() {
      // The client is the store's to close.
    },
  };
}
