import * as Y from 'yjs';
import type { Logger } from 'pino';
import type { DocRepo } from '../store/Store.js';
import { STORE_ORIGIN } from './origins.js';

export interface LoadedDoc {
  doc: Y.Doc;
  /** The stored updates' ids: the next compaction deletes them. */
  updateIds: string[];
  /** Bytes stored for the doc (snapshot plus log): at least the size of its state. */
  storedBytes: number;
  /** The doc's whole state as stored, when a lone snapshot holds it (no encoding needed). */
  fullState: Uint8Array | null;
}

/** Snapshot plus update log → one Y.Doc, applied in one transaction with the store origin. */
export async function loadDoc(docs: DocRepo, docName: string, logger: Logger): Promise<LoadedDoc> {
  const stored = await docs.load(docName);
  const doc = new Y.Doc({ gc: true });
  doc.transact(() => {
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot, STORE_ORIGIN);
    for (const { id, update } of stored.updates) {
      try {
        Y.applyUpdate(doc, update, STORE_ORIGIN);
      } catch (err) {
        // Only accepted updates are stored, so this is disk damage: keep the rest readable.
        logger.error({ err, docName, updateId: id }, 'collab stored update does not apply');
      }
    }
  }, STORE_ORIGIN);
  const dropped = doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
  if (dropped) {
    // Orphans stored by an earlier build: never served to joiners; the next compaction drops them.
    logger.warn({ docName }, 'collab stored doc had pending structs; dropped');
    doc.store.pendingStructs = null;
    doc.store.pendingDs = null;
  }
  const fullState = stored.updates.length === 0 && !dropped ? stored.snapshot : null;
  const storedBytes = (stored.snapshot?.byteLength ?? 0) + stored.updates.reduce((n, u) => n + u.update.byteLength, 0);
  return { doc, updateIds: stored.updates.map((u) => u.id), storedBytes, fullState };
}
