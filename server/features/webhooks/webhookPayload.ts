import type { WebhookEvent } from '../../../shared/schemas/webhook.js';
import type { LiveFileRecord } from '../../store/ports/liveFiles.js';
import type { ReaderChangeKind, ReaderChangeRecord } from '../../store/ports/publishing.js';
import { presentPublicEntry, type PublicEntry } from '../publishing/presentPublic.js';

/** Reader changes a hook hears of; desk moves, pins and key-event flags are not sent. */
export const EVENT_OF_KIND: Partial<Record<ReaderChangeKind, WebhookEvent>> = { published: 'publish', corrected: 'correct', retracted: 'retract' };

export interface WebhookPayload {
  /** The delivery id (also `X-Livedesk-Delivery`): the same on every retry, for receivers to dedupe. */
  id: string;
  event: WebhookEvent;
  /** The reader change's seq in its live file: order by it (deliveries may arrive out of order). */
  seq: number;
  occurredAt: string;
  liveFile: { slug: string; title: string; url: string };
  /** As the public API gives it (a retraction: text and html empty, `retracted` with the reason), plus its permalink. */
  entry: PublicEntry & { url: string };
}

export function webhookPayload(deliveryId: string, event: WebhookEvent, change: ReaderChangeRecord, file: Pick<LiveFileRecord, 'slug' | 'title'>, origin: string): WebhookPayload {
  const fileUrl = `${origin}/live/${encodeURIComponent(file.slug)}`;
  return {
    id: deliveryId,
    event,
    seq: change.seq,
    occurredAt: change.at,
    liveFile: { slug: file.slug, title: file.title, url: fileUrl },
    entry: { ...presentPublicEntry(change.entry), url: `${fileUrl}/${encodeURIComponent(change.entryId)}` },
  };
}
