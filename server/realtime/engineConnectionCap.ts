import type { IncomingMessage } from 'node:http';
import type { Server } from 'socket.io';
import type { ConnectionLease, ConnectionLimiter } from '../connectionLimiter.js';

/** engine.io, through socket.io (not a direct dependency). */
type EngineServer = Server['engine'];
/** What the engine emits 'connection' with: all we read of it. */
interface EngineSocket {
  request: IncomingMessage;
  close(): void;
  on(event: 'close', fn: (this: LeasedSocket) => void): unknown;
}
/** The lease rides on the socket and one 'close' listener serves every socket (no closure each). */
interface LeasedSocket extends EngineSocket {
  connectionLease?: ConnectionLease;
}
function releaseLease(this: LeasedSocket): void {
  this.connectionLease?.release();
  this.connectionLease = undefined;
}

export const TOO_MANY_CONNECTIONS = 'too many connections from this address';

/**
 * Counts Socket.IO connections per address at the engine level, in the budget `limiterFor` picks
 * for the request (createRealtime: the desk's for a handshake with a session cookie, the readers'
 * for an anonymous one): `admit` runs in allowRequest, which engine.io calls for a new session only
 * (polling or websocket), never for the later requests or the upgrade of an existing one.
 *
 * The lease taken there follows the request until engine.io settles it: 'connection' hands it to
 * the engine socket (released on its 'close'), 'connection_error' releases it. A websocket
 * handshake that `ws` itself refuses (a bad key) emits neither, so its TCP socket's close does.
 */
export function createEngineConnectionCap(limiterFor: (req: IncomingMessage) => ConnectionLimiter) {
  const pending = new Map<IncomingMessage, { lease: ConnectionLease; unwatch(): void }>();

  const settle = (req: IncomingMessage): ConnectionLease | undefined => {
    const entry = pending.get(req);
    if (!entry) return undefined;
    pending.delete(req);
    entry.unwatch();
    return entry.lease;
  };

  return {
    /** For allowRequest: false past the cap (nothing counted then). */
    admit(req: IncomingMessage): boolean {
      const lease = limiterFor(req).tryAcquire(req.socket.remoteAddress);
      if (!lease) return false;
      // Polling handshakes always end in 'connection' or 'connection_error'; a keep-alive socket
      // outlives them, so only a websocket handshake (whose socket is the connection) watches it.
      const onClose = () => settle(req)?.release();
      const isUpgrade = req.headers.upgrade !== undefined;
      if (isUpgrade) req.socket.once('close', onClose);
      pending.set(req, { lease, unwatch: () => isUpgrade && req.socket.off('close', onClose) });
      return true;
    },

    watch(engine: EngineServer): void {
      engine.on('connection', (socket: LeasedSocket) => {
        const lease = settle(socket.request);
        // Its TCP socket closed while the handshake finished: the client is gone already.
        if (!lease) return void socket.close();
        socket.connectionLease = lease;
        socket.on('close', releaseLease);
      });
      engine.on('connection_error', (err: { req: IncomingMessage }) => settle(err.req)?.release());
    },
  };
}
