import { ENTRY_BROADCASTS, type EntryBroadcast } from '../../shared/realtime/events.js';
import type { DomainEvents } from '../events.js';
import { entryAudience, liveFileAudience } from '../features/access.js';
import type { EntryService } from '../features/entries/EntryService.js';
import type { LiveFileService } from '../features/liveFiles/LiveFileService.js';
import type { Logger } from '../logger.js';
import type { EntryRecord, LiveFileRecord } from '../store/Store.js';
import { rooms, type RealtimeIo } from './socketData.js';

/**
 * Domain events → audience rooms from access.ts, one emit per event (Socket.IO sends once to a
 * socket in several of the rooms). Never a per-socket filter: who may see what is settled when a
 * socket joins (socketRooms.ts). Broadcasts go out in domain-event order.
 */
export function startBroadcaster(
  io: RealtimeIo,
  deps: { logger: Logger; events: DomainEvents; entries: EntryService; liveFiles: LiveFileService },
): () => void {
  const { events, logger } = deps;
  let queue = Promise.resolve();
  const inOrder = (what: string, send: () => Promise<void>) => {
    queue = queue.then(send).catch((err: unknown) => logger.error({ err, what }, 'broadcast failed'));
  };

  const sendCreatedFile = (file: LiveFileRecord) =>
    inOrder('liveFile:created', async () => {
      io.to(liveFileAudience(file)).emit('liveFile:created', deps.liveFiles.viewNew(file));
    });

  /**
   * A file's list row, counted per viewer (LiveFileService.rowsAfterChange): the desk's row to the
   * desk, her own to an author not at the desk. Coalesced per file: while a row update waits in the
   * queue, later changes join it (it reads the store when its turn comes, so it carries them all).
   */
  const waitingRows = new Map<string, Set<string> | 'everyone'>();
  const sendRows = (liveFileId: string, whose: string | 'everyone') => {
    const waiting = waitingRows.get(liveFileId);
    if (waiting !== undefined) {
      if (whose === 'everyone') waitingRows.set(liveFileId, 'everyone');
      else if (waiting !== 'everyone') waiting.add(whose);
      return;
    }
    waitingRows.set(liveFileId, whose === 'everyone' ? 'everyone' : new Set([whose]));
    inOrder('liveFile:updated', async () => {
      const who = waitingRows.get(liveFileId)!;
      waitingRows.delete(liveFileId);
      for (const row of await deps.liveFiles.rowsAfterChange(liveFileId, who)) {
        io.to(row.rooms).except(row.except).emit('liveFile:updated', row.view);
      }
    });
  };
  const sendEntry = (event: EntryBroadcast) => (entry: EntryRecord) => {
    inOrder(event, async () => {
      const [view] = await deps.entries.present([entry]);
      io.to(entryAudience(entry)).emit(event, view);
    });
    // An entry created or changed moves its file's row ("updated", the count) for whoever sees it.
    sendRows(entry.liveFileId, entry.authorId);
  };

  const onRevoked = ({ sessionIds, reason }: { sessionIds: string[]; reason: string }) => {
    for (const id of sessionIds) {
      io.to(rooms.session(id)).emit('session:revoked', { reason });
      io.in(rooms.session(id)).disconnectSockets(true);
    }
  };

  const onFileCreated = sendCreatedFile;
  const onFileUpdated = (file: LiveFileRecord) => sendRows(file.id, 'everyone');
  const onEntry = ENTRY_BROADCASTS.map((event) => [event, sendEntry(event)] as const);

  events.on('liveFile:created', onFileCreated);
  events.on('liveFile:updated', onFileUpdated);
  for (const [event, fn] of onEntry) events.on(event, fn);
  events.on('session:revoked', onRevoked);
  return () => {
    events.off('liveFile:created', onFileCreated);
    events.off('liveFile:updated', onFileUpdated);
    for (const [event, fn] of onEntry) events.off(event, fn);
    events.off('session:revoked', onRevoked);
  };
}
