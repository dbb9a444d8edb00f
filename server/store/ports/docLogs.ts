/** Yjs persistence for the collab documents (entry:<id>, file:<id>). */
export interface StoredUpdate {
  id: string;
  update: Uint8Array;
}
export interface StoredDoc {
  snapshot: Uint8Array | null;
  updates: StoredUpdate[];
}

/** An append-only update log plus one snapshot per document, and who owns each Yjs client id in it. */
export interface DocRepo {
  load(docName: string): Promise<StoredDoc>;
  /** Durable when the promise resolves; returns the stored update's id. */
  append(docName: string, update: Uint8Array): Promise<string>;
  /**
   * Writes the snapshot, then deletes exactly the listed updates. A crash between the two
   * leaves updates that the snapshot already contains: harmless, Yjs applies them idempotently.
   */
  compact(docName: string, snapshot: Uint8Array, coveredUpdateIds: string[]): Promise<void>;
  /** Deletes the document with its log, snapshot and client-id owners. */
  delete(docName: string): Promise<void>;
  /** Every stored document name (start-up housekeeping; not on a hot path). */
  listNames(): Promise<string[]>;
  /** Which account introduced each Yjs client id of the document (collab refuses structs under another account's id). */
  loadClientOwners(docName: string): Promise<Map<number, string>>;
  /**
   * Records `accountId` as the owner of each id nobody owns yet; durable when it resolves.
   * Returns the stored owner of every requested id: the first claim of an id wins, across processes.
   */
  claimClientIds(docName: string, clientIds: number[], accountId: string): Promise<Map<number, string>>;
}
