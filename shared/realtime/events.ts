import type { ErrorBody } from '../errors.js';
import type { LiveFileView } from '../schemas/liveFile.js';
import type { EntryView } from '../schemas/entry.js';

export type AckResult<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };
export type Ack<T> = (result: AckResult<T>) => void;

/** Commands are `noun:verb`; broadcasts are `noun:verbed`. */
export interface ClientToServerEvents {
  /** Join the desk room of one live file: entry broadcasts for it follow. */
  'liveFile:watch': (req: { liveFileId: string }, ack: Ack<{ entries: EntryView[] }>) => void;
  'liveFile:unwatch': (req: { liveFileId: string }, ack: Ack<null>) => void;
}

export interface ServerToClientEvents {
  'liveFile:created': (file: LiveFileView) => void;
  'liveFile:updated': (file: LiveFileView) => void;
  'entry:created': (entry: EntryView) => void;
  'entry:updated': (entry: EntryView) => void;
  /** The session ended (sign-out, deactivation): stop and show sign-in. */
  'session:revoked': (info: { reason: string }) => void;
}
