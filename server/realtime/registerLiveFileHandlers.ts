import { z } from 'zod';
import { Id } from '../../shared/schemas/ids.js';
import type { EntryService } from '../features/entries/EntryService.js';
import type { Logger } from '../logger.js';
import { onCommand, type LdSocket } from './onCommand.js';
import { rooms } from './socketData.js';

const WatchRequest = z.strictObject({ liveFileId: Id });

export function registerLiveFileHandlers(socket: LdSocket, deps: { logger: Logger; entries: EntryService }): void {
  onCommand(socket, deps.logger, 'liveFile:watch', WatchRequest, async ({ liveFileId }) => {
    // Checks access (same newsroom) and returns what the watcher may see, so it starts in sync.
    const entries = await deps.entries.list(socket.data.auth.account, liveFileId);
    await socket.join(rooms.liveFile(liveFileId));
    return { entries: await deps.entries.present(entries) };
  });
  onCommand(socket, deps.logger, 'liveFile:unwatch', WatchRequest, async ({ liveFileId }) => {
    await socket.leave(rooms.liveFile(liveFileId));
    return null;
  });
}
