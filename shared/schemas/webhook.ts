import { z } from 'zod';
import { Id } from './ids.js';

/** What a live file's webhook can be told: a first publication, a correction, a retraction. */
export const WebhookEvent = z.enum(['publish', 'correct', 'retract']);
export type WebhookEvent = z.infer<typeof WebhookEvent>;
export const WEBHOOK_EVENTS = WebhookEvent.options;

/** http(s) only, no user:password (the secret signs instead), at most 2000 characters. */
export const WebhookUrl = z
  .string()
  .trim()
  .max(2000)
  .url()
  .refine((u) => /^https?:$/.test(new URL(u).protocol), 'must be an http:// or https:// URL')
  .refine((u) => !new URL(u).username && !new URL(u).password, 'must not carry a user name or password');

const Events = z.array(WebhookEvent).min(1, 'pick at least one event').max(3).transform((list) => [...new Set(list)]);

export const CreateWebhookRequest = z.strictObject({ url: WebhookUrl, events: Events, enabled: z.boolean().default(true) });
export type CreateWebhookRequest = z.input<typeof CreateWebhookRequest>;

export const UpdateWebhookRequest = z
  .strictObject({ url: WebhookUrl.optional(), events: Events.optional(), enabled: z.boolean().optional() })
  .refine((r) => r.url !== undefined || r.events !== undefined || r.enabled !== undefined, 'change at least one of url, events, enabled');
export type UpdateWebhookRequest = z.input<typeof UpdateWebhookRequest>;

export const WebhookParams = z.object({ liveFileId: Id, hookId: Id });

/** How one attempt ended: `delivered` is a 2xx; anything else counts as a failure. */
export const DeliveryOutcome = z.enum(['delivered', 'http_error', 'redirect_refused', 'timeout', 'network_error', 'address_refused']);
export type DeliveryOutcome = z.infer<typeof DeliveryOutcome>;

export interface DeliveryAttemptView {
  at: string;
  outcome: DeliveryOutcome;
  /** The receiver's HTTP status, when it answered. */
  status?: number;
  durationMs: number;
  error?: string;
}

export interface DeliveryView {
  id: string;
  event: WebhookEvent;
  seq: number;
  entryId: string;
  /** pending (a retry is due), delivered, failed (retries used up), cancelled (the hook was turned off). */
  status: 'pending' | 'delivered' | 'failed' | 'cancelled';
  createdAt: string;
  nextAttemptAt: string | null;
  attempts: DeliveryAttemptView[];
}

/** A hook as the desk sees it: never its secret (shown once, in the creation answer). */
export interface WebhookView {
  id: string;
  liveFileId: string;
  url: string;
  events: WebhookEvent[];
  enabled: boolean;
  /** Set when the server turned it off after repeated failures. */
  disabledReason: 'failures' | null;
  consecutiveFailures: number;
  lastAttempt: (DeliveryAttemptView & { deliveryId: string }) | null;
  createdAt: string;
  updatedAt: string;
  /** The last deliveries, newest first: the delivery log. */
  deliveries: DeliveryView[];
}

export interface CreatedWebhook {
  webhook: WebhookView;
  /** `whsec_…`: shown this once; the receiver checks X-Livedesk-Signature with it. */
  secret: string;
}
