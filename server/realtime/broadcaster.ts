import type { Server } from 'socket.io';
import { isDeskRole } from '../../shared/roles.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/realtime/events.js';
import type { DomainEvents } from '../events.js';
import type { EntryService } from '../features/entries/EntryService.js';
import type { LiveFileService } from '../features/liveFiles/LiveFileService.js';
import type { EntryRecord } from '../store/Store.js';
import type { SocketData } from './socketData.js';
import { rooms } from './socketData.js';

type Io = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Domain events → rooms. Entries reach desk roles and their own author only. */
export function startBroadcaster(io: Io, deps: { events: DomainEvents; entries: EntryService; liveFiles: LiveFileService }) {
  const { events } = deps;

  const onFileCreated = async (file: Parameters<LiveFileService['view']>[0]) => {
    io.to(rooms.newsroom(file.newsroomId)).emit('liveFile:created', await deps.liveFiles.view(file));
  };

  const sendEntry = (event: 'entry:created' | 'entry:updated') => async (entry: EntryRecord) => {
    const [view] = await deps.entries.present([entry]);
    const sockets = await io.in(rooms.liveFile(entry.liveFileId)).fetchSockets();
    for (const s of sockets) {
      const { account } = s.data.auth;
      if (isDeskRole(account.role) || account.id === entry.authorId) s.emit(event, view);
    }
  };
  const onEntryCreated = sendEntry('entry:created');
  const onEntryUpdated = sendEntry('entry:updated');

  const onRevoked = ({ sessionIds, reason }: { sessionIds: string[]; reason: string }) => {
    for (const id of sessionIds) {
      io.to(rooms.session(id)).emit('session:revoked', { reason });
      io.in(rooms.session(id)).disconnectSockets(true);
    }
  };

  events.on('liveFile:created', onFileCreated);
  events.on('entry:created', onEntryCreated);
  events.on('entry:updated', onEntryUpdated);
  events.on('session:revoked', onRevoked);
  return () => {
    events.off('liveFile:created', onFileCreated);
    events.off('entry:created', onEntryCreated);
    events.off('entry:updated', onEntryUpdated);
    events.off('session:revoked', onRevoked);
  };
}
