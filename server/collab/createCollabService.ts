// The /collab endpoint: completes upgrades that upgrade.ts already authorized, and serves
// each connection from a shared, lazily loaded doc. docs/protocol.md describes the wire.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type * as Y from 'yjs';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from 'pino';
import type { DocRepo } from '../store/Store.js';
import { CollabClose } from '../../shared/collab/closeCodes.js';
import { parseDocName } from '../../shared/collab/docName.js';
import { Limits } from '../../shared/limits.js';
import type { CollabAccess, CollabIdentity, CollabService, EntryEditedHook } from './CollabService.js';
import { CollabConnection } from './CollabConnection.js';
import { DocRegistry } from './DocRegistry.js';
import { SERVER_ORIGIN } from './origins.js';

export interface CollabServiceOptions {
  docs: DocRepo;
  logger: Logger;
  /** Fold the update log into a snapshot after this many appends (and on unload). */
  compactEvery: number;
  /** Squash idle entries whose state is at least this big and mostly history (0: never). */
  squashMinBytes?: number;
  onEntryEdited?: EntryEditedHook;
  /** Checked once per connection, while its doc loads; false makes it read-only. */
  canWrite?: (docName: string, identity: CollabIdentity) => Promise<boolean>;
  /** Ping period; a socket that missed one pong is terminated. 0 disables. */
  heartbeatMs?: number;
}

export interface CollabServiceHandle extends CollabService {
  /** 'loaded' / 'unloaded' (docName) for watchers and tests. */
  readonly events: DocRegistry['events'];
  /** Resolves when no doc is unloading. */
  idle(): Promise<void>;
}

export function createCollabService(opts: CollabServiceOptions): CollabServiceHandle {
  const { logger } = opts;
  const wss = new WebSocketServer({ noServer: true, maxPayload: Limits.maxCollabFrameBytes, perMessageDeflate: false });
  const registry = new DocRegistry({ docs: opts.docs, logger, compactEvery: opts.compactEvery, squashMinBytes: opts.squashMinBytes, onEntryEdited: opts.onEntryEdited });
  const connections = new Set<CollabConnection>();
  const changes = new Set<Promise<unknown>>();
  let shuttingDown = false;
  const heartbeat = startHeartbeat(connections, opts.heartbeatMs ?? 30_000);

  function serve(ws: WebSocket, docName: string, access: CollabAccess): void {
    const lease = registry.acquire(docName);
    const conn = new CollabConnection(ws, docName, access, logger, (c) => {
      connections.delete(c);
      lease.release();
    });
    connections.add(conn);
    // A new client of a big stored doc is served from the stored bytes while the server builds its copy.
    void lease.stored.then((bytes) => bytes && conn.serveStoredState(bytes, (sent) => lease.holdBuild(sent)));
    const writable = access.readOnly || !opts.canWrite ? Promise.resolve(!access.readOnly) : opts.canWrite(docName, access.identity);
    Promise.all([lease.shared, writable]).then(
      ([shared, canWrite]) => conn.attach(shared, !canWrite),
      (err: unknown) => {
        logger.error({ err, docName }, 'collab connection could not start');
        conn.close(CollabClose.Internal);
      },
    );
  }

  return {
    events: registry.events,
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, docName: string, access: CollabAccess): void {
      if (shuttingDown || !parseDocName(docName)) {
        // upgrade.ts checks names; this is a last line of defence, still before the 101.
        socket.end(`HTTP/1.1 ${shuttingDown ? '503 Service Unavailable' : '404 Not Found'}\r\nConnection: close\r\n\r\n`);
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => serve(ws, docName, access));
    },

    async change(docName: string, fn: (doc: Y.Doc) => void): Promise<void> {
      if (shuttingDown) throw new Error('collab service is shutting down');
      const lease = registry.acquire(docName);
      const run = lease.shared.then((shared) => shared.applyServerChange(fn, SERVER_ORIGIN)).finally(() => lease.release());
      changes.add(run);
      try {
        await run;
      } finally {
        changes.delete(run);
      }
    },

    closeSession(sessionId: string, close: { code: number; reason: string }): void {
      for (const conn of [...connections]) if (conn.identity.sessionId === sessionId) conn.close(close);
    },

    stats() {
      return { loadedDocs: registry.loadedDocs, connections: connections.size };
    },

    idle: () => registry.idle(),

    async shutdown(): Promise<void> {
      shuttingDown = true;
      clearInterval(heartbeat);
      await Promise.allSettled([...changes]);
      // Closing detaches at once; the last detach of a doc drains, flushes hooks and compacts.
      for (const conn of [...connections]) conn.close(CollabClose.ServerShutdown);
      await registry.idle();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function startHeartbeat(connections: Set<CollabConnection>, periodMs: number): NodeJS.Timeout | undefined {
  if (periodMs <= 0) return undefined;
  let lastTick = Date.now();
  const timer = setInterval(() => {
    // After a stall of this process, pongs may sit unread in socket buffers: judge nobody this tick.
    const now = Date.now();
    const stalled = now - lastTick > periodMs * 1.5;
    lastTick = now;
    for (const conn of connections) {
      if (!conn.alive && !stalled) {
        conn.ws.terminate(); // 'close' follows and detaches it
        continue;
      }
      conn.alive = false;
      conn.ws.ping();
    }
  }, periodMs);
  timer.unref();
  return timer;
}
