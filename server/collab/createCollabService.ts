// The /collab endpoint: completes upgrades that upgrade.ts already authorized, and serves
// each connection from a shared, lazily loaded doc. docs/protocol.md describes the wire.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type * as Y from 'yjs';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from 'pino';
import type { DocRepo } from '../store/Store.js';
import { CollabClose, HEARTBEAT_PARAM } from '../../shared/collab/closeCodes.js';
import { parseDocName } from '../../shared/collab/docName.js';
import { Limits } from '../../shared/limits.js';
import type { CollabAccess, CollabAuthorizer, CollabService, DeskEditedHook, EntryEditedHook } from './CollabService.js';
import { CollabConnection, READ_ONLY_REASON } from './CollabConnection.js';
import { DocRegistry } from './DocRegistry.js';
import { SERVER_ORIGIN } from './origins.js';
import { writeHeartbeat } from './protocol.js';
import type { SharedDoc } from './SharedDoc.js';
import type { HeldLimits } from './HeldUpdates.js';

export interface CollabServiceOptions {
  docs: DocRepo;
  logger: Logger;
  /** Fold the update log into a snapshot after this many appends (and on unload). */
  compactEvery: number;
  onEntryEdited?: EntryEditedHook;
  onDeskEdited?: DeskEditedHook;
  /** Re-checks of open connections ask this; without it (collab-only tests) access never changes. */
  authorize?: CollabAuthorizer;
  /**
   * Ping period; a socket that missed one pong is terminated. Connections that ask for it
   * (`?heartbeat=1`) also get a heartbeat message (102) on join and every period [HB1]. 0 disables both.
   */
  heartbeatMs?: number;
  /** Cap on a document's stored state (default Limits.maxDocBytes). */
  maxDocBytes?: number;
  /** Bounds on updates held aside for their dependencies (default Limits). */
  held?: HeldLimits;
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
  const registry = new DocRegistry({ docs: opts.docs, logger, compactEvery: opts.compactEvery, maxDocBytes: opts.maxDocBytes, held: opts.held, onEntryEdited: opts.onEntryEdited, onDeskEdited: opts.onDeskEdited });
  const connections = new Set<CollabConnection>();
  const changes = new Set<Promise<unknown>>();
  let shuttingDown = false;
  const heartbeatMs = opts.heartbeatMs ?? Limits.collabHeartbeatMs;
  /** Connections that asked for heartbeat messages. */
  const beating = new WeakSet<CollabConnection>();
  const heartbeat = startHeartbeat(connections, heartbeatMs, beating);

  function serve(ws: WebSocket, docName: string, access: CollabAccess, wantsHeartbeat: boolean): void {
    const lease = registry.acquire(docName);
    const conn = new CollabConnection(ws, docName, access, logger, (c) => {
      connections.delete(c);
      lease.release();
    });
    connections.add(conn);
    if (wantsHeartbeat && heartbeatMs > 0) {
      beating.add(conn);
      conn.send(writeHeartbeat(heartbeatMs)); // the period first, so the client knows how long silence may last
    }
    lease.shared.then(
      (shared) => conn.attach(shared),
      (err: unknown) => {
        logger.error({ err, docName }, 'collab connection could not start');
        conn.close(CollabClose.Internal);
      },
    );
  }

  /** Runs fn on the loaded doc (loading it if needed); shutdown waits for it. */
  async function withDoc<T>(docName: string, fn: (shared: SharedDoc) => Promise<T>): Promise<T> {
    if (shuttingDown) throw new Error('collab service is shutting down');
    const lease = registry.acquire(docName);
    const run = lease.shared.then(fn).finally(() => lease.release());
    changes.add(run);
    try {
      return await run;
    } finally {
      changes.delete(run);
    }
  }

  /** Frames from this connection wait until its access is decided again. */
  async function recheck(conn: CollabConnection): Promise<void> {
    if (conn.isClosed || !opts.authorize) return;
    const resume = conn.pause();
    try {
      const access = await opts.authorize(conn.docName, conn.identity);
      if (access === 'none' || access === 'missing') conn.close(CollabClose.AccessRevoked, 'access re-check: no access');
      else if (access === 'read') conn.downgrade(READ_ONLY_REASON);
      else if (conn.readOnly) conn.close(CollabClose.AccessChanged, 'access re-check: may write again');
    } catch (err) {
      logger.error({ err, docName: conn.docName }, 'collab access re-check failed');
      conn.close(CollabClose.Internal, 'access re-check failed');
    } finally {
      resume();
    }
  }

  return {
    events: registry.events,
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, docName: string, access: CollabAccess): void {
      if (shuttingDown || !parseDocName(docName)) {
        // upgrade.ts checks names; this is a last line of defence, still before the 101.
        socket.end(`HTTP/1.1 ${shuttingDown ? '503 Service Unavailable' : '404 Not Found'}\r\nConnection: close\r\n\r\n`);
        return;
      }
      const wantsHeartbeat = new URL(req.url ?? '/', 'http://collab').searchParams.get(HEARTBEAT_PARAM) === '1';
      wss.handleUpgrade(req, socket, head, (ws) => serve(ws, docName, access, wantsHeartbeat));
    },

    change: (docName: string, fn: (doc: Y.Doc) => void) => withDoc(docName, (shared) => shared.applyServerChange(fn, SERVER_ORIGIN)),

    read: (docName: string) => withDoc(docName, (shared) => shared.readDurable()),

    view: <T>(docName: string, fn: (doc: Y.Doc) => T) => withDoc(docName, (shared) => shared.viewDurable(fn)),

    async holding<T>(docNames: string[], fn: () => Promise<T>): Promise<T> {
      if (shuttingDown) throw new Error('collab service is shutting down');
      const leases = docNames.map((name) => registry.acquire(name));
      const run = fn().finally(() => {
        for (const lease of leases) lease.release();
      });
      // A load that fails is the calls' own error inside fn; here it must not go unhandled.
      for (const lease of leases) lease.shared.catch(() => undefined);
      changes.add(run);
      try {
        return await run;
      } finally {
        changes.delete(run);
      }
    },

    settleEdits: (docName: string) =>
      withDoc(docName, async (shared) => {
        await shared.readDurable();
        shared.edits?.flush();
      }),

    async reauthorize(docName: string): Promise<void> {
      await Promise.all([...connections].filter((c) => c.docName === docName).map(recheck));
    },

    async reauthorizeAccount(accountId: string): Promise<void> {
      await Promise.all([...connections].filter((c) => c.identity.accountId === accountId).map(recheck));
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

function startHeartbeat(connections: Set<CollabConnection>, periodMs: number, beating: WeakSet<CollabConnection>): NodeJS.Timeout | undefined {
  if (periodMs <= 0) return undefined;
  const beat = writeHeartbeat(periodMs);
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
      if (beating.has(conn)) conn.send(beat);
    }
  }, periodMs);
  timer.unref();
  return timer;
}
