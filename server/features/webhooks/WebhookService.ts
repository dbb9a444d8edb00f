import { CreateWebhookRequest, UpdateWebhookRequest, type CreatedWebhook, type WebhookView } from '../../../shared/schemas/webhook.js';
import { decide, Permission } from '../../../shared/permissions.js';
import { forbidden, invalidInput, notFound } from '../../errors.js';
import type { DomainEvents } from '../../events.js';
import { newId } from '../../ids.js';
import type { AccountRecord } from '../../store/ports/accounts.js';
import type { LiveFileRecord, LiveFileRepo } from '../../store/ports/liveFiles.js';
import type { PublishingRepo, ReaderChangeRecord } from '../../store/ports/publishing.js';
import type { DeliveryRecord, DeliveryRepo, WebhookRecord, WebhookRepo } from '../../store/ports/webhooks.js';
import { assertCanSeeLiveFile } from '../access.js';
import { fileFacts } from '../workflow/fileFacts.js';
import { AddressRefusedError, assertPublicHost } from './addressPolicy.js';
import type { WebhookDispatcher } from './WebhookDispatcher.js';
import { EVENT_OF_KIND, webhookPayload } from './webhookPayload.js';
import { newWebhookSecret } from './signature.js';

/** Deliveries shown per hook in the desk's log. */
export const DELIVERY_LOG_SIZE = 10;

export interface WebhookServiceDeps {
  webhooks: WebhookRepo;
  deliveries: DeliveryRepo;
  liveFiles: Pick<LiveFileRepo, 'findById'>;
  publishing: Pick<PublishingRepo, 'lastSeq' | 'changesAfter'>;
  events: DomainEvents;
  dispatcher: WebhookDispatcher;
  allowPrivate: boolean;
  publicUrl?: string;
  logger: { error(obj: object, msg?: string): void };
}

/**
 * A live file's webhooks: chiefs and admins manage them (`file.manage`); every stored reader
 * change a hook subscribed to becomes one durable delivery (`<hookId>-<seq>`), enqueued off the
 * publish path when 'reader:change' fires, and again at start for anything stored after the
 * hook's cursor (a crash between the two), then handed to the dispatcher.
 */
