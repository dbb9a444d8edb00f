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
  /** `_id` = changeKey; unique (liveFileId, seq). */
  readerChanges: Collection<StoredDoc>;
  /** `_id` = entryId. */
  readerEntries: Collection<StoredDoc>;
  /** `_id` = record id; unique (entryId, version). */
  audit: Collection<StoredDoc>;
  /** `_id` = scope • key. */
  idempotency: Collection<StoredDoc>;
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
    readerChanges: db.collection<StoredDoc>('readerChanges'),
    readerEntries: db.collection<StoredDoc>('readerEntries'),
    audit: db.collection<StoredDoc>('audit'),
    idempotency: db.collection<StoredDoc>('idempotency'),
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
        { key: { slug: 1, createdAt: 1 }, name: 'public_slug' },
      ],
    ],
    [
      c.entries,
      [
        { key: { idemKey: 1 }, name: 'idemKey_unique', unique: true, sparse: true },
        { key: { liveFileId: 1, createdAt: 1 }, name: 'liveFile_oldest' },
        { key: { status: 1, createdAt: 1, _id: 1 }, name: 'status_oldest' },
        { key: { authorId: 1, createdAt: -1, _id: -1 }, name: 'author_newest' },
        { key: { newsroomId: 1, status: 1, createdAt: 1, _id: 1 }, name: 'newsroom_status_oldest' },
        { key: { hasPending: 1 }, name: 'hasPending', sparse: true },
      ],
    ],
    [c.docUpdates, [{ key: { docName: 1, _id: 1 }, name: 'docName_order' }]],
    [
      c.readerChanges,
      [
        { key: { liveFileId: 1, seq: 1 }, name: 'liveFile_seq_unique', unique: true },
        { key: { entryId: 1, seq: 1 }, name: 'entry_seq' },
      ],
    ],
    // The reader order: pinned first (true sorts after false, hence -1), position, entryId.
    [
      c.readerEntries,
      [
        { key: { liveFileId: 1, pinned: -1, position: 1, _id: 1 }, name: 'reader_order' },
        // The feeds: newest published first.
        { key: { liveFileId: 1, publishedAt: -1, _id: -1 }, name: 'reader_recent' },
      ],
    ],
    [
      c.audit,
      [
        { key: { entryId: 1, version: 1 }, name: 'entry_version_unique', unique: true },
        { key: { liveFileId: 1, at: 1, version: 1 }, name: 'liveFile_oldest' },
      ],
    ],
    [c.docClientOwners, [{ key: { docName: 1, clientId: 1 }, name: 'docName_clientId_unique', unique: true }]],
  ];
  // One spec per command: FerretDB 1.24 panics when a multi-spec createIndexes repeats existing indexes.
  await Promise.all(
    specs.map(async ([collection, indexes]) => {
      for (const index of indexes) await collection.createIndexes([index]);
    }),
  );
}
