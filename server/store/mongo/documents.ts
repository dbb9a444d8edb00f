import { Binary, MongoServerError } from 'mongodb';
import type { StoredDoc } from './collections.js';

export const DUPLICATE_KEY = 11000;

export function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY;
}

/** Joiner for derived unique keys; NUL cannot occur in ids or idempotency keys. */
export function compoundKey(...parts: string[]): string {
  return parts.join('\u0000');
}

export function toStored(record: { id: string } & object, extra: Record<string, unknown> = {}): StoredDoc {
  const { id, ...rest } = record;
  return { _id: id, ...definedOnly(rest), ...extra };
}

/** `_id` becomes `id`; derived fields are stripped. */
export function fromStored<T>(doc: StoredDoc | null, internalFields: readonly string[] = []): T | null {
  if (!doc) return null;
  const { _id, ...rest } = doc;
  for (const field of internalFields) delete rest[field];
  return { id: _id, ...rest } as T;
}

export function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function toBinary(bytes: Uint8Array): Binary {
  return new Binary(bytes);
}

/** A copy: the driver's Binary is a view into a pooled response buffer that is reused. */
export function fromBinary(value: unknown): Uint8Array {
  const binary = value as Binary;
  const bytes = new Uint8Array(binary.position);
  bytes.set(binary.buffer.subarray(0, binary.position));
  return bytes;
}

/**
 * A patch as one update document: `undefined` leaves a field alone, `null` removes it ($unset),
 * anything else sets it. Empty operators are left out (FerretDB refuses an empty `$unset`).
 */
export function setAndUnset(patch: object): { $set?: Record<string, unknown>; $unset?: Record<string, ''> } {
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, ''> = {};
  for (const [field, value] of Object.entries(patch)) {
    if (value === null) $unset[field] = '';
    else if (value !== undefined) $set[field] = value;
  }
  return { ...(Object.keys($set).length > 0 ? { $set } : {}), ...(Object.keys($unset).length > 0 ? { $unset } : {}) };
}
