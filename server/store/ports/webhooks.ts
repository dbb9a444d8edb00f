import type { DeliveryAttemptView, DeliveryOutcome, WebhookEvent } from '../../../shared/schemas/webhook.js';

/**
 * A live file's webhooks and their deliveries. Deliveries are durable records, enqueued after a
 * reader change is stored and worked off by the dispatcher (features/webhooks), so a restart
 * resumes what was pending; each hook keeps the seq it has enqueued through, so changes stored
 * just before a crash are enqueued at the next start.
 */
export interface WebhookRecord {
  id: string;
  newsroomId: string;
  liveFileId: string;
  url: string;
  events: WebhookEvent[];
  enabled: boolean;
  /** The HMAC key. Kept as is (it must sign); the API shows it once, at creation. */
  secret: string;
  /** Permalinks' origin when PUBLIC_URL is unset: the desk's own, from the creating request. */
  siteOrigin: string;
  /** Highest reader seq of the live file whose deliveries are enqueued for this hook. */
  cursorSeq: number;
  consecutiveFailures: number;
  disabledReason: 'failures' | null;
  lastAttempt: AttemptSummary | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}
export type AttemptSummary = DeliveryAttemptView & { deliveryId: string };
export type WebhookPatch = Partial<Pick<WebhookRecord, 'url' | 'events' | 'enabled' | 'disabledReason' | 'consecutiveFailures' | 'cursorSeq' | 'updatedAt'>>;

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'cancelled';
export interface DeliveryAttempt {
  at: string;
  outcome: DeliveryOutcome;
  status?: number;
  durationMs: number;
  error?: string;
}
export interface DeliveryRecord {
  /** `<hookId>-<seq>`: one delivery per hook and reader change, however often it is enqueued. */
  id: string;
  hookId: string;
  liveFileId: string;
  seq: number;
  event: WebhookEvent;
  entryId: string;
  /** The JSON body, fixed at enqueue: every attempt sends the same bytes (signed afresh). */
  body: string;
  status: DeliveryStatus;
  /** When the next attempt is due (while pending); a claimed attempt's lease end. */
  nextAttemptAt: string | null;
  attempts: DeliveryAttempt[];
  createdAt: string;
  updatedAt: string;
}

export interface WebhookRepo {
  create(hook: WebhookRecord): Promise<void>;
  findById(id: string): Promise<WebhookRecord | null>;
  /** Oldest first. */
  listByLiveFile(liveFileId: string): Promise<WebhookRecord[]>;
  listEnabled(): Promise<WebhookRecord[]>;
  update(id: string, patch: WebhookPatch): Promise<WebhookRecord | null>;
  delete(id: string): Promise<boolean>;
  /** cursorSeq = max(cursorSeq, seq). */
  advanceCursor(id: string, seq: number): Promise<void>;
  /**
   * After an attempt: a success resets consecutiveFailures, a failure adds one (atomically, also
   * under concurrent attempts); at `disableAfter` failures an enabled hook is turned off with
   * disabledReason 'failures'. Returns the hook as it is after, or null when it is gone.
   */
  recordAttempt(id: string, summary: AttemptSummary, ok: boolean, disableAfter: number, at: string): Promise<WebhookRecord | null>;
}

export interface DeliveryRepo {
  /** Inserts unless a delivery with that id exists; `created` says which. */
  enqueue(delivery: DeliveryRecord): Promise<{ created: boolean }>;
  findById(id: string): Promise<DeliveryRecord | null>;
  /** Pending deliveries due at `now`, earliest first, at most `limit`. */
  listDue(now: string, limit: number): Promise<DeliveryRecord[]>;
  /** The earliest nextAttemptAt of any pending delivery, or null. */
  nextDueAt(): Promise<string | null>;
  /**
   * Takes a due delivery for one attempt: only while it is pending with this nextAttemptAt (so of
   * two claimants one wins), moving nextAttemptAt to `leaseUntil` (a crash mid-attempt retries then).
   */
  claim(id: string, expectedNextAttemptAt: string, leaseUntil: string): Promise<DeliveryRecord | null>;
  /** Appends the attempt and sets status and nextAttemptAt. */
  recordAttempt(id: string, attempt: DeliveryAttempt, next: { status: DeliveryStatus; nextAttemptAt: string | null }, at: string): Promise<void>;
  /** A claimed delivery whose attempt did not run (shutdown): due again at `at`. */
  release(id: string, at: string): Promise<void>;
  /** The hook's deliveries, newest first (seq descending). */
  listByHook(hookId: string, limit: number): Promise<DeliveryRecord[]>;
  /** Every pending delivery of the hook becomes cancelled; returns how many. */
  cancelPending(hookId: string, at: string): Promise<number>;
  deleteByHook(hookId: string): Promise<number>;
}
