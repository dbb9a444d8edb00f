import nedb from '@seald-io/nedb';
import { join } from 'node:path';

// The typings declare `export default`, but index.js is CommonJS (`module.exports = Datastore`),
// so under NodeNext the default import is the class itself.
const Datastore = nedb as unknown as typeof nedb.default;

/** A stored nedb document: our id lives in `_id`. */
export type StoredDoc = Record<string, unknown> & { _id: string };
export type Collection = InstanceType<typeof Datastore>;

export const COLLECTION_NAMES = ['accounts', 'sessions', 'liveFiles', 'entries', 'readerChanges', 'readerEntries', 'audit', 'idempotency'] as const;
export type CollectionName = (typeof COLLECTION_NAMES)[number];
export type Collections = Record<CollectionName, Collection>;

/** nedb's floor is 5 s; rewriting the append-only files every 10 min keeps them near their live size. */
export const DEFAULT_AUTOCOMPACT_MS = 10 * 60_000;

export async function openCollections(dir: string, autocompactMs: number): Promise<Collections> {
  const entries = await Promise.all(
    COLLECTION_NAMES.map(async (name) => {
      const collection: Collection = new Datastore({ filename: join(dir, `${name}.db`) });
      await collection.loadDatabaseAsync();
      collection.setAutocompactionInterval(autocompactMs);
      return [name, collection] as const;
    }),
  );
  const collections = Object.fromEntries(entries) as Collections;
  await ensureIndexes(collections);
  return collections;
}

/**
 * nedb has no compound unique index over optional fields, so the adapters store derived keys
 * (`slugKey`, `idemKey`, `seqKey`, `versionKey`). sparse: a unique index otherwise rejects a second doc lacking the field.
 */
async function ensureIndexes(c: Collections): Promise<void> {
  await Promise.all([
    c.accounts.ensureIndexAsync({ fieldName: 'usernameKey', unique: true }),
    c.accounts.ensureIndexAsync({ fieldName: 'newsroomId' }),
    c.sessions.ensureIndexAsync({ fieldName: 'accountId' }),
    c.liveFiles.ensureIndexAsync({ fieldName: 'slugKey', unique: true, sparse: true }),
    c.liveFiles.ensureIndexAsync({ fieldName: 'newsroomId' }),
    c.liveFiles.ensureIndexAsync({ fieldName: 'slug' }),
    c.entries.ensureIndexAsync({ fieldName: 'idemKey', unique: true, sparse: true }),
    c.entries.ensureIndexAsync({ fieldName: 'liveFileId' }),
    c.entries.ensureIndexAsync({ fieldName: 'status' }),
    c.entries.ensureIndexAsync({ fieldName: 'authorId' }),
    // readerChanges: `_id` is the changeKey (unique); `seqKey` = liveFileId • seq.
    c.readerChanges.ensureIndexAsync({ fieldName: 'seqKey', unique: true }),
    c.readerChanges.ensureIndexAsync({ fieldName: 'liveFileId' }),
    c.readerChanges.ensureIndexAsync({ fieldName: 'entryId' }),
    // readerEntries: `_id` is the entryId.
    c.readerEntries.ensureIndexAsync({ fieldName: 'liveFileId' }),
    // audit: `versionKey` = entryId • version.
    c.audit.ensureIndexAsync({ fieldName: 'versionKey', unique: true }),
    c.audit.ensureIndexAsync({ fieldName: 'entryId' }),
    c.audit.ensureIndexAsync({ fieldName: 'liveFileId' }),
  ]);
}

/** Stops the timers and rewrites every datafile once, so the next start loads compact files. */
export async function closeCollections(c: Collections): Promise<void> {
  await Promise.all(
    Object.values(c).map(async (collection) => {
      collection.stopAutocompaction();
      await collection.compactDatafileAsync();
    }),
  );
}
