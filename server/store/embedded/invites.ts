import type { InviteRecord, InviteRepo } from '../ports/invites.js';
import type { Collection } from './collections.js';
import { findOne, fromStored, toStored, updateOneReturning } from './documents.js';

export function embeddedInvites(invites: Collection): InviteRepo {
  return {
    async create(invite) {
      await invites.insertAsync(toStored(invite));
    },
    async findById(id) {
      return fromStored<InviteRecord>(await findOne(invites.findOneAsync({ _id: id })));
    },
    async claim(id, at) {
      // One nedb operation (they run one at a time): of concurrent claims exactly one matches.
      return fromStored<InviteRecord>(await updateOneReturning(invites, { _id: id, usedAt: { $exists: false } }, { $set: { usedAt: at } }));
    },
    async deleteByAccount(accountId) {
      return invites.removeAsync({ accountId }, { multi: true });
    },
  };
}
