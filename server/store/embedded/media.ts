import nedb from '@seald-io/nedb';
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { MediaBlob, MediaRecord, MediaRepo } from '../ports/media.js';
import { compoundKey, findOne, fromStored, isUniqueViolation, toStored } from './documents.js';

const Datastore = nedb as unknown as typeof nedb.default;
const KEY_PATTERN = /^[A-Za-z0-9_-]{16,80}\.(jpg|webp)$/;

/** Media on disk: one file per blob under <dir>/media/blobs, records in <dir>/media/media.db. */
export async function openEmbeddedMedia(dataDir: string): Promise<MediaRepo> {
  const dir = join(dataDir, 'media');
  const blobs = join(dir, 'blobs');
  await mkdir(blobs, { recursive: true });
  const records = new Datastore({ filename: join(dir, 'media.db') });
  await records.loadDatabaseAsync();
  await records.ensureIndexAsync({ fieldName: 'idemKey', unique: true });
  const toRecord = (doc: unknown) => fromStored<MediaRecord>(doc, ['idemKey']);

  /** Write to a temporary name, fsync, rename: a crash never leaves a half blob under its key. */
  async function writeBlob(blob: MediaBlob): Promise<void> {
    const tmp = join(blobs, `.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(blob.bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, join(blobs, blob.key));
  }

  return {
    async create(record, list) {
      for (const blob of list) await writeBlob(blob);
      try {
        const stored = await records.insertAsync(toStored(record, { idemKey: compoundKey(record.ownerId, record.idempotencyKey) }));
        return { record: toRecord(stored) as MediaRecord, created: true };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        await Promise.all(list.map((b) => rm(join(blobs, b.key), { force: true })));
        const existing = toRecord(await findOne(records.findOneAsync({ idemKey: compoundKey(record.ownerId, record.idempotencyKey) })));
        if (!existing) throw error;
        return { record: existing, created: false };
      }
    },
    async findById(id) {
      return toRecord(await findOne(records.findOneAsync({ _id: id })));
    },
    async findByIdempotencyKey(ownerId, key) {
      return toRecord(await findOne(records.findOneAsync({ idemKey: compoundKey(ownerId, key) })));
    },
    async readBlob(key) {
      if (!KEY_PATTERN.test(key)) return null;
      try {
        return new Uint8Array(await readFile(join(blobs, key)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async close() {
      await records.compactDatafileAsync();
    },
  };
}
