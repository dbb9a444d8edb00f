import { z } from 'zod';
import { Limits } from '../limits.js';
import { safeText } from '../text.js';
import { Id } from './ids.js';

/** A live file's life: announced (coverage starts later), live, ended (readers keep the page), archived. */
export const LiveFileStatus = z.enum(['scheduled', 'live', 'ended', 'archived']);
export type LiveFileStatus = z.infer<typeof LiveFileStatus>;

export const LiveFileView = z.object({
  id: Id,
  slug: z.string(),
  title: safeText(),
  status: LiveFileStatus,
  timezone: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  entryCount: z.number().int().nonnegative(),
  /** When coverage starts (a scheduled file) and when it ended. */
  coverageStartsAt: z.string().optional(),
  endedAt: z.string().optional(),
  /** Named members when restricted; absent = the whole newsroom. */
  members: z.array(Id).optional(),
  fourEyes: z.boolean(),
});
export type LiveFileView = z.infer<typeof LiveFileView>;

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const CreateLiveFileRequest = z.strictObject({
  title: safeText().trim().min(1).max(Limits.liveFileTitleMax),
  /** Announce coverage that starts later: readers see when, the desk prepares entries meanwhile. */
  coverageStartsAt: z.iso.datetime({ offset: true }).optional(),
  timezone: safeText().refine(isTimeZone, 'must be an IANA time zone').default('UTC'),
});
export type CreateLiveFileRequest = z.input<typeof CreateLiveFileRequest>;

export const LiveFileParams = z.object({ liveFileId: Id });

/** Which lifecycle step may follow which (chiefs and admins move a file along it). */
export const LIFECYCLE_MOVES: Record<LiveFileStatus, readonly LiveFileStatus[]> = {
  scheduled: ['live', 'ended'],
  live: ['ended'],
  ended: ['live', 'archived'],
  archived: [],
};

/** `PATCH /api/live-files/:liveFileId/lifecycle`. */
export const LifecycleRequest = z.strictObject({
  status: LiveFileStatus,
  coverageStartsAt: z.iso.datetime({ offset: true }).optional(),
});
export type LifecycleRequest = z.infer<typeof LifecycleRequest>;
