import type { ErrorBody } from '../errors.js';
import type { LiveFileView } from '../schemas/liveFile.js';
import type { EntryView } from '../schemas/entry.js';
import type { QueueItem, TransitionRequest } from '../schemas/workflow.js';
import type { WorkflowAction } from '../workflow.js';

export type AckResult<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };
export type Ack<T> = (result: AckResult<T>) => void;

/** Commands are `noun:verb`; broadcasts are `noun:verbed`. */
export interface ClientToServerEvents {
  /**
   * Watch one live file: acks the entries the watcher may see. A desk role then gets every entry
   * event of the file; anyone gets events for their own entries, watched or not (by liveFileId).
   */
  'liveFile:watch': (req: { liveFileId: string }, ack: Ack<{ entries: EntryView[] }>) => void;
  'liveFile:unwatch': (req: { liveFileId: string }, ack: Ack<null>) => void;
  /** A workflow transition, exactly as `POST /api/entries/:entryId/<action>` (same body, same errors). */
  'entry:transition': (
    req: { entryId: string; action: WorkflowAction; body: TransitionRequest; idempotencyKey?: string },
    ack: Ack<EntryView>,
  ) => void;
  /** The approval queue (chiefs): acks it; the socket then gets entry:created / entry:updated of every file the chief may see. */
  'queue:watch': (req: Record<string, never>, ack: Ack<{ items: QueueItem[] }>) => void;
}

export interface ServerToClientEvents {
  'liveFile:created': (file: LiveFileView) => void;
  /** A file's list row as this account sees it (the entries she may open: their count, the latest change). */
  'liveFile:updated': (file: LiveFileView) => void;
  'entry:created': (entry: EntryView) => void;
  'entry:updated': (entry: EntryView) => void;
  /** The session ended (sign-out, deactivation): stop and show sign-in. */
  'session:revoked': (info: { reason: string }) => void;
}

/** Every broadcast that carries an entry; each goes only to the entry's audience (desk + author). */
export const ENTRY_BROADCASTS = ['entry:created', 'entry:updated'] as const;
export type EntryBroadcast = (typeof ENTRY_BROADCASTS)[number];

type EntryCarrying = {
  [E in keyof ServerToClientEvents]: Parameters<ServerToClientEvents[E]>[0] extends EntryView ? E : never;
}[keyof ServerToClientEvents];
type MustBeNever<T extends never> = T;
/** Fails to compile when an event carrying an entry is missing from ENTRY_BROADCASTS. */
export type EntryBroadcastsAreComplete = MustBeNever<Exclude<EntryCarrying, EntryBroadcast>>;
