import type { IdempotencyRecord, IdempotencyRepo } from '../ports/idempotency.js';
import type { Collection, StoredDoc } from './collections.js';
import { findOne, isUniqueViolation } from './documents.js';

type Response = NonNullable<IdempotencyRecord['response']>;
/** The body is kept as its JSON text: any answer stores, whatever its keys (nedb refuses `$x` and `a.b`). */
type StoredResponse = { status: number; bodyJson?: string };
const encodeResponse = ({ status, body }: Response): StoredResponse =>
  body === undefined ? { status } : { status, bodyJson: JSON.stringify(body) };
const decodeResponse = ({ status, bodyJson }: StoredResponse): Response =>
  ({ status, body: bodyJson === undefined ? undefined : JSON.parse(bodyJson) as unknown });

export function embeddedIdempotency(idempotency: Collection): IdempotencyRepo {
  const toRecord = (doc: StoredDoc | null): IdempotencyRecord | null => {
    if (!doc) return null;
    const { _id, response, ...rest } = doc;
    const record = { ...rest, id: _id } as unknown as IdempotencyRecord;
    return response === undefined ? record : { ...record, response: decodeResponse(response as StoredResponse) };
  };
  const find = async (id: string) => toRecord(await findOne(idempotency.findOneAsync({ _id: id })));

  return {
    async claim(record) {
      const { id, response, ...rest } = record;
      const doc: StoredDoc = { _id: id, ...rest, ...(response === undefined ? {} : { response: encodeResponse(response) }) };
      // A claim released between our refused insert and the read is free again: try once more.
      for (let attempt = 0; ; attempt++) {
        try {
          await idempotency.insertAsync(doc);
          return { claimed: true };
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
          const existing = await find(id);
          if (existing) return { claimed: false, existing };
          if (attempt >= 2) throw error;
        }
      }
    },
    async complete(id, response) {
      await idempotency.updateAsync({ _id: id }, { $set: { response: encodeResponse(response) } }, { multi: false });
    },
    async release(id) {
      await idempotency.removeAsync({ _id: id, response: { $exists: false } }, { multi: false });
    },
    find,
  };
}
