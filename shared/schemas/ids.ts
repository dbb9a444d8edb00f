import { z } from 'zod';

/** Server-made ids: 16–32 url-safe characters. */
export const Id = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be an id');
export type Id = z.infer<typeof Id>;

/** A client-made UUID per command, reused on retry. */
export const IdempotencyKey = z.string().uuid();
