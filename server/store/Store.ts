import type { AccountRepo } from './ports/accounts.js';
import type { SessionRepo } from './ports/sessions.js';
import type { LiveFileRepo } from './ports/liveFiles.js';
import type { EntryRepo } from './ports/entries.js';
import type { DocRepo } from './ports/docLogs.js';
import type { PublishingRepo } from './ports/publishing.js';
import type { AuditRepo } from './ports/audit.js';
import type { IdempotencyRepo } from './ports/idempotency.js';
import type { MediaRepo } from './ports/media.js';
import type { RateLimitRepo } from './ports/rateLimits.js';
import type { InviteRepo } from './ports/invites.js';
import type { DeliveryRepo, WebhookRepo } from './ports/webhooks.js';

// One port per aggregate (server/store/ports/*): a service is handed only the repos it uses.
// The types are re-exported here so `from '.../store/Store.js'` keeps working.
export type { AccountRecord, NewAccount, AccountPatch, AccountRepo } from './ports/accounts.js';
export type { SessionRecord, SessionRepo } from './ports/sessions.js';
export type { LiveFileRecord, NewLiveFile, LiveFilePatch, LiveFileRepo } from './ports/liveFiles.js';
export type { EntryRecord, NewEntry, EntryExpected, EntryTransitionPatch, EntryMetaPatch, EntryRepo } from './ports/entries.js';
export type { StoredUpdate, StoredDoc, DocRepo } from './ports/docLogs.js';
export type { PublishingRepo, ReaderEntryRecord, ReaderChangeRecord, ReaderChangeKind, ReaderCursor, PublicationSnapshot } from './ports/publishing.js';
export type { AuditRecord, AuditRepo } from './ports/audit.js';
export type { IdempotencyRecord, IdempotencyRepo } from './ports/idempotency.js';
export type { MediaRecord, MediaRepo, MediaBlobRef, MediaBlob, MediaType } from './ports/media.js';
export type { RateLimitRecord, RateLimitRepo } from './ports/rateLimits.js';
export type { InviteRecord, InviteRepo } from './ports/invites.js';
export type { WebhookRecord, WebhookRepo, DeliveryRecord, DeliveryRepo } from './ports/webhooks.js';

/**
 * The storage port: every repo of one backing store. Two adapters implement it: embedded
 * (nedb + one log file per document, default) and mongo (MONGODB_URI).
 * Rules every adapter keeps: single-document atomic operations only (no transactions);
 * dates are ISO strings; binary values come back as Uint8Array; strings round-trip byte-exact.
 *
 * Media (photos, audio) goes to a separate blob port, never into this record store.
 */
export interface Store {
  readonly kind: 'embedded' | 'mongo';
  accounts: AccountRepo;
  sessions: SessionRepo;
  liveFiles: LiveFileRepo;
  entries: EntryRepo;
  docs: DocRepo;
  /** The reader side: change log and published entries. */
  publishing: PublishingRepo;
  audit: AuditRepo;
  idempotency: IdempotencyRepo;
  /** Photos: a blob port of its own (GridFS or files on disk), never the record collections. */
  media: MediaRepo;
  /** Sign-in rate-limit windows (features/accounts/StoreRateLimiter.ts). */
  rateLimits: RateLimitRepo;
  invites: InviteRepo;
  /** Live files' webhooks, and their deliveries (durable: a restart resumes them). */
  webhooks: WebhookRepo;
  webhookDeliveries: DeliveryRepo;
  /** Throws when the backing store is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Thrown by create methods when a unique key (username, slug, id) is already taken. */
export class DuplicateKeyError extends Error {
  constructor(readonly collection: string, cause?: unknown) {
    super(`duplicate key in ${collection}`, { cause });
    this.name = 'DuplicateKeyError';
  }
}
