// Drains the outbox: the text lane and the photo lane of schedule.ts, over a Transport (the real
// one is filingApi.ts) and an OutboxStore (IndexedDB in the page, a Map in the unit tests). No DOM.
//
// - The store is the truth: every step reads the records afresh and writes back only what it
//   changed, so an edit in the page (hold, retry) is never overwritten by a request finishing.
// - Keys were stored with the records before the first send; a request that got no answer is sent
//   again with the same key and the same body (a create's body is frozen on its first attempt).
// - A failure waits out a backoff; any request to the server that succeeds (`serverReached()`, or
//   one of the runner's own) ends every backoff at once. navigator.onLine is never consulted.
// - A 401 pauses both lanes and keeps every record: `resume()` after sign-in sends on.
import { backoffDelay, pickPhoto, pickText, verdictOf, type TextStep } from './schedule.js';
import type { ContentBody, CreateBody, EntryLike, MediaView, OutboxItem, PhotoRecord, SendError } from './model.js';

/** A request that did not work: the HTTP status (0 = no answer) and the server's error id. */
export class SendFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** From Retry-After (429, 503). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'SendFailure';
  }
}

export interface Transport {
  upload(photo: PhotoRecord & { blob: Blob }, onProgress: (sent: number, total: number) => void): Promise<MediaView>;
  create(liveFileId: string, body: CreateBody): Promise<EntryLike>;
  putContent(entryId: string, body: ContentBody): Promise<EntryLike>;
  submit(entryId: string, version: number, idempotencyKey: string): Promise<EntryLike>;
  read(entryId: string): Promise<EntryLike>;
}

export interface OutboxStore {
  listItems(accountId: string): Promise<OutboxItem[]>;
  listPhotos(accountId: string): Promise<PhotoRecord[]>;
  /** Read-modify-write of one record in one go; `fn` returning undefined leaves it as it is. */
  updateItem(id: string, fn: (item: OutboxItem) => OutboxItem | undefined): Promise<OutboxItem | undefined>;
  updatePhoto(id: string, fn: (photo: PhotoRecord) => PhotoRecord | undefined): Promise<PhotoRecord | undefined>;
}

export interface RunnerOptions {
  store: OutboxStore;
  transport: Transport;
  now?: () => number;
  random?: () => number;
  newKey: () => string;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
}

export type RunnerState = 'idle' | 'running' | 'signed-out' | 'stopped';

interface Lane {
  busy: boolean;
  again: boolean;
  timer?: unknown;
  wakeAt?: number;
}

export class OutboxRunner {
  private accountId?: string;
  private signedOut = false;
  private stopped = true;
  private generation = 0;
  /** When a request to the server last succeeded: backoffs from before it are over. */
  private reachedAt = 0;
  private readonly text: Lane = { busy: false, again: false };
  private readonly photo: Lane = { busy: false, again: false };
  private readonly listeners = new Set<() => void>();
  private readonly entryListeners = new Set<(entry: EntryLike, item: OutboxItem) => void>();
  private readonly authListeners = new Set<() => void>();
  private readonly reachListeners = new Set<() => void>();
  /** Upload progress of the photo being sent: photo id → bytes sent of total. */
  readonly progress = new Map<string, { sent: number; total: number }>();
  /** Items with a text request in flight. */
  readonly inFlight = new Set<string>();
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (t: unknown) => void;

  constructor(private readonly opts: RunnerOptions) {
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
    this.setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = opts.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
  }

  get state(): RunnerState {
    if (this.stopped) return 'stopped';
    if (this.signedOut) return 'signed-out';
    return this.text.busy || this.photo.busy ? 'running' : 'idle';
  }

  /** Sends this account's outbox from now on. */
  start(accountId: string): void {
    if (this.accountId !== accountId) this.generation++;
    this.accountId = accountId;
    this.stopped = false;
    this.signedOut = false;
    this.kick();
  }

  stop(): void {
    this.stopped = true;
    this.generation++;
    for (const lane of [this.text, this.photo]) this.sleep(lane);
    this.emit();
  }

  /** Signed in again (after a 401): send on. */
  resume(): void {
    this.signedOut = false;
    this.serverReached();
  }

  /** Something new in the outbox, or a hint (the browser says online): look now. Backoffs stay. */
  kick(): void {
    this.run(this.text, () => this.textLoop());
    this.run(this.photo, () => this.photoLoop());
  }

