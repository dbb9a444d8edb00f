import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CollabClose } from '../shared/collab/closeCodes.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { Store } from './store/Store.js';
import { DomainEvents } from './events.js';
import { createAccountService } from './features/accounts/AccountService.js';
import { createAccountAdmin } from './features/accounts/AccountAdmin.js';
import { createSignInLimits } from './features/accounts/signInLimits.js';
import { createLiveFileService } from './features/liveFiles/LiveFileService.js';
import { createEntryService } from './features/entries/EntryService.js';
import { createPublishingService } from './features/publishing/PublishingService.js';
import { createPublicLiveService } from './features/publishing/PublicLiveService.js';
import { createReaderCatchUp } from './features/publishing/ReaderCatchUp.js';
import { createFeedService } from './features/syndication/FeedService.js';
import { createWebhookService } from './features/webhooks/WebhookService.js';
import { createWebhookDispatcher } from './features/webhooks/WebhookDispatcher.js';
import { createPostWebhook } from './features/webhooks/postWebhook.js';
import { createWorkflowService } from './features/workflow/WorkflowService.js';
import { createWorkflowQueries } from './features/workflow/WorkflowQueries.js';
import { createScheduler } from './features/workflow/Scheduler.js';
import { createMediaService } from './features/media/MediaService.js';
import { entryDocName, fileDocName } from '../shared/collab/docName.js';
import type { EntryDocs } from './features/entries/EntryDocs.js';
import { createCollabService } from './collab/createCollabService.js';
import type { CollabServiceHandle } from './collab/createCollabService.js';
import { createHttpApp } from './http/createHttpApp.js';
import { createRealtime } from './realtime/createRealtime.js';
import { installUpgradeHandler } from './upgrade.js';
import { createOriginPolicy } from './originPolicy.js';
import { ConnectionLimiter } from './connectionLimiter.js';
import { createDocAccessResolver } from './features/docAccess.js';
import { removeRetiredLineages } from './collab/removeRetiredLineages.js';

export interface LivedeskServer {
  httpServer: HttpServer;
  services: ReturnType<typeof createServices>;
  collab: CollabServiceHandle;
  /** Open Socket.IO and collab connections per client address (MAX_CONNECTIONS_PER_ADDRESS). */
  connections: ConnectionLimiter;
  /** Anonymous Socket.IO connections (readers) per client address (READER_MAX_CONNECTIONS_PER_ADDRESS). */
  readerConnections: ConnectionLimiter;
  listen(port: number, host?: string): Promise<string>;
  /** Flushes document writes, closes sockets; the store is the caller's to close. */
  close(): Promise<void>;
}

function createServices(store: Store, config: Config, events: DomainEvents, entryDocs: EntryDocs, logger: Logger) {
  const limits = createSignInLimits(store.rateLimits, {
    perAccount: config.LOGIN_MAX_FAILURES_PER_ACCOUNT,
    perAddress: config.LOGIN_MAX_FAILURES_PER_ADDRESS,
    windowSeconds: config.LOGIN_WINDOW_MINUTES * 60,
  });
  const accounts = createAccountService({ accounts: store.accounts, sessions: store.sessions, invites: store.invites, events, sessionTtlHours: config.SESSION_TTL_HOURS, limits });
  const accountAdmin = createAccountAdmin({ accounts: store.accounts, invites: store.invites, service: accounts });
  const liveFiles = createLiveFileService({ liveFiles: store.liveFiles, entries: store.entries, accounts: store.accounts, events });
  const media = createMediaService({ media: store.media });
  const entries = createEntryService({ entries: store.entries, liveFiles: store.liveFiles, accounts: store.accounts, events, entryDocs, media, deskByline: config.DESK_BYLINE });
  const publishing = createPublishingService({ publishing: store.publishing, entryDocs, events });
  // The scheduler and the workflow need each other: the scheduler publishes through the workflow,
  // the workflow arms the scheduler on each transition.
  let publishScheduled: (entryId: string) => Promise<unknown> = async () => undefined;
  const scheduler = createScheduler({ entries: store.entries, publish: (id) => publishScheduled(id), logger: logger.child({ part: 'scheduler' }) });
  const workflow = createWorkflowService({
    entries: store.entries,
    liveFiles: store.liveFiles,
    accounts: store.accounts,
    audit: store.audit,
    idempotency: store.idempotency,
    entryDocs,
    entryService: entries,
    publishing,
    media,
    events,
    onTransition: scheduler.onTransition,
  });
  publishScheduled = workflow.publishScheduled;
  const workflowQueries = createWorkflowQueries({
    entries: store.entries, liveFiles: store.liveFiles, accounts: store.accounts, audit: store.audit, publishing: store.publishing, entryDocs, entryService: entries, media,
  });
  const publicLive = createPublicLiveService({ liveFiles: store.liveFiles, publishing: store.publishing });
  const readerCatchUp = createReaderCatchUp({ liveFiles: store.liveFiles, publishing: store.publishing });
  const feeds = createFeedService({ liveFiles: store.liveFiles, publishing: store.publishing, author: config.DESK_BYLINE });
  // Webhooks: deliveries are stored, then posted by the dispatcher, never in the publish path.
  const dispatcher = createWebhookDispatcher({
    webhooks: store.webhooks, deliveries: store.webhookDeliveries, logger: logger.child({ part: 'webhooks' }),
    post: createPostWebhook({ timeoutMs: config.WEBHOOKS_TIMEOUT_MS, allowPrivate: config.WEBHOOKS_ALLOW_PRIVATE }),
    retryDelaysMs: config.WEBHOOKS_RETRY_DELAYS_MS, disableAfter: config.WEBHOOKS_DISABLE_AFTER, timeoutMs: config.WEBHOOKS_TIMEOUT_MS,
  });
  const webhooks = createWebhookService({
    webhooks: store.webhooks, deliveries: store.webhookDeliveries, liveFiles: store.liveFiles, publishing: store.publishing, events, dispatcher,
    allowPrivate: config.WEBHOOKS_ALLOW_PRIVATE, publicUrl: config.PUBLIC_URL, logger: logger.child({ part: 'webhooks' }),
  });
  return { events, accounts, accountAdmin, liveFiles, entries, publishing, workflow, workflowQueries, publicLive, readerCatchUp, feeds, webhooks, scheduler, media };
}

