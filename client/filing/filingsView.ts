// My filings as rows: the outbox (what this device still has to send) merged with the server's list
// of the correspondent's entries. Pure (unit-tested): the page renders what this returns.
import type { EntryStatus } from '../../shared/workflow.js';
import type { FilingContent, LiveFileRef, OutboxItem, PhotoRecord, SendError } from './outbox/model.js';
import { stageOf } from './outbox/schedule.js';

/** What My filings needs of an entry (an EntryView). */
export interface EntrySummary {
  id: string;
  liveFileId: string;
  status: EntryStatus;
  version: number;
  preview: string;
  headline?: string;
  place?: string;
  note?: string;
  bylines?: string[];
  publishedRevision?: number;
  retraction?: { reason: string; at: string };
  lastAction?: { action: string; actorName: string; at: string };
  createdAt: string;
  updatedAt: string;
}

export interface ServerFiling {
  entry: EntrySummary;
  liveFile: LiveFileRef;
}

/** Where a row's filing is, as the correspondent reads it. */
export type RowState = 'waiting' | 'sending' | 'not-sent' | 'sent' | EntryStatus;

export interface FilingRowView {
  key: string;
  /** The outbox item, while this device still has it. */
  itemId?: string;
  entryId?: string;
  liveFile: LiveFileRef;
  headline: string;
  excerpt: string;
  place: string;
  photos: number;
  /** ISO time the row is dated by (filed on this device, or created on the server). */
  at: string;
  state: RowState;
  /** The words shown for the state ("Sending 40%", "Waiting for network"…). */
  label: string;
  /** 0..1 while a photo uploads. */
  progress?: number;
  note?: string;
  noteBy?: string;
  permalink?: string;
  error?: SendError;
  /** Still in the outbox (not on the server as filed): Edit opens it in the compose form. */
  editable: boolean;
  /** Rejected, or a draft on the server: Edit and resubmit / Edit. */
  resubmittable: boolean;
  retryable: boolean;
  /** This device has the filing's whole content (for Edit and resubmit). */
  localContent?: FilingContent;
}

export interface OutboxView {
  pending: FilingRowView[];
  filed: FilingRowView[];
  /** Filings not yet fully sent, and photos among them still to upload. */
  unsent: number;
  unsentPhotos: number;
}

export function permalinkOf(slug: string, entryId: string): string {
  return `/live/${encodeURIComponent(slug)}/${encodeURIComponent(entryId)}`;
}

