import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { AccountService } from '../features/accounts/AccountService.js';
import type { EntryService } from '../features/entries/EntryService.js';
import type { LiveFileService } from '../features/liveFiles/LiveFileService.js';
import type { DomainEvents } from '../events.js';
import type { Logger } from '../logger.js';
import type { OriginPolicy } from '../originPolicy.js';
import { watchSessionExpiry } from '../features/accounts/sessionExpiry.js';
import { sessionTokenOf } from '../edgeSupport/sessionCookie.js';
import type { ConnectionLimiter } from '../connectionLimiter.js';
import { registerLiveFileHandlers } from './registerLiveFileHandlers.js';
import { registerWorkflowHandlers } from './registerWorkflowHandlers.js';
import type { WorkflowService } from '../features/workflow/WorkflowService.js';
import type { WorkflowQueries } from '../features/workflow/WorkflowQueries.js';
import { createEngineConnectionCap, TOO_MANY_CONNECTIONS } from './engineConnectionCap.js';
import { startBroadcaster } from './broadcaster.js';
import { startReauthorizer, syncRooms } from './socketRooms.js';
import type { RealtimeIo } from './socketData.js';
import type { ReaderCatchUp } from '../features/publishing/ReaderCatchUp.js';
import { startReaderNamespace } from './readers/readerNamespace.js';
import { RoomlessReadersAdapter } from './readers/roomlessReaders.js';

export type RealtimeServer = RealtimeIo;

export function createRealtime(
  httpServer: HttpServer,
  deps: {
    logger: Logger;
    events: DomainEvents;
    accounts: AccountService;
    liveFiles: LiveFileService;
    entries: EntryService;
    workflow: WorkflowService;
    workflowQueries: WorkflowQueries;
    isOriginAllowed: OriginPolicy;
    connections: ConnectionLimiter;
    /** Anonymous Socket.IO connections (readers, `/live`): READER_MAX_CONNECTIONS_PER_ADDRESS. */
    readerConnections: ConnectionLimiter;
    readerCatchUp: ReaderCatchUp;
    /** READER_FANOUT_TURN_MS (0: a fan-out all at once). */
    readerFanoutTurnMs?: number;
  },
) {
  // A handshake without a session cookie can only ever read (`/live`; the desk namespace refuses
  // it), so it counts in the readers' larger budget: many readers share one NAT address.
  const cap = createEngineConnectionCap((req) => (sessionTokenOf(req) ? deps.connections : deps.readerConnections));
  const io: RealtimeServer = new Server(httpServer, {
    serveClient: false,
    // upgrade.ts owns the 'upgrade' event; engine.io must not destroy sockets it does not recognise.
    destroyUpgrade: false,
    // A broadcast is framed once only without per-message deflate.
    perMessageDeflate: false,
    adapter: RoomlessReadersAdapter,
    // The per-address cap for every transport. Any origin passes here: readers on other sites (the
    // <livedesk-feed> embed) use the anonymous /live namespace; the desk's namespace checks the
    // Origin itself (below), so no foreign page rides a desk cookie into it.
    allowRequest: (req, callback) => {
      if (!cap.admit(req)) return callback(TOO_MANY_CONNECTIONS, false);
      callback(null, true);
    },
  });
  cap.watch(io.engine);

  io.use(async (socket, next) => {
    if (!deps.isOriginAllowed(socket.request)) return next(new Error('origin not allowed'));
    const auth = await deps.accounts.resolveSession(sessionTokenOf(socket.request)).catch(() => null);
    if (!auth) return next(new Error('unauthenticated'));
    socket.data.auth = auth;
    socket.data.watching = new Map();
    next();
  });

  io.on('connection', (socket) => {
    // A socket must not outlive its session: told, then disconnected, like a sign-out.
    const stopExpiryWatch = watchSessionExpiry(socket.data.auth.session.expiresAt, () => {
      socket.emit('session:revoked', { reason: 'expired' });
      socket.disconnect(true);
    });
    socket.once('disconnect', stopExpiryWatch);
    syncRooms(socket);
    registerLiveFileHandlers(socket, deps);
    registerWorkflowHandlers(socket, deps);
  });

  const readers = startReaderNamespace(io, { ...deps, fanoutTurnMs: deps.readerFanoutTurnMs });
  const stopBroadcaster = startBroadcaster(io, deps);
  const stopReauthorizer = startReauthorizer(io, deps.events);
  return {
    io,
    async close() {
      stopBroadcaster();
      stopReauthorizer();
      // Readers are not told goodbye: the transport closes and they reconnect and catch up.
      readers.stop();
      io.disconnectSockets(true);
      // io.close() would also close the shared HTTP server; main.ts closes that itself.
      io.engine.close();
    },
  };
}
