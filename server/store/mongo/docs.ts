import { ObjectId, type Collection } from 'mongodb';
import type { DocRepo, StoredDoc as LoadedDoc } from '../ports/docLogs.js';
import type { StoredDoc } from './collections.js';
import { compoundKey, fromBinary, isDuplicateKey, toBinary } from './documents.js';
import { DocumentWriteQueue } from './writeQueue.js';

/**
 * Update ids are ObjectId hex strings: they sort in append order within a process and by second
 * across processes. Yjs applies updates in any order, so that is only for readability.
 * Client-id owners: one document per (docName, clientId) under a unique key, so of concurrent
 * claims (any process) exactly one insert wins and the others read its owner. No transactions.
 */
export function mongoDocs(snapshots: Collection<StoredDoc>, updates: Collection<StoredDoc>, owners: Collection<StoredDoc>): DocRepo {
  const queue = new DocumentWriteQueue();
  const ownersIn = async (docName: string, clientIds?: number[]) => {
    const filter = clientIds ? { docName, clientId: { $in: clientIds } } : { docName };
    const docs = await owners.find(filter).toArray();
    return new Map(docs.map((d) => [d.clientId as number, d.accountId as string]));
  };
  return {
    async load(docName): Promise<LoadedDoc> {
      const [snapshotDoc, updateDocs] = await Promise.all([
        snapshots.findOne({ _id: docName }),
        updates.find({ docName }).sort({ _id: 1 }).toArray(),
      ]);
      return {
        snapshot: snapshotDoc ? fromBinary(snapshotDoc.snapshot) : null,
        updates: updateDocs.map((doc) => ({ id: doc._id, update: fromBinary(doc.update) })),
      };
    },
    async append(docName, update) {
      // Acknowledged under the connection's write concern (default majority) before resolving.
      const id = new ObjectId().toHexString();
      await updates.insertOne({ _id: id, docName, update: toBinary(update) });
      return id;
    },
    async compact(docName, snapshot, coveredUpdateIds) {
      await queue.run(docName, async () => {
        // Snapshot first: a crash before the delete leaves updates the snapshot already contains.
        await snapshots.replaceOne({ _id: docName }, { snapshot: toBinary(snapshot) }, { upsert: true });
        if (coveredUpdateIds.length > 0) await updates.deleteMany({ docName, _id: { $in: coveredUpdateIds } });
      });
    },
    async delete(docName) {
      await queue.run(docName, async () => {
        await snapshots.deleteOne({ _id: docName });
        await updates.deleteMany({ docName });
        await owners.deleteMany({ docName });
      });
    },
    async listNames() {
      const [withSnapshot, withUpdates, withOwners] = await Promise.all([
        snapshots.find({}, { projection: { _id: 1 } }).toArray(),
        updates.distinct('docName'),
        owners.distinct('docName'),
      ]);
      return [...new Set([...withSnapshot.map((d) => d._id), ...(withUpdates as string[]), ...(withOwners as string[])])];
    },
    loadClientOwners: (docName) => ownersIn(docName),
    async claimClientIds(docName, clientIds, accountId) {
      for (const id of clientIds) if (!Number.isSafeInteger(id) || id < 0) throw new RangeError(`not a Yjs client id: ${id}`);
      const requested = [...new Set(clientIds)];
      const known = await ownersIn(docName, requested);
      const fresh = requested.filter((id) => !known.has(id));
      const lost: number[] = [];
      await Promise.all(
        fresh.map(async (clientId) => {
          try {
            await owners.insertOne({ _id: compoundKey(docName, String(clientId)), docName, clientId, accountId });
            known.set(clientId, accountId);
          } catch (error) {
            if (!isDuplicateKey(error)) throw error;
            lost.push(clientId); // another claim was first: read its owner
          }
        }),
      );
      if (lost.length > 0) for (const [id, owner] of await ownersIn(docName, lost)) known.set(id, owner);
      return new Map(clientIds.map((id) => [id, known.get(id)!]));
    },
  };
}
