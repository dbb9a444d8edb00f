import type { EntryView } from '../../../shared/schemas/entry.js';
import type { EntryRecord } from '../../store/Store.js';

export function presentEntry(e: EntryRecord, authorName: string): EntryView {
  return {
    id: e.id,
    liveFileId: e.liveFileId,
    authorId: e.authorId,
    authorName,
    status: e.status,
    version: e.version,
    preview: e.preview,
    ...(e.headline ? { headline: e.headline } : {}),
    bylines: e.bylines,
    contributorIds: e.contributorIds,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}