/** The composition root, shared by main.ts and the tests. */
export function createServer(deps: { config: Config; logger: Logger; store: Store; clientDir: string }): LivedeskServer {
  const { config, logger, store } = deps;
  const events = new DomainEvents();
  const docAccess = createDocAccessResolver({ accounts: store.accounts, liveFiles: store.liveFiles, entries: store.entries });
  // Collab implements the features' EntryDocs port and reports edits as a domain event: no cycle.
  const collab = createCollabService({
    docs: store.docs,
    logger: logger.child({ part: 'collab' }),
    compactEvery: config.COLLAB_COMPACT_EVERY,
    heartbeatMs: config.COLLAB_HEARTBEAT_MS,
    authorize: (docName, identity) => docAccess.forAccountId(identity.accountId, docName),
    onEntryEdited: (entryId, accountIds) => events.emit('entry:edited', { entryId, accountIds }),
    onDeskEdited: (liveFileId, accountIds) => events.emit('desk:edited', { liveFileId, accountIds }),
  });
  const services = createServices(store, config, events, collab, logger);
  events.on('entry:edited', ({ entryId, accountIds }) => {
    services.entries.recordEdit(entryId, accountIds).catch((err: unknown) => logger.error({ err, entryId }, 'recording an edit failed'));
  });
  // Pins, moves and key-event flags of published entries become reader changes.
  events.on('desk:edited', ({ liveFileId }) => {
    services.publishing.syncDesk(liveFileId).catch((err: unknown) => logger.error({ err, liveFileId }, 'desk sync to readers failed'));
  });
  // New members or four-eyes: the file's desk document and every entry document re-check.
  events.on('liveFile:accessChanged', ({ after }) => {
    void (async () => {
      await collab.reauthorize(fileDocName(after.id));
      for (const entry of await store.entries.listByLiveFile(after.id)) await collab.reauthorize(entryDocName(entry.id));
    })().catch((err: unknown) => logger.error({ err, liveFileId: after.id }, 'collab re-check after an access change failed'));
  });
  // A changed role or a deactivation re-checks the account's open collab connections at once.
  events.on('account:changed', (account) => {
    collab.reauthorizeAccount(account.id).catch((err: unknown) => logger.error({ err, accountId: account.id }, 'collab re-check failed'));
  });

  const isOriginAllowed = createOriginPolicy(config.ALLOWED_ORIGINS);
  const app = createHttpApp({ logger, store, ...services, isOriginAllowed, clientDir: deps.clientDir, cookieSecure: config.COOKIE_SECURE, publicUrl: config.PUBLIC_URL });
  const httpServer = createHttpServer(app);
  // One budget per address for Socket.IO and collab connections together.
  const connections = new ConnectionLimiter(config.MAX_CONNECTIONS_PER_ADDRESS);
  const readerConnections = new ConnectionLimiter(config.READER_MAX_CONNECTIONS_PER_ADDRESS);
  const realtime = createRealtime(httpServer, { logger, ...services, isOriginAllowed, connections, readerConnections, readerFanoutTurnMs: config.READER_FANOUT_TURN_MS });
  installUpgradeHandler(httpServer, { logger, accounts: services.accounts, docAccess, collab, io: realtime.io, isOriginAllowed, connections });

  // Sign-out and deactivation end collab connections too, not only Socket.IO.
  services.events.on('session:revoked', ({ sessionIds }) => {
    for (const id of sessionIds) collab.closeSession(id, CollabClose.Unauthenticated);
  });

  return {
    httpServer,
    services,
    collab,
    connections,
    readerConnections,
    listen: async (port, host) => {
      // Start-up housekeeping, before anyone can connect.
      await removeRetiredLineages(store.docs, logger);
      // Transitions a crash interrupted are finished before anyone reads, then schedules re-armed.
      const finished = await services.workflow.finishInterrupted();
      if (finished > 0) logger.warn({ finished }, 'finished interrupted workflow transitions');
      await services.scheduler.start();
      await services.webhooks.start();
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        // A deep accept queue: thousands of readers reconnecting at once (a restart, a network blip)
        // overflow Node's default 511 and wait 1–7 s for SYN retries.
        httpServer.listen({ port, host, backlog: 4096 }, () => {
          const { port: actual } = httpServer.address() as AddressInfo;
          resolve(`http://${host && host !== '0.0.0.0' ? host : '127.0.0.1'}:${actual}`);
        });
      });
    },
    async close() {
      services.scheduler.stop();
      await services.webhooks.stop();
      await collab.shutdown();
      await realtime.close();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
