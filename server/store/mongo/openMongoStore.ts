import type { Store } from '../Store.js';
import { collectionsOf, ensureIndexes } from './collections.js';
import { connectMongo, describeMongoHosts, detectFerretDb } from './connect.js';
import { mongoAccounts } from './accounts.js';
import { mongoSessions } from './sessions.js';
import { mongoLiveFiles } from './liveFiles.js';
import { mongoEntries } from './entries.js';
import { mongoDocs } from './docs.js';
import { ensureAccessIndexes, mongoRateLimits } from './rateLimits.js';
import { mongoInvites } from './invites.js';
import { mongoPublishing } from './publishing.js';
import { mongoAudit } from './audit.js';
import { mongoIdempotency } from './idempotency.js';
import { openMongoMedia } from './media.js';
import { openMongoWebhooks } from './webhooks.js';

export interface MongoStoreOptions {
  uri: string;
  dbName: string;
  logger?: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
  /** How long one connection attempt waits for a server. */
  serverSelectionTimeoutMS?: number;
}

/** One attempt: connects, creates indexes, or throws naming the host (never the password). */
export async function openMongoStore({ uri, dbName, logger, serverSelectionTimeoutMS = 5000 }: MongoStoreOptions): Promise<Store> {
  const client = await connectMongo(uri, serverSelectionTimeoutMS);
  const db = client.db(dbName);
  try {
    const c = collectionsOf(db);
    await ensureIndexes(c);
    await ensureAccessIndexes(db);
    const ferretDbVersion = await detectFerretDb(client);
    const host = describeMongoHosts(uri);
    if (ferretDbVersion) {
      logger?.warn({ host, ferretDbVersion }, 'FerretDB: conditional updates are atomic within this process only');
    }
    logger?.info({ host, dbName }, 'mongo store open');
    const hooks = await openMongoWebhooks(db);
    return {
      kind: 'mongo',
      accounts: mongoAccounts(c.accounts),
      sessions: mongoSessions(c.sessions),
      liveFiles: mongoLiveFiles(c.liveFiles),
      entries: mongoEntries(c.entries),
      docs: mongoDocs(c.docSnapshots, c.docUpdates, c.docClientOwners),
      rateLimits: mongoRateLimits(db),
      invites: mongoInvites(db),
      publishing: mongoPublishing(c.readerChanges, c.readerEntries),
      audit: mongoAudit(c.audit),
      idempotency: mongoIdempotency(c.idempotency),
      media: await openMongoMedia(db),
      webhooks: hooks.webhooks,
      webhookDeliveries: hooks.deliveries,
      async ping() {
        await db.command({ ping: 1 });
      },
      close: () => client.close(),
    };
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }
}