function firstLine(text: string, max = 140): string {
  const line = text.split('\n').map((l) => l.trim()).find(Boolean) ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

const SERVER_LABEL: Record<EntryStatus, string> = {
  draft: 'Draft on the desk',
  submitted: 'Submitted',
  scheduled: 'Scheduled',
  published: 'Published',
  rejected: 'Rejected',
  retracted: 'Retracted',
};

export function serverLabel(status: EntryStatus): string {
  return SERVER_LABEL[status] ?? status;
}

export interface ViewInput {
  items: readonly OutboxItem[];
  photos: ReadonlyMap<string, PhotoRecord>;
  server: readonly ServerFiling[];
  /** Upload progress by photo id. */
  progress: ReadonlyMap<string, { sent: number; total: number }>;
  inFlight: ReadonlySet<string>;
  /** The runner is paused for sign-in. */
  signedOut: boolean;
}

export function buildOutboxView(input: ViewInput): OutboxView {
  const { items, photos, server, progress, inFlight } = input;
  const serverById = new Map(server.map((s) => [s.entry.id, s]));
  const doneByEntry = new Map<string, OutboxItem>();
  const pending: FilingRowView[] = [];
  let unsentPhotos = 0;

  for (const item of [...items].sort((a, b) => a.seq - b.seq)) {
    if (item.done) {
      if (item.entryId) doneByEntry.set(item.entryId, item);
      continue;
    }
    if (item.held) continue; // open in the compose form
    const stage = stageOf(item, photos);
    const own = item.content.photos.map((r) => photos.get(r.photoId));
    unsentPhotos += own.filter((p) => p && !p.media).length;
    const uploading = own.find((p) => p && progress.has(p.id));
    const photoError = own.find((p) => p?.failed)?.failed ?? (own.some((p) => !p) ? { status: 0, code: 'missing', message: 'A photo is no longer on this device.', at: item.updatedAt } : undefined);
    const error = item.failed ?? photoError;
    let state: RowState;
    let label: string;
    let pct: number | undefined;
    if (stage === 'failed') {
      state = 'not-sent';
      label = 'Not sent: tap to retry';
    } else if (uploading || inFlight.has(item.id)) {
      state = 'sending';
      pct = uploadShare(item, photos, progress);
      label = pct === undefined ? 'Sending…' : `Sending ${Math.floor(pct * 100)}%`;
    } else if (input.signedOut) {
      state = 'waiting';
      label = 'Waiting for sign-in';
    } else {
      state = 'waiting';
      label = item.lastError ? 'Waiting for network' : 'Waiting to send';
    }
    const s = item.entryId ? serverById.get(item.entryId) : undefined;
    pending.push({
      key: `item:${item.id}`,
      itemId: item.id,
      entryId: item.entryId,
      liveFile: item.liveFile,
      headline: item.content.headline.trim(),
      excerpt: firstLine(item.content.text),
      place: item.content.place.trim(),
      photos: item.content.photos.length,
      at: item.createdAt,
      state,
      label,
      progress: pct,
      error: error ?? (state === 'waiting' ? item.lastError : undefined),
      note: s?.entry.note,
      editable: !inFlight.has(item.id) && !uploading,
      resubmittable: false,
      retryable: state === 'not-sent',
      localContent: item.content,
    });
  }

  const filed: FilingRowView[] = [];
  const seen = new Set<string>();
  for (const s of server) {
    if (pending.some((p) => p.entryId === s.entry.id)) continue;
    seen.add(s.entry.id);
    filed.push(serverRow(s, doneByEntry.get(s.entry.id)));
  }
  // Sent from here but not in the server's list yet (the list is from before, or offline).
  for (const [entryId, item] of doneByEntry) {
    if (seen.has(entryId)) continue;
    filed.push({
      key: `sent:${item.id}`,
      itemId: item.id,
      entryId,
      liveFile: item.liveFile,
      headline: item.content.headline.trim(),
      excerpt: firstLine(item.content.text),
      place: item.content.place.trim(),
      photos: item.content.photos.length,
      at: item.sentAt ?? item.createdAt,
      state: 'sent',
      label: item.intent === 'draft' ? 'Sent as a draft' : 'Sent',
      editable: false,
      resubmittable: false,
      retryable: false,
      localContent: item.content,
    });
  }
  filed.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return { pending, filed, unsent: pending.length, unsentPhotos };
}

function serverRow(s: ServerFiling, local?: OutboxItem): FilingRowView {
  const e = s.entry;
  const label = e.status === 'published' && e.lastAction?.action !== 'publish' && e.publishedRevision ? 'Published' : serverLabel(e.status);
  return {
    key: `entry:${e.id}`,
    itemId: local?.id,
    entryId: e.id,
    liveFile: s.liveFile,
    headline: (e.headline ?? '').trim(),
    excerpt: firstLine(e.preview),
    place: e.place ?? '',
    photos: local?.content.photos.length ?? 0,
    at: e.createdAt,
    state: e.status,
    label,
    note: e.status === 'rejected' ? e.note : undefined,
    noteBy: e.status === 'rejected' && e.lastAction?.action === 'reject' ? e.lastAction.actorName : undefined,
    permalink: e.status === 'published' || e.publishedRevision ? permalinkOf(s.liveFile.slug, e.id) : undefined,
    editable: false,
    resubmittable: e.status === 'rejected' || e.status === 'draft',
    retryable: false,
    localContent: local?.content,
  };
}

/** How much of a filing's photo bytes are up (finished photos count whole). */
function uploadShare(item: OutboxItem, photos: ReadonlyMap<string, PhotoRecord>, progress: ReadonlyMap<string, { sent: number; total: number }>): number | undefined {
  let total = 0;
  let sent = 0;
  for (const ref of item.content.photos) {
    const p = photos.get(ref.photoId);
    if (!p) continue;
    total += p.bytes;
    if (p.media) sent += p.bytes;
    else {
      const pr = progress.get(p.id);
      if (pr) sent += Math.min(p.bytes, (pr.sent / Math.max(1, pr.total)) * p.bytes);
    }
  }
  return total > 0 ? Math.min(1, sent / total) : undefined;
}
