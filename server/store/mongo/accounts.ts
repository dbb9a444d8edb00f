import { DuplicateKeyError, type AccountRecord, type AccountRepo, type NewAccount } from '../Store.js';
import type { Collection } from 'mongodb';
import type { StoredDoc } from './collections.js';
import { definedOnly, fromStored, isDuplicateKey, toStored } from './documents.js';
import { DocumentWriteQueue } from './writeQueue.js';

export function mongoAccounts(accounts: Collection<StoredDoc>): AccountRepo {
  const toRecord = (doc: StoredDoc | null) => fromStored<AccountRecord>(doc);
  const queue = new DocumentWriteQueue();
  return {
    async create(account: NewAccount) {
      const now = new Date().toISOString();
      const record: AccountRecord = { ...account, createdAt: now, updatedAt: now };
      await accounts.insertOne(toStored(record)).catch((error: unknown) => {
        throw isDuplicateKey(error) ? new DuplicateKeyError('accounts', error) : error;
      });
      return record;
    },
    async findById(id) {
      return toRecord(await accounts.findOne({ _id: id }));
    },
    async findByUsername(username) {
      return toRecord(await accounts.findOne({ usernameKey: username.toLowerCase() }));
    },
    async list(newsroomId) {
      const docs = await accounts.find({ newsroomId }).sort({ usernameKey: 1 }).toArray();
      return docs.map((doc) => toRecord(doc) as AccountRecord);
    },
    async update(id, patch) {
      const $set = { ...definedOnly(patch), updatedAt: new Date().toISOString() };
      return queue.run(id, async () =>
        toRecord(await accounts.findOneAndUpdate({ _id: id }, { $set }, { returnDocument: 'after' })),
      );
    },
    async recordActivity(id, at) {
      // Through the queue: FerretDB writes back the whole document, so an unqueued write could undo a role change.
      await queue.run(id, () => accounts.updateOne({ _id: id }, { $set: { lastActiveAt: at } }));
    },
    async count() {
      return accounts.countDocuments({});
    },
  };
}
