import type { LiveFileView } from '../../../shared/schemas/liveFile.js';
import type { EntryRecord, LiveFileRecord } from '../../store/Store.js';

/**
 * A live file's row as one viewer sees it, from the entries she can open: how many, and when the
 * file or one of them last changed.
 */
export function presentLiveFile(f: LiveFileRecord, visible: ReadonlyArray<Pick<EntryRecord, 'updatedAt'>>): LiveFileView {
  let updatedAt = f.updatedAt;
  for (const e of visible) if (e.updatedAt > updatedAt) updatedAt = e.updatedAt;
  return {
    id: f.id,
    slug: f.slug,
    title: f.title,
    status: f.status,
    timezone: f.timezone,
    createdAt: f.createdAt,
    updatedAt,
    entryCount: visible.length,
    ...(f.members ? { members: f.members } : {}),
    fourEyes: f.fourEyes === true,
    ...(f.coverageStartsAt ? { coverageStartsAt: f.coverageStartsAt } : {}),
    ...(f.endedAt ? { endedAt: f.endedAt } : {}),
  };
}
