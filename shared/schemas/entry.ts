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
  /** The place label the author typed (never read from GPS). */
  place: safeText().optional(),
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

/** A place label typed by hand ("Almaty, Republic Square"): never read from GPS. */
const Place = safeText().trim().max(Limits.placeMax);
/** A video or social post link: http(s) only, no credentials. */
const FiledLink = z.string().max(2000).refine((s) => {
  try {
    const u = new URL(s);
    return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password;
  } catch {
    return false;
  }
}, 'must be an http(s) link');
const FiledPhoto = z.strictObject({
  mediaId: Id,
  caption: safeText().trim().max(Limits.captionMax).default(''),
  credit: safeText().trim().max(Limits.bylineMax).default(''),
});
/** What a filing carries besides its headline: the words, links and photos, written as blocks. */
export const FiledContent = z.strictObject({
  /** Plain paragraphs separated by blank lines. */
  text: safeText().max(100_000).optional(),
  place: Place.optional(),
  links: z.array(FiledLink).max(Limits.maxFiledLinks).optional(),
  photos: z.array(FiledPhoto).max(Limits.maxFiledPhotos).optional(),
});

export const CreateEntryRequest = FiledContent.extend({
  idempotencyKey: IdempotencyKey,
  headline: safeText().trim().max(Limits.headlineMax).optional(),
  /** Byline the desk ("Almaty desk") instead of the person: the audit log keeps the author. */
  bylineAsDesk: z.boolean().optional(),
});
export type CreateEntryRequest = z.infer<typeof CreateEntryRequest>;

export const UpdateEntryMetaRequest = z.strictObject({
  headline: safeText().trim().max(Limits.headlineMax).nullable().optional(),
  place: Place.nullable().optional(),
  bylines: z.array(safeText().trim().min(1).max(Limits.bylineMax)).max(Limits.maxBylines).optional(),
});
export type UpdateEntryMetaRequest = z.infer<typeof UpdateEntryMetaRequest>;

export const EntryParams = z.object({ entryId: Id });

/** `PUT /api/entries/:entryId/content`: the author writes her filing again (draft or rejected). */
export const ReplaceContentRequest = FiledContent.extend({
  headline: safeText().trim().max(Limits.headlineMax).optional(),
  /** Switch the byline to the desk (true) or back to the author (false). */
  bylineAsDesk: z.boolean().optional(),
});
export type ReplaceContentRequest = z.infer<typeof ReplaceContentRequest>;
