import { DuplicateKeyError } from '../Store.js';
import type { AuditRecord, AuditRepo } from '../ports/audit.js';
import type { Collection } from './collections.js';
import { compoundKey, findMany, findOne, fromStored, isUniqueViolation, toStored } from './documents.js';

/** Derived field behind the unique (entryId, version) index. */
const INTERNAL = ['versionKey'] as const;

export function embeddedAudit(audit: Collection): AuditRepo {
  const toRecords = (docs: unknown[]) => docs.map((doc) => fromStored<AuditRecord>(doc, INTERNAL) as AuditRecord);
  return {
    async append(record) {
      const versionKey = compoundKey(record.entryId, String(record.version));
      try {
        await audit.insertAsync(toStored(record, { versionKey }));
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        // A retried step: this transition is logged already. Anything else is a clash of ids.
        if (!(await findOne(audit.findOneAsync({ versionKey })))) throw new DuplicateKeyError('audit', error);
      }
    },
    async listByEntry(entryId) {
      return toRecords(await findMany(audit.findAsync({ entryId }).sort({ at: 1, version: 1 })));
    },
    async listByLiveFile(liveFileId) {
      return toRecords(await findMany(audit.findAsync({ liveFileId }).sort({ at: 1, version: 1 })));
    },
  };
}
