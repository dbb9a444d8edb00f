import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { parseDocName } from '../shared/collab/docName.js';
import type { AccountService } from './features/accounts/AccountService.js';
import type { DocAccessResolver } from './features/docAccess.js';
import type { CollabService } from './collab/CollabService.js';
import type { Logger } from './logger.js';
import type { OriginPolicy } from './originPolicy.js';
import type { ConnectionLimiter } from './connectionLimiter.js';
import type { RealtimeServer } from './realtime/createRealtime.js';
import { sessionTokenOf } from './edgeSupport/sessionCookie.js';

const COLLAB_PREFIX = '/collab/';

/**
 * The only 'upgrade' listener. Every refusal happens before the 101, so an unauthorised client
 * never causes a Y.Doc to be created or a Yjs message to be read.
 */
export function installUpgradeHandler(
  httpServer: HttpServer,
  deps: {
    logger: Logger;
    accounts: AccountService;
    docAccess: DocAccessResolver;
    collab: CollabService;
    io: RealtimeServer;
    isOriginAllowed: OriginPolicy;
    connections: ConnectionLimiter;
  },
): void {
  // Socket.IO registered its own listener; it must not race ours (it kills unknown upgrades after 1 s).
  httpServer.removeAllListeners('upgrade');
  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', destroyOnError);
    const path = (req.url ?? '/').split('?')[0];
    if (path.startsWith('/socket.io/')) {
      deps.io.engine.handleUpgrade(req, socket, head);
      return;
    }
    if (!path.startsWith(COLLAB_PREFIX)) return refuse(socket, 404, 'Not Found');
    // Counted from the first byte (a stalled auth check holds a socket too) to the socket's close.
    const lease = deps.connections.tryAcquire(req.socket.remoteAddress);
    if (!lease) return refuseTooMany(socket);
    socket.once('close', () => lease.release());
    void acceptCollab(req, socket, head, decodeURIComponentSafe(path.slice(COLLAB_PREFIX.length))).catch((err: unknown) => {
      deps.logger.error({ err }, 'collab upgrade failed');
      refuse(socket, 500, 'Internal Server Error');
    });
  });

  /** One function for every socket (`this` is it), not a closure per connection. */
  function destroyOnError(this: Duplex): void {
    this.destroy();
  }

  async function acceptCollab(req: IncomingMessage, socket: Duplex, head: Buffer, docName: string | null) {
    if (!deps.isOriginAllowed(req)) return refuse(socket, 403, 'Forbidden');
    const auth = await deps.accounts.resolveSession(sessionTokenOf(req));
    if (!auth) return refuse(socket, 401, 'Unauthorized');
    const ref = docName === null ? null : parseDocName(docName);
    if (!ref || docName === null) return refuse(socket, 404, 'Not Found');
    const access = await deps.docAccess.forAccount(auth.account, ref);
    if (access === 'missing') return refuse(socket, 404, 'Not Found');
    if (access === 'none') return refuse(socket, 403, 'Forbidden');
    const { account, session } = auth;
    deps.collab.handleUpgrade(req, socket, head, docName, {
      identity: { accountId: account.id, sessionId: session.id, sessionExpiresAt: session.expiresAt, displayName: account.displayName, color: account.color, role: account.role },
      readOnly: access === 'read',
    });
  }
}

function decodeURIComponentSafe(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

function refuse(socket: Duplex, status: number, text: string): void {
  if (socket.destroyed) return;
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** Past MAX_CONNECTIONS_PER_ADDRESS: before the 101, like every refusal (docs/spec.md CG8). */
function refuseTooMany(socket: Duplex): void {
  const body = 'too many connections from this address';
  if (socket.destroyed) return;
  socket.end(
    `HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nRetry-After: 10\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
  );
}
