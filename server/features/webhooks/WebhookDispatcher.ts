import type { Logger } from '../../logger.js';
import type { DeliveryRecord, DeliveryRepo, WebhookRepo } from '../../store/ports/webhooks.js';
import type { PostWebhook } from './postWebhook.js';
import { SignatureHeader, signWebhook } from './signature.js';

export interface DispatcherOptions {
  webhooks: WebhookRepo;
  deliveries: DeliveryRepo;
  post: PostWebhook;
  logger: Pick<Logger, 'warn' | 'error'>;
  /** The waits before retry 1, 2, …; after the last, a delivery has failed. */
  retryDelaysMs: readonly number[];
  disableAfter: number;
  /** One attempt's deadline (the lease of a claimed delivery adds a margin to it). */
  timeoutMs: number;
  /** Attempts in flight at once, across hooks: one slow receiver holds one slot, never the loop. */
  concurrency?: number;
}

const LEASE_MARGIN_MS = 30_000;
const MAX_TIMER_MS = 2 ** 31 - 1;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Works off the durable deliveries: wakes for the earliest due one (or when kicked after an
 * enqueue), claims it (a compare-and-set in the store), signs and posts it, and records the
 * attempt, the next retry or the end, and the hook's failure count. Nothing here runs in the
 * publish path: the publisher only enqueued a record.
 */
export function createWebhookDispatcher(o: DispatcherOptions) {
  const concurrency = o.concurrency ?? 8;
  const inFlight = new Map<string, Promise<void>>();
  let aborts = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let again = false;
  let stopped = true;

  function arm(nextDue: string | null): void {
    clearTimeout(timer);
    if (stopped || !nextDue) return;
    const wait = Math.min(Math.max(0, Date.parse(nextDue) - Date.now()), MAX_TIMER_MS);
    timer = setTimeout(kick, wait);
    timer.unref();
  }

  function kick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    void pass()
      .catch((err: unknown) => o.logger.error({ err }, 'webhook dispatch pass failed'))
      .finally(() => {
        running = false;
        if (again) {
          again = false;
          kick();
        }
      });
  }

  async function pass(): Promise<void> {
    const free = concurrency - inFlight.size;
    if (free > 0) {
      for (const d of await o.deliveries.listDue(iso(Date.now()), free + inFlight.size)) {
        if (stopped || inFlight.size >= concurrency) break;
        if (inFlight.has(d.id)) continue;
        const run = attempt(d)
          .catch((err: unknown) => o.logger.error({ err, deliveryId: d.id }, 'webhook attempt failed'))
          .finally(() => {
            inFlight.delete(d.id);
            kick();
          });
        inFlight.set(d.id, run);
      }
    }
    if (!stopped) arm(await o.deliveries.nextDueAt());
  }

  async function attempt(d: DeliveryRecord): Promise<void> {
    const claimed = await o.deliveries.claim(d.id, d.nextAttemptAt!, iso(Date.now() + o.timeoutMs + LEASE_MARGIN_MS));
    if (!claimed) return; // another pass (or process) took it
    const hook = await o.webhooks.findById(d.hookId);
    const now = () => iso(Date.now());
    if (!hook || !hook.enabled) {
      await o.deliveries.recordAttempt(d.id, { at: now(), outcome: 'network_error', durationMs: 0, error: 'the hook is off' }, { status: 'cancelled', nextAttemptAt: null }, now());
      return;
    }
    const at = now();
    const timestamp = Math.floor(Date.now() / 1000);
    const result = await o.post(hook.url, claimed.body, {
      'user-agent': 'Livedesk-Webhooks/1',
      [SignatureHeader.event]: claimed.event,
      [SignatureHeader.delivery]: claimed.id,
      [SignatureHeader.timestamp]: String(timestamp),
      [SignatureHeader.signature]: signWebhook(hook.secret, timestamp, claimed.body),
    }, aborts.signal);
    if (stopped) {
      // Shut down mid-attempt: not the receiver's failure. Due again at the next start.
      await o.deliveries.release(d.id, now()).catch(() => undefined);
      return;
    }
    const ok = result.outcome === 'delivered';
    const n = claimed.attempts.length + 1;
    const delay = o.retryDelaysMs[n - 1];
    const next = ok ? { status: 'delivered' as const, nextAttemptAt: null }
      : delay !== undefined ? { status: 'pending' as const, nextAttemptAt: iso(Date.now() + delay) }
      : { status: 'failed' as const, nextAttemptAt: null };
    const record = { at, outcome: result.outcome, durationMs: result.durationMs, ...(result.status !== undefined ? { status: result.status } : {}), ...(result.error ? { error: result.error.slice(0, 300) } : {}) };
    await o.deliveries.recordAttempt(d.id, record, next, now());
    const after = await o.webhooks.recordAttempt(hook.id, { ...record, deliveryId: d.id }, ok, o.disableAfter, now());
    if (after && !after.enabled && after.disabledReason === 'failures') {
      const cancelled = await o.deliveries.cancelPending(hook.id, now());
      o.logger.warn({ hookId: hook.id, failures: after.consecutiveFailures, cancelled }, 'webhook turned off after repeated failures');
    }
  }

  return {
    start(): void {
      if (aborts.signal.aborted) aborts = new AbortController();
      stopped = false;
      kick();
    },
    kick,
    /** Stops waking; attempts in flight are aborted and their deliveries released for the next start. */
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      aborts.abort();
      await Promise.allSettled([...inFlight.values()]);
    },
  };
}
export type WebhookDispatcher = ReturnType<typeof createWebhookDispatcher>;
