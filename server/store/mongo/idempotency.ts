import type { Collection } from 'mongodb';
import type { IdempotencyRecord, IdempotencyRepo } from '../ports/idempotency.js';
import type { StoredDoc } from './collections.js';
import { isDuplicateKey } from './documents.js';
import { DocumentWriteQueue } from './writeQueue.js';

type Response = NonNullable<IdempotencyRecord['response']>;
/** The body is kept as its JSON text: any answer stores, whatever its keys (`$x`, `a.b`). */
type StoredResponse = { status: number; bodyJson?: string };
const encodeResponse = ({ status, body }: Response): StoredResponse =>
  body === undefined ? { status } : { status, bodyJson: JSON.stringify(body) };
const decodeResponse = ({ status, bodyJson }: StoredResponse): Response => ({
  status,
  body: bodyJson === undefined ? undefined : (JSON.parse(bodyJson) as unknown),
});

/** The unique `_id` decides a claim (atomic on FerretDB too); complete and release queue per key. */
export function mongoIdempotency(idempotency: Collection<StoredDoc>): IdempotencyRepo {
  const queue = new DocumentWriteQueue();
  const toRecord = (doc: StoredDoc | null): IdempotencyRecord | null => {
    if (!doc) return null;
    const { _id, response, ...rest } = doc;
    const record = { ...rest, id: _id } as unknown as IdempotencyRecord;
    return response === undefined ? record : { ...record, response: decodeResponse(response as StoredResponse) };
  };
  const find = async (id: string) => toRecord(await idempotency.findOne({ _id: id }));

  return {
    async claim(record) {
      const { id, response, ...rest } = record;
      const doc: StoredDoc = { _id: id, ...rest, ...(response === undefined ? {} : { response: encodeResponse(response) }) };
      // A claim released between our refused insert and the read is free again: try once more.
      for (let attempt = 0; ; attempt++) {
        try {
          await idempotency.insertOne(doc);
          return { claimed: true };
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
          const existing = await find(id);
          if (existing) return { claimed: false, existing };
          if (attempt >= 2) throw error;
        }
      }
    },
    async complete(id, response) {
      await queue.run(id, () => idempotency.updateOne({ _id: id }, { $set: { response: encodeResponse(response) } }));
    },
    async release(id) {
      await queue.run(id, () => idempotency.deleteOne({ _id: id, response: { $exists: false } }));
    },
    find,
  };
}
