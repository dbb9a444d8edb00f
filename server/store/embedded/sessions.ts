import type { SessionRecord, SessionRepo } from '../ports/sessions.js';
import type { Collection } from './collections.js';
import { findMany, findOne, fromStored, toStored } from './documents.js';

export function embeddedSessions(sessions: Collection): SessionRepo {
  return {
    async create(session) {
      await sessions.insertAsync(toStored(session));
    },
    async findById(id) {
      return fromStored<SessionRecord>(await findOne(sessions.findOneAsync({ _id: id })));
    },
    async delete(id) {
      await sessions.removeAsync({ _id: id }, { multi: false });
    },
    async deleteByAccount(accountId) {
      return sessions.removeAsync({ accountId }, { multi: true });
    },
    async listByAccount(accountId) {
      const docs = await findMany(sessions.findAsync({ accountId }));
      return docs.map((doc) => fromStored<SessionRecord>(doc) as SessionRecord);
    },
    async touch(id, at) {
      await sessions.updateAsync({ _id: id }, { $set: { lastSeenAt: at } }, { multi: false });
    },
  };
}
