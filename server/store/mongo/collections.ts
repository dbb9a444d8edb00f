import type { Collection, Db, Document } from 'mongodb';

/** A stored document: our id string is the `_id` (the driver's Document keeps update typings open). */
export type StoredDoc = { _id: string } & Document;

export interface Collections {
  accounts: Collection<StoredDoc>;
  sessions: Collection<StoredDoc>;
  liveFiles: Collection<StoredDoc>;
  entries: Collection<StoredDoc>;
  docSnapshots: Collection<StoredDoc>;
  docUpdates: Collection<StoredDoc>;
}

export function collectionsOf(db: Db): Collections {
  return {
    accounts: db.collection<StoredDoc>('accounts'),
    sessions: db.collection<StoredDoc>('sessions'),
    liveFiles: db.collection<StoredDoc>('liveFiles'),
    entries: db.collection<StoredDoc>('entries'),
    docSnapshots: db.collection<StoredDoc>('docSnapshots'),
    docUpdates: db.collection<StoredDoc>('docUpdates'),
  };
}

/**
 * Idempotent: createIndexes with the same spec is a no-op. The optional idempotency key gets a
 * derived single field (`idemKey`) under a unique sparse index rather than a compound index with
 * partialFilterExpression: a sparse compound index still indexes docs that lack only one key,
 * and FerretDB 1.x does not implement partialFilterExpression.
 */
export async function ensureIndexes(c: Collections): Promise<void> {
  await Promise.all([
    c.accounts.createIndexes([
      { key: { usernameKey: 1 }, name: 'usernameKey_unique', unique: true },
      { key: { newsroomId: 1, usernameKey: 1 }, name: 'newsroom_username' },
    ]),
    c.sessions.createIndexes([{ key: { accountId: 1 }, name: 'accountId' }]),
    c.liveFiles.createIndexes([
      { key: { newsroomId: 1, slug: 1 }, name: 'newsroom_slug_unique', unique: true },
      { key: { newsroomId: 1, createdAt: -1 }, name: 'newsroom_newest' },
    ]),
    c.entries.createIndexes([
      { key: { idemKey: 1 }, name: 'idemKey_unique', unique: true, sparse: true },
      { key: { liveFileId: 1, createdAt: 1 }, name: 'liveFile_oldest' },
    ]),
    c.docUpdates.createIndexes([{ key: { docName: 1, _id: 1 }, name: 'docName_order' }]),
  ]);
}
