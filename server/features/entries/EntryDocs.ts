import type * as Y from 'yjs';

/**
 * The collab documents as features see them (entry:<id> and file:<id>). Owned by the features
 * that need it, implemented by collab/: features never import the collab edge.
 */
export interface EntryDocs {
  /** The document's current state as one V1 update, once everything accepted so far is durable. */
  read(docName: string): Promise<Uint8Array>;
  /**
   * `fn` on the document itself, once everything accepted so far is durable: what `read` gives
   * without encoding the state and decoding it again. `fn` only reads, and returns before any await.
   */
  view<T>(docName: string, fn: (doc: Y.Doc) => T): Promise<T>;
  /**
   * Keeps these documents loaded while `fn` runs (their loads start now, side by side), so the
   * reads, settles and views inside it load each document once instead of once per call.
   */
  holding<T>(docNames: string[], fn: () => Promise<T>): Promise<T>;
  /** A server-side change: applied, stored, then broadcast; resolves once durable. Throws DocTooLargeError past the cap. */
  change(docName: string, fn: (doc: Y.Doc) => void): Promise<void>;
  /**
   * Re-checks the access of every open connection on this document now: each is closed
   * (no access), downgraded to read-only, or reopened (it may write again). Resolves when done.
   */
  reauthorize(docName: string): Promise<void>;
  /**
   * Everything accepted on the document so far is durable and its edit report (entry:edited,
   * desk:edited) has been delivered: the workflow calls it before it decides on a revision.
   */
  settleEdits(docName: string): Promise<void>;
}

/** A change would take a document past its stored-size cap (Limits.maxDocBytes). */
export class DocTooLargeError extends Error {
  constructor(readonly docName: string, readonly bytes: number, readonly limit: number) {
    super(`document ${docName} would be ${bytes} bytes (cap ${limit})`);
    this.name = 'DocTooLargeError';
  }
}
