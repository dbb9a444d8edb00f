import type { Collection, StoredDoc } from './collections.js';

/** A joiner for derived unique keys; NUL cannot occur in ids, slugs or idempotency keys we accept. */
export function compoundKey(...parts: string[]): string {
  return parts.join('\u0000');
}

/** Record → stored doc: `id` becomes `_id`, undefined fields are dropped (nedb keeps them in memory). */
export function toStored(record: { id: string } & object, extra: Record<string, unknown> = {}): StoredDoc {
  const { id, ...rest } = record;
  return { _id: id, ...definedOnly(rest), ...extra };
}

/** Stored doc → record: `_id` becomes `id`, internal fields (derived keys) are stripped. */
export function fromStored<T>(doc: unknown, internalFields: readonly string[] = []): T | null {
  if (!doc) return null;
  const stored = doc as StoredDoc;
  // Copied field by field, not spread then `delete`d: a delete turns the object into a slow
  // dictionary, and a file's rows list every entry after each change.
  const record: Record<string, unknown> = { id: stored._id };
  for (const field in stored) if (field !== '_id' && !internalFields.includes(field)) record[field] = stored[field];
  return record as T;
}

export function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function isUniqueViolation(error: unknown): boolean {
  return (error as { errorType?: string } | null)?.errorType === 'uniqueViolated';
}

/** nedb's typings claim a document where a missing one resolves to null. */
export async function findOne(cursor: PromiseLike<unknown>): Promise<StoredDoc | null> {
  return ((await cursor) as StoredDoc | null) ?? null;
}

export async function findMany(cursor: PromiseLike<unknown>): Promise<StoredDoc[]> {
  return (await cursor) as StoredDoc[];
}

/** Applies `update` to one doc and returns it as updated, or null when the query matched none. */
export async function updateOneReturning(
  collection: Collection,
  query: object,
  update: object,
): Promise<StoredDoc | null> {
  const { affectedDocuments } = await collection.updateAsync(query, update, { returnUpdatedDocs: true, multi: false });
  return (affectedDocuments as StoredDoc | null) ?? null;
}

/**
 * A patch as one nedb modifier: `undefined` leaves a field alone, `null` removes it ($unset),
 * anything else sets it. Empty operators are left out.
 */
export function setAndUnset(patch: object): { $set?: Record<string, unknown>; $unset?: Record<string, true> } {
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, true> = {};
  for (const [field, value] of Object.entries(patch)) {
    if (value === null) $unset[field] = true;
    else if (value !== undefined) $set[field] = value;
  }
  return { ...(Object.keys($set).length > 0 ? { $set } : {}), ...(Object.keys($unset).length > 0 ? { $unset } : {}) };
}
