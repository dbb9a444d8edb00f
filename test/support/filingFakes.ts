// The filing outbox's collaborators for unit tests: an in-memory OutboxStore (records cloned in and
// out, as IndexedDB does) and a fake server behind the Transport that keeps idempotency keys like the
// real one, records every request, and can be told to fail, drop answers or stall.
import { randomUUID } from 'node:crypto';
import type { ContentBody, CreateBody, EntryLike, MediaView, OutboxItem, PhotoRecord } from '../../client/filing/outbox/model.js';
import { emptyContent } from '../../client/filing/outbox/model.js';
import { SendFailure, type OutboxStore, type Transport } from '../../client/filing/outbox/runner.js';

export class MemoryOutboxStore implements OutboxStore {
  readonly items = new Map<string, OutboxItem>();
  readonly photos = new Map<string, PhotoRecord>();

  async listItems(accountId: string) {
    return [...this.items.values()].filter((i) => i.accountId === accountId).map((i) => clone(i));
  }
  async listPhotos(accountId: string) {
    return [...this.photos.values()].filter((p) => p.accountId === accountId).map((p) => clone(p));
  }
  async updateItem(id: string, fn: (item: OutboxItem) => OutboxItem | undefined) {
    const cur = this.items.get(id);
    if (!cur) return undefined;
    const next = fn(clone(cur));
    if (next) this.items.set(id, clone(next));
    return clone(next ?? cur);
  }
  async updatePhoto(id: string, fn: (photo: PhotoRecord) => PhotoRecord | undefined) {
    const cur = this.photos.get(id);
    if (!cur) return undefined;
    const next = fn(clone(cur));
    if (next) this.photos.set(id, clone(next));
    return clone(next ?? cur);
  }
  putItem(item: OutboxItem) {
    this.items.set(item.id, clone(item));
  }
  putPhoto(photo: PhotoRecord) {
    this.photos.set(photo.id, clone(photo));
  }
}

/** Blobs are kept as they are (structuredClone copies them fine, but the identity helps the tests). */
function clone<T>(v: T): T {
  const blob = (v as { blob?: Blob }).blob;
  const copy = structuredClone({ ...v, blob: undefined }) as T;
  if (blob) (copy as { blob?: Blob }).blob = blob;
  return copy;
}

export interface ServerEntry extends EntryLike {
  liveFileId: string;
  createKey: string;
  body: CreateBody;
  content?: ContentBody;
  submittedAt?: number;
}

export type Op = 'upload' | 'create' | 'putContent' | 'submit' | 'read';
/** What the fake does with one request: fail before the server sees it, or do it and lose the answer. */
export type Trouble = { kind: 'fail'; status: number; code?: string; retryAfterMs?: number } | { kind: 'drop' } | { kind: 'stall'; until: Promise<void>; drop?: boolean };

export interface RequestLog {
  op: Op;
  key?: string;
  entryId?: string;
  body?: unknown;
  at: number;
}

/** A server that keeps idempotency keys like ours: a repeat of a key answers the first result. */
export class FakeServer implements Transport {
  readonly entries = new Map<string, ServerEntry>();
  readonly media = new Map<string, MediaView & { uploadKey: string; bytes: number }>();
  readonly log: RequestLog[] = [];
  /** Submissions in the order the server took them (the chief's queue, oldest first). */
  readonly submitted: string[] = [];
  private readonly troubles: Array<{ op: Op; trouble: Trouble }> = [];
  private readonly submitKeys = new Map<string, string>();
  clock: () => number = () => 0;

  /** The next request of this kind meets this trouble (queued in order). */
  trouble(op: Op, trouble: Trouble): this {
    this.troubles.push({ op, trouble });
    return this;
  }

  private async gate(op: Op): Promise<Trouble | undefined> {
    const i = this.troubles.findIndex((t) => t.op === op);
    if (i < 0) return undefined;
    const [{ trouble }] = this.troubles.splice(i, 1);
    if (trouble.kind === 'fail') throw new SendFailure(trouble.status, trouble.code ?? 'error', `HTTP ${trouble.status}`, trouble.retryAfterMs);
    if (trouble.kind === 'stall') await trouble.until;
    return trouble;
  }

  private answer<T>(trouble: Trouble | undefined, value: T): T {
    if (trouble?.kind === 'drop' || (trouble?.kind === 'stall' && trouble.drop)) throw new SendFailure(0, 'unavailable', 'the connection dropped before the answer');
    return value;
  }

  async upload(photo: PhotoRecord & { blob: Blob }, onProgress: (sent: number, total: number) => void): Promise<MediaView> {
    this.log.push({ op: 'upload', key: photo.uploadKey, at: this.clock() });
    const t = await this.gate('upload');
    onProgress(photo.blob.size / 2, photo.blob.size);
    let m = [...this.media.values()].find((x) => x.uploadKey === photo.uploadKey);
    if (!m) {
      m = { id: `m${this.media.size + 1}`.padEnd(10, '0'), width: photo.width, height: photo.height, renditions: [], uploadKey: photo.uploadKey, bytes: photo.blob.size };
      this.media.set(m.id, m);
    }
    onProgress(photo.blob.size, photo.blob.size);
    const { uploadKey: _k, bytes: _b, ...view } = m;
    return this.answer(t, view);
  }

