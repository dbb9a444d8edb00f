import { z } from 'zod';
import { Id } from '../../shared/schemas/ids.js';
import { canSeeEntry } from '../features/access.js';
import type { EntryService } from '../features/entries/EntryService.js';
import type { LiveFileService } from '../features/liveFiles/LiveFileService.js';
import type { Logger } from '../logger.js';
import { onCommand, type LdSocket } from './onCommand.js';
import { syncRooms } from './socketRooms.js';

const WatchRequest = z.strictObject({ liveFileId: Id });

export function registerLiveFileHandlers(
  socket: LdSocket,
  deps: { logger: Logger; entries: EntryService; liveFiles: LiveFileService },
): void {
  onCommand(socket, deps.logger, 'liveFile:watch', WatchRequest, async ({ liveFileId }) => {
    // Not found unless visible; the ack holds what the watcher may see, so it starts in sync.
    const file = await deps.liveFiles.get(socket.data.auth.account, liveFileId);
    const entries = await deps.entries.list(socket.data.auth.account, liveFileId);
    // The account may have changed during the reads: rooms and answer follow the current record.
    const { account } = socket.data.auth;
    socket.data.watching.set(file.id, file);
    syncRooms(socket);
    return { entries: await deps.entries.present(entries.filter((e) => canSeeEntry(account, e))) };
  });
  onCommand(socket, deps.logger, 'liveFile:unwatch', WatchRequest, async ({ liveFileId }) => {
    socket.data.watching.delete(liveFileId);
    syncRooms(socket);
    return null;
  });
}
