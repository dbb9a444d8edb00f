import { DuplicateKeyError, type AccountPatch, type AccountRecord, type AccountRepo, type NewAccount } from '../Store.js';
import type { Collection } from './collections.js';
import { definedOnly, findMany, isUniqueViolation, findOne, fromStored, toStored, updateOneReturning } from './documents.js';

export function embeddedAccounts(accounts: Collection): AccountRepo {
  const toRecord = (doc: unknown) => fromStored<AccountRecord>(doc);
  return {
    async create(account: NewAccount) {
      const now = new Date().toISOString();
      const record: AccountRecord = { ...account, createdAt: now, updatedAt: now };
      await accounts.insertAsync(toStored(record)).catch((error: unknown) => {
        throw isUniqueViolation(error) ? new DuplicateKeyError('accounts', error) : error;
      });
      return record;
    },
    async findById(id) {
      return toRecord(await findOne(accounts.findOneAsync({ _id: id })));
    },
    async findByUsername(username) {
      return toRecord(await findOne(accounts.findOneAsync({ usernameKey: username.toLowerCase() })));
    },
    async list(newsroomId) {
      const docs = await findMany(accounts.findAsync({ newsroomId }).sort({ usernameKey: 1 }));
      return docs.map((doc) => toRecord(doc) as AccountRecord);
    },
    async update(id, patch: AccountPatch) {
      const $set = { ...definedOnly(patch), updatedAt: new Date().toISOString() };
      return toRecord(await updateOneReturning(accounts, { _id: id }, { $set }));
    },
    async recordActivity(id, at) {
      await accounts.updateAsync({ _id: id }, { $set: { lastActiveAt: at } }, { multi: false });
    },
    async count() {
      return (await accounts.countAsync({})) as unknown as number; // nedb's typings wrap the number in a cursor
    },
  };
}
