import { mkdir } from 'node:fs/promises';
import type { Store } from '../Store.js';
import { closeCollections, DEFAULT_AUTOCOMPACT_MS, openCollections } from './collections.js';
import { embeddedAccounts } from './accounts.js';
import { embeddedSessions } from './sessions.js';
import { embeddedLiveFiles } from './liveFiles.js';
import { embeddedEntries } from './entries.js';
import { embeddedPublishing } from './publishing.js';
import { embeddedAudit } from './audit.js';
import { embeddedIdempotency } from './idempotency.js';
import { openEmbeddedMedia } from './media.js';
import { openDocLogs } from './docLogs.js';
import { closeAccessCollections, openAccessCollections } from './accessCollections.js';
import { embeddedRateLimits } from './rateLimits.js';
import { embeddedInvites } from './invites.js';
import { openEmbeddedWebhooks } from './webhooks.js';
import { appendNedbWritesAtOnce } from './syncAppends.js';

export interface EmbeddedStoreOptions {
  /** One datafile per collection lives here; created when missing. */
  dir: string;
  /** How often nedb rewrites its append-only datafiles (nedb's minimum is 5000). */
  autocompactMs?: number;
}

/** The default store: nedb datafiles in a directory, owned by this one process. */
export async function openEmbeddedStore({ dir, autocompactMs = DEFAULT_AUTOCOMPACT_MS }: EmbeddedStoreOptions): Promise<Store> {
  await mkdir(dir, { recursive: true });
  appendNedbWritesAtOnce();
  const c = await openCollections(dir, autocompactMs);
  const docs = await openDocLogs(dir);
  const access = await openAccessCollections(dir, autocompactMs);
  const media = await openEmbeddedMedia(dir);
  const hooks = await openEmbeddedWebhooks(dir, autocompactMs);
  let closing: Promise<void> | null = null;
  return {
    kind: 'embedded',
    accounts: embeddedAccounts(c.accounts),
    sessions: embeddedSessions(c.sessions),
    liveFiles: embeddedLiveFiles(c.liveFiles),
    entries: embeddedEntries(c.entries),
    docs,
    rateLimits: embeddedRateLimits(access.rateLimits),
    invites: embeddedInvites(access.invites),
    publishing: embeddedPublishing(c.readerChanges, c.readerEntries),
    audit: embeddedAudit(c.audit),
    idempotency: embeddedIdempotency(c.idempotency),
    media,
    webhooks: hooks.webhooks,
    webhookDeliveries: hooks.deliveries,
    async ping() {
      // Nothing to reach: the data is in this process.
    },
    close() {
      closing ??= Promise.all([closeCollections(c), closeAccessCollections(access), docs.close(), media.close(), hooks.close()]).then(() => undefined); // idempotent: shutdown paths may call it twice
      return closing;
    },
  };
}