  async create(liveFileId: string, body: CreateBody): Promise<EntryLike> {
    this.log.push({ op: 'create', key: body.idempotencyKey, body: structuredClone(body), at: this.clock() });
    const t = await this.gate('create');
    let e = [...this.entries.values()].find((x) => x.createKey === body.idempotencyKey);
    if (e && JSON.stringify(e.body) !== JSON.stringify(body)) throw new SendFailure(409, 'conflict', 'same key, other payload');
    if (!e) {
      for (const p of body.photos ?? []) if (!this.media.has(p.mediaId)) throw new SendFailure(400, 'invalid_input', 'unknown media');
      e = { id: `e${this.entries.size + 1}`.padEnd(10, '0'), liveFileId, status: 'draft', version: 1, createKey: body.idempotencyKey, body: structuredClone(body) };
      this.entries.set(e.id, e);
    }
    return this.answer(t, view(e));
  }

  async putContent(entryId: string, body: ContentBody): Promise<EntryLike> {
    this.log.push({ op: 'putContent', entryId, body: structuredClone(body), at: this.clock() });
    const t = await this.gate('putContent');
    const e = this.entries.get(entryId)!;
    if (e.status !== 'draft' && e.status !== 'rejected') throw new SendFailure(409, 'conflict', 'not editable');
    e.content = structuredClone(body);
    return this.answer(t, view(e));
  }

  async submit(entryId: string, version: number, key: string): Promise<EntryLike> {
    this.log.push({ op: 'submit', entryId, key, body: { version }, at: this.clock() });
    const t = await this.gate('submit');
    const e = this.entries.get(entryId)!;
    const seen = this.submitKeys.get(`${entryId}:${key}`);
    if (!seen) {
      if (e.version !== version) throw new SendFailure(409, 'conflict', 'stale version');
      if (e.status !== 'draft' && e.status !== 'rejected') throw new SendFailure(409, 'conflict', 'wrong state');
      e.status = 'submitted';
      e.version++;
      e.submittedAt = this.clock();
      this.submitted.push(e.id);
      this.submitKeys.set(`${entryId}:${key}`, e.id);
    }
    return this.answer(t, view(e));
  }

  async read(entryId: string): Promise<EntryLike> {
    this.log.push({ op: 'read', entryId, at: this.clock() });
    const t = await this.gate('read');
    return this.answer(t, view(this.entries.get(entryId)!));
  }

  requests(op: Op): RequestLog[] {
    return this.log.filter((l) => l.op === op);
  }
}

function view(e: ServerEntry): EntryLike {
  return { id: e.id, status: e.status, version: e.version };
}

let seq = 0;

/** An outbox item as the page files it (keys made now, before any send). */
export function filing(accountId: string, opts: { text?: string; photos?: PhotoRecord[]; intent?: 'draft' | 'submit'; liveFileId?: string; entryId?: string; version?: number } = {}): OutboxItem {
  const now = new Date(0).toISOString();
  const id = randomUUID();
  for (const p of opts.photos ?? []) p.itemId = id;
  return {
    id,
    accountId,
    liveFile: { id: opts.liveFileId ?? 'file000001', slug: 'almaty-floods', title: 'Almaty floods' },
    seq: ++seq,
    intent: opts.intent ?? 'submit',
    content: { ...emptyContent(), text: opts.text ?? `update ${seq}`, photos: (opts.photos ?? []).map((p) => ({ photoId: p.id, caption: `caption ${p.id}`, credit: 'Dana' })) },
    createKey: randomUUID(),
    submitKey: randomUUID(),
    entryId: opts.entryId,
    version: opts.version,
    contentDirty: !!opts.entryId,
    submitted: false,
    done: false,
    held: false,
    attempts: 0,
    nextAttemptAt: 0,
    createdAt: now,
    updatedAt: now,
  };
}

export function photo(accountId: string, bytes = 1000): PhotoRecord {
  return {
    id: randomUUID(),
    accountId,
    itemId: '',
    blob: new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }),
    type: 'image/jpeg',
    width: 2048,
    height: 1536,
    bytes,
    uploadKey: randomUUID(),
    attempts: 0,
    nextAttemptAt: 0,
    createdAt: new Date(0).toISOString(),
  };
}

/** A hand-driven clock and timer queue: `advance(ms)` fires due timers in time order. */
export class ManualClock {
  t = 1_000_000;
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private nextId = 1;
  now = () => this.t;
  setTimer = (fn: () => void, ms: number) => {
    const id = this.nextId++;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  };
  clearTimer = (id: unknown) => {
    this.timers = this.timers.filter((x) => x.id !== id);
  };
  /** Earliest pending timer's due time, if any. */
  get nextAt(): number | undefined {
    return this.timers.length ? Math.min(...this.timers.map((x) => x.at)) : undefined;
  }
  async advance(ms: number, settle: () => Promise<void>): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await settle();
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.t = Math.max(this.t, due.at);
      this.timers = this.timers.filter((x) => x !== due);
      due.fn();
    }
    this.t = end;
    await settle();
  }
}
