import type { EntryView } from '../../../shared/schemas/entry.js';
import type { EntryRecord } from '../../store/Store.js';

/** `nameOf` resolves account ids to display names (the caller loads them once per batch). */
export function presentEntry(e: EntryRecord, nameOf: (accountId: string) => string): EntryView {
  return {
    id: e.id,
    liveFileId: e.liveFileId,
    authorId: e.authorId,
    authorName: nameOf(e.authorId),
    status: e.status,
    version: e.version,
    preview: e.preview,
    ...(e.headline ? { headline: e.headline } : {}),
    ...(e.place ? { place: e.place } : {}),
    bylines: e.bylines,
    contributorIds: e.contributorIds,
    contributors: e.contributorIds.map((id) => ({ id, name: nameOf(id) })),
    revision: e.revision ?? 1,
    ...(e.publishedRevision !== undefined ? { publishedRevision: e.publishedRevision } : {}),
    ...(e.note !== undefined ? { note: e.note } : {}),
    ...(e.publishAt !== undefined ? { publishAt: e.publishAt } : {}),
    ...(e.retraction !== undefined ? { retraction: e.retraction } : {}),
    ...(e.lastAction ? { lastAction: { ...e.lastAction, actorName: nameOf(e.lastAction.actorId) } } : {}),
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}
