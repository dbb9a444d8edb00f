import type { Collection } from 'mongodb';
import type { SessionRecord, SessionRepo } from '../ports/sessions.js';
import type { StoredDoc } from './collections.js';
import { fromStored, toStored } from './documents.js';

export function mongoSessions(sessions: Collection<StoredDoc>): SessionRepo {
  return {
    async create(session) {
      await sessions.insertOne(toStored(session));
    },
    async findById(id) {
      return fromStored<SessionRecord>(await sessions.findOne({ _id: id }));
    },
    async delete(id) {
      await sessions.deleteOne({ _id: id });
    },
    async deleteByAccount(accountId) {
      const { deletedCount } = await sessions.deleteMany({ accountId });
      return deletedCount;
    },
    async listByAccount(accountId) {
      const docs = await sessions.find({ accountId }).toArray();
      return docs.map((doc) => fromStored<SessionRecord>(doc) as SessionRecord);
    },
    async touch(id, at) {
      await sessions.updateOne({ _id: id }, { $set: { lastSeenAt: at } });
    },
  };
}
