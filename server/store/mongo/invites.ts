import type { Collection, Db } from 'mongodb';
import type { InviteRecord, InviteRepo } from '../ports/invites.js';
import type { StoredDoc } from './collections.js';
import { fromStored, toStored } from './documents.js';
import { DocumentWriteQueue } from './writeQueue.js';

export function mongoInvites(db: Db): InviteRepo {
  const invites: Collection<StoredDoc> = db.collection<StoredDoc>('invites');
  // A conditional update is atomic on MongoDB; FerretDB needs the per-document queue (writeQueue.ts).
  const queue = new DocumentWriteQueue();
  return {
    async create(invite) {
      await invites.insertOne(toStored(invite));
    },
    async findById(id) {
      return fromStored<InviteRecord>(await invites.findOne({ _id: id }));
    },
    claim(id, at) {
      return queue.run(id, async () =>
        fromStored<InviteRecord>(await invites.findOneAndUpdate({ _id: id, usedAt: { $exists: false } }, { $set: { usedAt: at } }, { returnDocument: 'after' })),
      );
    },
    async deleteByAccount(accountId) {
      return (await invites.deleteMany({ accountId })).deletedCount;
    },
  };
}
