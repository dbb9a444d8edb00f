import * as Y from 'yjs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CollabClose } from '../shared/collab/closeCodes.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { Store } from './store/Store.js';
import { DomainEvents } from './events.js';
import { createAccountService } from './features/accounts/AccountService.js';
import { createLiveFileService } from './features/liveFiles/LiveFileService.js';
import { createEntryService } from './features/entries/EntryService.js';
import type { EntryDocs } from './features/entries/EntryDocs.js';
import { createCollabService } from './collab/createCollabService.js';
import type { CollabService } from './collab/CollabService.js';
import type { CollabServiceHandle } from './collab/createCollabService.js';
import { createHttpApp } from './http/createHttpApp.js';
import { createRealtime } from './realtime/createRealtime.js';
import { installUpgradeHandler } from './upgrade.js';
import { createOriginPolicy } from './originPolicy.js';

export interface LivedeskServer {
  httpServer: HttpServer;
  services: ReturnType<typeof createServices>;
  collab: CollabServiceHandle;
  listen(port: number, host?: string): Promise<string>;
  /** Flushes document writes, closes sockets; the store is the caller's to close. */
  close(): Promise<void>;
}

function createServices(store: Store, config: Config, collab: () => CollabService) {
  const events = new DomainEvents();
  const accounts = createAccountService({ accounts: store.accounts, sessions: store.sessions, events, sessionTtlHours: config.SESSION_TTL_HOURS });
  const liveFiles = createLiveFileService({ liveFiles: store.liveFiles, entries: store.entries, events });
  // TODO(lead): hand collab itself once it implements EntryDocs (read, reauthorize); until then this adapter.
  const entryDocs: EntryDocs = {
    async read(docName) {
      let state: Uint8Array = new Uint8Array();
      await collab().change(docName, (doc) => void (state = Y.encodeStateAsUpdate(doc)));
      return state;
    },
    change: (docName, fn) => collab().change(docName, fn),
    reauthorize: async () => {},
  };
  const entries = createEntryService({ entries: store.entries, liveFiles: store.liveFiles, accounts: store.accounts, events, entryDocs });
  return { events, accounts, liveFiles, entries };
}

/** The composition root, shared by main.ts and the tests. */
export function createServer(deps: { config: Config; logger: Logger; store: Store; clientDir: string }): LivedeskServer {
  const { config, logger, store } = deps;
  // The entry service needs collab and collab's hook needs the entry service: a getter breaks the cycle.
  const services = createServices(store, config, () => collab);
  const collab = createCollabService({
    docs: store.docs,
    logger: logger.child({ part: 'collab' }),
    compactEvery: config.COLLAB_COMPACT_EVERY,
    squashMinBytes: config.COLLAB_SQUASH_MIN_BYTES,
    heartbeatMs: config.COLLAB_HEARTBEAT_MS,
    onEntryEdited: (entryId, accountIds, doc) => {
      services.entries.recordEdit(entryId, accountIds, doc).catch((err: unknown) => logger.error({ err, entryId }, 'recording an edit failed'));
    },
  });

  const app = createHttpApp({ logger, store, ...services, clientDir: deps.clientDir, cookieSecure: config.COOKIE_SECURE });
  const httpServer = createHttpServer(app);
  const isOriginAllowed = createOriginPolicy(config.ALLOWED_ORIGINS);
  const realtime = createRealtime(httpServer, { logger, ...services, isOriginAllowed });
  installUpgradeHandler(httpServer, { logger, store, accounts: services.accounts, collab, io: realtime.io, isOriginAllowed });

  // Sign-out and deactivation end collab connections too, not only Socket.IO.
  services.events.on('session:revoked', ({ sessionIds }) => {
    for (const id of sessionIds) collab.closeSession(id, CollabClose.Unauthenticated);
  });

  return {
    httpServer,
    services,
    collab,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          const { port: actual } = httpServer.address() as AddressInfo;
          resolve(`http://${host && host !== '0.0.0.0' ? host : '127.0.0.1'}:${actual}`);
        });
      }),
    async close() {
      await collab.shutdown();
      await realtime.close();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
