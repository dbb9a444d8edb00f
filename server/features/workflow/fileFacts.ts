import type { EntryFacts, FileFacts } from '../../../shared/permissions.js';
import type { EntryRecord } from '../../store/ports/entries.js';
import type { LiveFileRecord } from '../../store/ports/liveFiles.js';

/** What the permission table needs to know of a live file and an entry. */
export function fileFacts(file: Pick<LiveFileRecord, 'members' | 'fourEyes'>): FileFacts {
  return { members: file.members ?? null, fourEyes: file.fourEyes === true };
}

export function entryFacts(entry: Pick<EntryRecord, 'status' | 'authorId' | 'contributorIds'>): EntryFacts {
  return { status: entry.status, authorId: entry.authorId, contributorIds: entry.contributorIds };
}
