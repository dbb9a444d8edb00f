import type { Collection } from 'mongodb';
import { DuplicateKeyError } from '../Store.js';
import type { AuditRecord, AuditRepo } from '../ports/audit.js';
import type { StoredDoc } from './collections.js';
import { fromStored, isDuplicateKey, toStored } from './documents.js';

/** Append-only; the unique (entryId, version) index makes a retried append a no-op. */
export function mongoAudit(audit: Collection<StoredDoc>): AuditRepo {
  const toRecords = (docs: StoredDoc[]) => docs.map((doc) => fromStored<AuditRecord>(doc) as AuditRecord);
  return {
    async append(record) {
      try {
        await audit.insertOne(toStored(record));
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        // A retried step: this transition is logged already. Anything else is a clash of ids.
        if (!(await audit.findOne({ entryId: record.entryId, version: record.version }))) throw new DuplicateKeyError('audit', error);
      }
    },
    async listByEntry(entryId) {
      return toRecords(await audit.find({ entryId }).sort({ at: 1, version: 1 }).toArray());
    },
    async listByLiveFile(liveFileId) {
      return toRecords(await audit.find({ liveFileId }).sort({ at: 1, version: 1 }).toArray());
    },
  };
}
