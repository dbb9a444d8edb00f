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
  /** `_id` = docName • NUL • clientId; which account introduced each Yjs client id of a document. */
  docClientOwners: Collection<StoredDoc>;
}

export function collectionsOf(db: Db): Collections {
  return {
    accounts: db.collection<StoredDoc>('accounts'),
    sessions: db.collection<StoredDoc>('sessions'),
    liveFiles: db.collection<StoredDoc>('liveFiles'),
    entries: db.collection<StoredDoc>('entries'),
    docSnapshots: db.collection<StoredDoc>('docSnapshots'),
    docUpdates: db.collection<StoredDoc>('docUpdates'),
    docClientOwners: db.collection<StoredDoc>('docClientOwners'),
  };
}

type IndexSpec = Parameters<Collection<StoredDoc>['createIndexes']>[0][number];

/**
 * Idempotent: creating an existing index with the same spec is a no-op. The optional idempotency
 * key gets a derived single field (`idemKey`) under a unique sparse index rather than a compound
 * index with partialFilterExpression: a sparse compound index still indexes docs that lack only
 * one of its keys, and FerretDB 1.x does not implement partialFilterExpression.
 */
export async function ensureIndexes(c: Collections): Promise<void> {
  const specs: [Collection<StoredDoc>, IndexSpec[]][] = [
    [
      c.accounts,
      [
        { key: { usernameKey: 1 }, name: 'usernameKey_unique', unique: true },
        { key: { newsroomId: 1, usernameKey: 1 }, name: 'newsroom_username' },
      ],
    ],
    [c.sessions, [{ key: { accountId: 1 }, name: 'accountId' }]],
    [
      c.liveFiles,
      [
        { key: { newsroomId: 1, slug: 1 }, name: 'newsroom_slug_unique', unique: true },
        { key: { newsroomId: 1, createdAt: -1 }, name: 'newsroom_newest' },
      ],
    ],
    [
      c.entries,
      [
        { key: { idemKey: 1 }, name: 'idemKey_unique', unique: true, sparse: true },
        { key: { liveFileId: 1, createdAt: 1 }, name: 'liveFile_oldest' },
      ],
    ],
    [c.docUpdates, [{ key: { docName: 1, _id: 1 }, name: 'docName_order' }]],
    [c.docClientOwners, [{ key: { docName: 1, clientId: 1 }, name: 'docName_clientId_unique', unique: true }]],
  ];
  // One spec per command: FerretDB 1.24 panics when a multi-spec createIndexes repeats existing indexes.
  await Promise.all(
    specs.map(async ([collection, indexes]) => {
      for (const index of indexes) await collection.createIndexes([index]);
    }),
  );
}
