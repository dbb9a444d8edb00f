import express, { type Express } from 'express';
import { ErrorCode } from '../../shared/errors.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/Store.js';
import type { AccountService } from '../features/accounts/AccountService.js';
import type { LiveFileService } from '../features/liveFiles/LiveFileService.js';
import type { EntryService } from '../features/entries/EntryService.js';
import type { AccountAdmin } from '../features/accounts/AccountAdmin.js';
import type { OriginPolicy } from '../originPolicy.js';
import { createAuthenticate } from './authenticate.js';
import { createErrorHandler } from './errorHandler.js';
import { healthRoutes } from './health.js';
import { jsonBody, rejectMalformedPath } from './requestGuards.js';
import { sessionRoutes } from './routes/sessionRoutes.js';
import { accountRoutes } from './routes/accountRoutes.js';
import { originGuard } from './originGuard.js';
import { securityHeaders } from './securityHeaders.js';
import { liveFileRoutes } from './routes/liveFileRoutes.js';
import { entryRoutes } from './routes/entryRoutes.js';
import { workflowRoutes } from './routes/workflowRoutes.js';
import { publicRoutes } from './routes/publicRoutes.js';
import { mediaRoutes, publicMediaRoutes } from './routes/mediaRoutes.js';
import type { MediaService } from '../features/media/MediaService.js';
import type { WorkflowService } from '../features/workflow/WorkflowService.js';
import type { WorkflowQueries } from '../features/workflow/WorkflowQueries.js';
import type { PublicLiveService } from '../features/publishing/PublicLiveService.js';
import { serveClient } from './serveClient.js';
import { feedRoutes } from './routes/feedRoutes.js';
import { embedRoutes } from './routes/embedRoutes.js';
import { readerPageRoutes } from './routes/readerPageRoutes.js';
import type { FeedService } from '../features/syndication/FeedService.js';
import type { WebhookService } from '../features/webhooks/WebhookService.js';
import { webhookRoutes } from './routes/webhookRoutes.js';

export interface HttpDeps {
  logger: Logger;
  store: Store;
  accounts: AccountService;
  liveFiles: LiveFileService;
  entries: EntryService;
  accountAdmin: AccountAdmin;
  isOriginAllowed: OriginPolicy;
  workflow: WorkflowService;
  workflowQueries: WorkflowQueries;
  publicLive: PublicLiveService;
  media: MediaService;
  clientDir: string;
  cookieSecure: boolean;
  feeds: FeedService;
  webhooks: WebhookService;
  /** PUBLIC_URL: the origin of absolute links in feeds; else the request's host. */
  publicUrl?: string;
}

export function createHttpApp(deps: HttpDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(securityHeaders({ https: deps.cookieSecure }));
  app.use(originGuard(deps.isOriginAllowed));
  app.use(rejectMalformedPath);
  app.use(healthRoutes(deps.store));
  // /live/<slug>/feed.{rss,atom,json}: public, before the reader page's routes and the client.
  app.use(feedRoutes(deps));
  // /embed.js (the <livedesk-feed> script other sites include) and its hashed file: any origin.
  app.use(embedRoutes(deps));

  const api = express.Router();
  api.use(jsonBody());
  // Readers' routes: no session is even looked at.
  api.use(publicRoutes(deps));
  api.use(createAuthenticate(deps.accounts));
  api.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  api.use(sessionRoutes({ accounts: deps.accounts, cookieSecure: deps.cookieSecure }));
  api.use(accountRoutes({ accountAdmin: deps.accountAdmin, cookieSecure: deps.cookieSecure }));
  api.use(liveFileRoutes(deps));
  api.use(entryRoutes(deps));
  api.use(workflowRoutes(deps));
  api.use(mediaRoutes(deps));
  api.use(webhookRoutes(deps));
  api.use((req, res) => {
    res.status(404).json({ error: { code: ErrorCode.NotFound, message: `No API route ${req.method} ${req.path}` } });
  });
  app.use('/api', api);

  app.use(publicMediaRoutes(deps));
  // The public live page (/live/<slug>, its older pages and permalinks): server-rendered, no session.
  app.use(readerPageRoutes(deps));
  app.use(serveClient(deps.clientDir));
  app.use(createErrorHandler(deps.logger));
  return app;
}