export function createWebhookService(deps: WebhookServiceDeps) {
  const { webhooks, deliveries } = deps;

  async function manageable(actor: AccountRecord, liveFileId: string): Promise<LiveFileRecord> {
    const file = assertCanSeeLiveFile(actor, await deps.liveFiles.findById(liveFileId));
    if (!decide(Permission.FileManage, actor, fileFacts(file)).allowed) throw forbidden("Only chiefs and admins manage a live file's webhooks.");
    return file;
  }

  async function hookOf(file: LiveFileRecord, hookId: string): Promise<WebhookRecord> {
    const hook = await webhooks.findById(hookId);
    if (!hook || hook.liveFileId !== file.id) throw notFound('Webhook');
    return hook;
  }

  async function checkUrl(url: string): Promise<void> {
    try {
      await assertPublicHost(new URL(url).hostname, deps.allowPrivate);
    } catch (err) {
      if (err instanceof AddressRefusedError) throw invalidInput(`The webhook URL is refused: ${err.message}.`, { field: 'url', reason: 'address_refused' });
      throw invalidInput(`The webhook URL's host does not resolve (${(err as Error).message}).`, { field: 'url', reason: 'unresolvable' });
    }
  }

  async function view(hook: WebhookRecord): Promise<WebhookView> {
    const log = await deliveries.listByHook(hook.id, DELIVERY_LOG_SIZE);
    return {
      id: hook.id, liveFileId: hook.liveFileId, url: hook.url, events: hook.events, enabled: hook.enabled, disabledReason: hook.disabledReason,
      consecutiveFailures: hook.consecutiveFailures, lastAttempt: hook.lastAttempt, createdAt: hook.createdAt, updatedAt: hook.updatedAt,
      deliveries: log.map((d) => ({ id: d.id, event: d.event, seq: d.seq, entryId: d.entryId, status: d.status, createdAt: d.createdAt, nextAttemptAt: d.nextAttemptAt, attempts: d.attempts })),
    };
  }

  async function list(actor: AccountRecord, liveFileId: string): Promise<WebhookView[]> {
    const file = await manageable(actor, liveFileId);
    return Promise.all((await webhooks.listByLiveFile(file.id)).map(view));
  }

  async function create(actor: AccountRecord, liveFileId: string, body: unknown, siteOrigin: string): Promise<CreatedWebhook> {
    const file = await manageable(actor, liveFileId);
    const req = CreateWebhookRequest.parse(body);
    await checkUrl(req.url);
    const at = new Date().toISOString();
    const hook: WebhookRecord = {
      id: newId(), newsroomId: file.newsroomId, liveFileId: file.id, url: req.url, events: req.events, enabled: req.enabled, secret: newWebhookSecret(),
      siteOrigin, cursorSeq: await deps.publishing.lastSeq(file.id), consecutiveFailures: 0, disabledReason: null, lastAttempt: null,
      createdBy: actor.id, createdAt: at, updatedAt: at,
    };
    await webhooks.create(hook);
    return { webhook: await view(hook), secret: hook.secret };
  }

  async function update(actor: AccountRecord, liveFileId: string, hookId: string, body: unknown): Promise<WebhookView> {
    const file = await manageable(actor, liveFileId);
    const hook = await hookOf(file, hookId);
    const req = UpdateWebhookRequest.parse(body);
    if (req.url !== undefined) await checkUrl(req.url);
    const turningOn = req.enabled === true && !hook.enabled;
    const updated = await webhooks.update(hook.id, {
      ...(req.url !== undefined ? { url: req.url } : {}),
      ...(req.events !== undefined ? { events: req.events } : {}),
      ...(req.enabled !== undefined ? { enabled: req.enabled } : {}),
      // Turned on again: the count starts afresh and what was published while off is not sent.
      ...(turningOn ? { consecutiveFailures: 0, disabledReason: null, cursorSeq: await deps.publishing.lastSeq(file.id) } : {}),
      ...(req.enabled === false ? { disabledReason: null } : {}),
      updatedAt: new Date().toISOString(),
    });
    if (!updated) throw notFound('Webhook');
    if (req.enabled === false) await deliveries.cancelPending(hook.id, new Date().toISOString());
    return view(updated);
  }

  async function remove(actor: AccountRecord, liveFileId: string, hookId: string): Promise<void> {
    const file = await manageable(actor, liveFileId);
    const hook = await hookOf(file, hookId);
    await webhooks.delete(hook.id);
    await deliveries.deleteByHook(hook.id);
  }

  /** Enqueues one stored reader change for each enabled hook of its file that subscribed to it. */
  async function enqueue(change: ReaderChangeRecord, only?: WebhookRecord): Promise<number> {
    const event = EVENT_OF_KIND[change.kind];
    const hooks = only ? [only] : (await webhooks.listByLiveFile(change.liveFileId)).filter((h) => h.enabled);
    if (hooks.length === 0) return 0;
    let created = 0;
    const wanting = event ? hooks.filter((h) => h.events.includes(event)) : [];
    const file = wanting.length > 0 ? await deps.liveFiles.findById(change.liveFileId) : null;
    for (const hook of wanting) {
      if (!file || !event) break;
      const id = `${hook.id}-${change.seq}`;
      const at = new Date().toISOString();
      const delivery: DeliveryRecord = {
        id, hookId: hook.id, liveFileId: change.liveFileId, seq: change.seq, event, entryId: change.entryId,
        body: JSON.stringify(webhookPayload(id, event, change, file, deps.publicUrl ?? hook.siteOrigin)),
        status: 'pending', nextAttemptAt: at, attempts: [], createdAt: at, updatedAt: at,
      };
      if ((await deliveries.enqueue(delivery)).created) created++;
    }
    for (const hook of hooks) await webhooks.advanceCursor(hook.id, change.seq);
    if (created > 0) deps.dispatcher.kick();
    return created;
  }

  /** Changes stored after each enabled hook's cursor (a crash between the store and the enqueue). */
  async function catchUp(): Promise<void> {
    for (const hook of await webhooks.listEnabled()) {
      let after = hook.cursorSeq;
      for (;;) {
        const page = await deps.publishing.changesAfter(hook.liveFileId, after, 500);
        for (const change of page) await enqueue(change, hook);
        if (page.length < 500) break;
        after = page.at(-1)!.seq;
      }
    }
  }

  const onReaderChange = (change: ReaderChangeRecord) => {
    enqueue(change).catch((err: unknown) => deps.logger.error({ err, liveFileId: change.liveFileId, seq: change.seq }, 'enqueueing webhook deliveries failed'));
  };

  return {
    list, create, update, remove,
    /** At listen: catch up, then deliver; from then on every reader change is enqueued as it is stored. */
    async start(): Promise<void> {
      deps.events.on('reader:change', onReaderChange);
      await catchUp();
      deps.dispatcher.start();
    },
    async stop(): Promise<void> {
      deps.events.off('reader:change', onReaderChange);
      await deps.dispatcher.stop();
    },
  };
}
export type WebhookService = ReturnType<typeof createWebhookService>;
