import { z } from 'zod';
import { Limits } from '../limits.js';
import { safeText } from '../text.js';
import { Id } from './ids.js';

export const LiveFileStatus = z.enum(['live', 'ended']);
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
  timezone: safeText().refine(isTimeZone, 'must be an IANA time zone').default('UTC'),
});
export type CreateLiveFileRequest = z.input<typeof CreateLiveFileRequest>;

export const LiveFileParams = z.object({ liveFileId: Id });