  /** A request to the server succeeded (any: session check, filings, the socket): end every backoff and send. */
  serverReached(): void {
    this.reachedAt = this.now();
    this.kick();
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
  /** The server's answer for a filing (created, updated, submitted). */
  onEntry(fn: (entry: EntryLike, item: OutboxItem) => void): () => void {
    this.entryListeners.add(fn);
    return () => this.entryListeners.delete(fn);
  }
  /** A 401: the session is gone; the outbox waits for sign-in. */
  onSignedOut(fn: () => void): () => void {
    this.authListeners.add(fn);
    return () => this.authListeners.delete(fn);
  }
  /** One of the runner's own requests succeeded (the server is reachable). */
  onReached(fn: () => void): () => void {
    this.reachListeners.add(fn);
    return () => this.reachListeners.delete(fn);
  }

  private emit() {
    for (const fn of this.listeners) fn();
  }

  private run(lane: Lane, loop: () => Promise<void>) {
    if (this.stopped || this.signedOut || !this.accountId) return;
    if (lane.busy) {
      lane.again = true;
      return;
    }
    this.sleep(lane);
    lane.busy = true;
    this.emit();
    void (async () => {
      try {
        do {
          lane.again = false;
          await loop();
        } while (lane.again && !this.stopped && !this.signedOut);
      } finally {
        lane.busy = false;
        this.emit();
      }
    })();
  }

  private sleep(lane: Lane) {
    if (lane.timer !== undefined) this.clearTimer(lane.timer);
    lane.timer = undefined;
    lane.wakeAt = undefined;
  }

  private wake(lane: Lane, at: number, loop: () => Promise<void>) {
    if (lane.wakeAt !== undefined && lane.wakeAt <= at) return;
    this.sleep(lane);
    lane.wakeAt = at;
    lane.timer = this.setTimer(() => {
      lane.timer = undefined;
      lane.wakeAt = undefined;
      this.run(lane, loop);
    }, Math.max(0, at - this.now()));
  }

  private async load() {
    const [items, photos] = await Promise.all([this.opts.store.listItems(this.accountId!), this.opts.store.listPhotos(this.accountId!)]);
    return { items, photos: new Map(photos.map((p) => [p.id, p])) };
  }

  private live(generation: number): boolean {
    return generation === this.generation && !this.stopped && !this.signedOut;
  }

  private async textLoop(): Promise<void> {
    const generation = this.generation;
    for (;;) {
      if (!this.live(generation)) return;
      const { items, photos } = await this.load();
      const pick = pickText(items, photos, this.now(), this.reachedAt);
      if (!pick) return;
      if ('wait' in pick) return this.wake(this.text, pick.wait, () => this.textLoop());
      await this.textStep(pick.step, generation);
    }
  }

  private async photoLoop(): Promise<void> {
    const generation = this.generation;
    for (;;) {
      if (!this.live(generation)) return;
      const { items, photos } = await this.load();
      const pick = pickPhoto(items, photos, this.now(), this.reachedAt);
      if (!pick) return;
      if ('wait' in pick) return this.wake(this.photo, pick.wait, () => this.photoLoop());
      await this.upload(pick.step, generation);
      // Its filing may be ready for the text lane now.
      this.run(this.text, () => this.textLoop());
    }
  }

  private async upload(photo: PhotoRecord, generation: number): Promise<void> {
    if (!photo.blob) {
      await this.opts.store.updatePhoto(photo.id, (p) => ({ ...p, failed: this.error(0, 'missing', 'The photo is no longer on this device.') }));
      return this.emit();
    }
    this.progress.set(photo.id, { sent: 0, total: photo.blob.size });
    this.emit();
    try {
      const media = await this.opts.transport.upload(photo as PhotoRecord & { blob: Blob }, (sent, total) => {
        this.progress.set(photo.id, { sent, total });
        this.emit();
      });
      this.reached();
      await this.opts.store.updatePhoto(photo.id, (p) => ({ ...p, media, attempts: 0, nextAttemptAt: 0, lastError: undefined }));
    } catch (err) {
      if (!this.live(generation)) return;
      await this.failPhoto(photo, err);
    } finally {
      this.progress.delete(photo.id);
      this.emit();
    }
  }

  private async failPhoto(photo: PhotoRecord, err: unknown) {
    const f = asFailure(err);
    const verdict = verdictOf(f.status);
    if (verdict === 'auth') return this.lostSession();
    const error = this.error(f.status, f.code, f.message);
    await this.opts.store.updatePhoto(photo.id, (p) => verdict === 'refused'
      ? { ...p, failed: error, lastError: error }
      : { ...p, ...this.backoff(p, f), lastError: error });
  }

  private async textStep(step: TextStep, generation: number): Promise<void> {
    const { item } = step;
    if (step.kind === 'finish') {
      await this.opts.store.updateItem(item.id, (i) => ({ ...i, done: true, sentAt: i.sentAt ?? new Date(this.now()).toISOString(), lastError: undefined }));
      // The server has the photos now: their bytes leave the device.
      for (const ref of item.content.photos) await this.opts.store.updatePhoto(ref.photoId, (p) => (p.blob ? { ...p, blob: undefined } : undefined));
      return this.emit();
    }
    // Still the record that was read (not edited or held meanwhile)? A create's body is frozen in
    // the same write: a retry sends these very bytes under this very key. An edit after this sets
    // contentDirty, so a content update follows the create.
    let current = true;
    await this.opts.store.updateItem(item.id, (i) => {
      if (i.updatedAt !== item.updatedAt || i.held || i.done) {
        current = false;
        return undefined;
      }
      return step.kind === 'create' && !i.createSent ? { ...i, createSent: step.body } : undefined;
    });
    if (!current) return;
    this.inFlight.add(item.id);
    this.emit();
    try {
      if (step.kind === 'create') {
        const entry = await this.opts.transport.create(item.liveFile.id, step.body);
        this.reached();
        const saved = await this.opts.store.updateItem(item.id, (i) => ({ ...i, entryId: entry.id, version: entry.version, ...this.cleared() }));
        this.tellEntry(entry, saved ?? item);
      } else if (step.kind === 'content') {
        const entry = await this.opts.transport.putContent(item.entryId!, step.body);
        this.reached();
        // Edited again while the request was out: the newer content still has to go.
        const saved = await this.opts.store.updateItem(item.id, (i) => ({
          ...i, version: entry.version, contentDirty: i.updatedAt !== item.updatedAt && i.contentDirty, ...this.cleared(),
        }));
        this.tellEntry(entry, saved ?? item);
      } else {
        await this.submit(item);
      }
    } catch (err) {
      if (!this.live(generation)) return;
      await this.failText(item, err);
    } finally {
      this.inFlight.delete(item.id);
      this.emit();
    }
  }

  private async submit(item: OutboxItem) {
    try {
      const entry = await this.opts.transport.submit(item.entryId!, item.version ?? 0, item.submitKey);
      this.reached();
      const saved = await this.opts.store.updateItem(item.id, (i) => ({ ...i, submitted: true, version: entry.version, ...this.cleared() }));
      this.tellEntry(entry, saved ?? item);
    } catch (err) {
      const f = asFailure(err);
      if (f.status !== 409) throw err;
      // Someone moved it first (or the version we hold is old): look at the entry as it is now.
      const now = await this.opts.transport.read(item.entryId!);
      this.reached();
      if (now.status === 'submitted' || now.status === 'scheduled' || now.status === 'published') {
        const saved = await this.opts.store.updateItem(item.id, (i) => ({ ...i, submitted: true, version: now.version, ...this.cleared() }));
        return this.tellEntry(now, saved ?? item);
      }
      if ((now.status === 'draft' || now.status === 'rejected') && now.version !== item.version) {
        // A definite refusal, not a lost answer: a new attempt at the version it has now, under a new key.
        await this.opts.store.updateItem(item.id, (i) => ({ ...i, version: now.version, submitKey: this.opts.newKey(), ...this.cleared() }));
        return;
      }
      throw err;
    }
  }

  private async failText(item: OutboxItem, err: unknown) {
    const f = asFailure(err);
    const verdict = verdictOf(f.status);
    if (verdict === 'auth') return this.lostSession();
    const error = this.error(f.status, f.code, f.message);
    await this.opts.store.updateItem(item.id, (i) => verdict === 'refused'
      ? { ...i, failed: error, lastError: error }
      : { ...i, ...this.backoff(i, f), lastError: error });
  }

  /** Attempts and the next try after a failure; a failure after the server was reached counts from one again. */
  private backoff(rec: { attempts: number; lastError?: SendError }, f: SendFailure) {
    const fresh = !rec.lastError || Date.parse(rec.lastError.at) <= this.reachedAt;
    const attempts = fresh ? 1 : rec.attempts + 1;
    const delay = Math.max(backoffDelay(attempts, this.random), f.retryAfterMs ?? 0);
    return { attempts, nextAttemptAt: this.now() + delay };
  }

  private cleared() {
    return { attempts: 0, nextAttemptAt: 0, lastError: undefined, failed: undefined };
  }

  private error(status: number, code: string, message: string): SendError {
    return { status, code, message, at: new Date(this.now()).toISOString() };
  }

  private reached() {
    this.reachedAt = this.now();
    for (const fn of this.reachListeners) fn();
  }

  private tellEntry(entry: EntryLike, item: OutboxItem) {
    for (const fn of this.entryListeners) fn(entry, item);
  }

  private lostSession() {
    if (this.signedOut) return;
    this.signedOut = true;
    for (const lane of [this.text, this.photo]) this.sleep(lane);
    for (const fn of this.authListeners) fn();
    this.emit();
  }
}

function asFailure(err: unknown): SendFailure {
  if (err instanceof SendFailure) return err;
  const e = err as { status?: unknown; code?: unknown; message?: unknown };
  if (e && typeof e.status === 'number') return new SendFailure(e.status, String(e.code ?? 'error'), String(e.message ?? ''));
  return new SendFailure(0, 'unavailable', err instanceof Error ? err.message : String(err));
}
