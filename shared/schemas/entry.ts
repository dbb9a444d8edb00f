import { z } from 'zod';
import { ENTRY_STATUSES, WORKFLOW_ACTIONS } from '../workflow.js';
import { Limits } from '../limits.js';
import { safeText } from '../text.js';
import { Id, IdempotencyKey } from './ids.js';

export const EntryView = z.object({
  id: Id,
  liveFileId: Id,
  authorId: Id,
  authorName: safeText(),
  status: z.enum(ENTRY_STATUSES),
  version: z.number().int().nonnegative(),
  /** Plain-text preview kept by the server from the entry document; the document is the truth. */
  preview: safeText(),
  headline: safeText().optional(),
  bylines: z.array(safeText()),
  contributorIds: z.array(Id),
  /** Who worked on it, from the server-side identity of the connections that changed it. */
  contributors: z.array(z.object({ id: Id, name: safeText() })),
  /** Content revision (+1 per change of wording); `revision` in a publish body names the one approved. */
  revision: z.number().int().positive(),
  /** The revision readers see; absent until first published. */
  publishedRevision: z.number().int().positive().optional(),
  /** The chief's note on a rejected entry. */
  note: safeText().optional(),
  publishAt: z.string().optional(),
  retraction: z.object({ reason: safeText(), at: z.string() }).optional(),
  /** The last workflow action: who did what, when ("submitted 12 min ago" counts from here). */
  lastAction: z.object({ action: z.enum(WORKFLOW_ACTIONS), actorId: Id, actorName: safeText(), at: z.string() }).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type EntryView = z.infer<typeof EntryView>;

export const CreateEntryRequest = z.strictObject({
  idempotencyKey: IdempotencyKey,
  /** Optional starting text (plain paragraphs separated by blank lines). */
  text: safeText().max(100_000).optional(),
  headline: safeText().trim().max(Limits.headlineMax).optional(),
});
export type CreateEntryRequest = z.infer<typeof CreateEntryRequest>;

export const UpdateEntryMetaRequest = z.strictObject({
  headline: safeText().trim().max(Limits.headlineMax).nullable().optional(),
  bylines: z.array(safeText().trim().min(1).max(Limits.bylineMax)).max(Limits.maxBylines).optional(),
});
export type UpdateEntryMetaRequest = z.infer<typeof UpdateEntryMetaRequest>;

export const EntryParams = z.object({ entryId: Id });
