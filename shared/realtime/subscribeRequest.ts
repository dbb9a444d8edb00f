// The one request a reader sends on `/live`, checked by the server as the client builds it.
// Its own file: the reader script and the embed import liveEvents.ts for values, not zod.
import { z } from 'zod';
import { ReaderLimits } from './liveEvents.js';

export const SubscribeRequestSchema = z.strictObject({
  slug: z.string().min(1).max(ReaderLimits.slugMax),
  /** The last seq this reader applied (the page's `liveFile.lastSeq` on a fresh page). */
  after: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});
