// The filing page's state and actions, without the DOM rendering: who is signed in, the live files,
// the update being written, the outbox and My filings. The Lit elements render it and call it.
import type { AccountView } from '../../shared/schemas/account.js';
import type { EntryView } from '../../shared/schemas/entry.js';
import type { LiveFileView } from '../../shared/schemas/liveFile.js';
import { ApiClient, ApiError } from '../services/apiClient.js';
import { RealtimeClient } from '../services/realtimeClient.js';
import { newIdempotencyKey } from '../services/services.js';
import { forgetAccount, lastAccount, rememberAccount } from '../services/lastSession.js';
import { FilingApi, type FilingRow } from './filingApi.js';
import { buildOutboxView, type FilingRowView, type OutboxView, type ServerFiling } from './filingsView.js';
import { FilingDb } from './outbox/idbStore.js';
import { emptyContent, isEmptyContent, type ComposeRecord, type FilingContent, type Intent, type LiveFileRef, type OutboxItem, type PhotoRecord } from './outbox/model.js';
import { OutboxRunner } from './outbox/runner.js';
import { cleanLinks, isHttpUrl } from './outbox/schedule.js';
import { preparePhoto } from './preparePhoto.js';

export type Phase = 'booting' | 'signed-out' | 'ready';
/** What the page knows of the connection: from the last request's fate, never navigator.onLine. */
export type Reach = 'unknown' | 'online' | 'offline';

const LOCK = 'livedesk-filing-outbox';
const CHANNEL = 'livedesk-filing';
const RECENT_PLACES = 6;
/** Sent filings kept on the device for Edit and resubmit and the "Sent" rows. */
const KEEP_SENT = 40;
/** Set when Clear this device could not reach the server to end the session: ended at the next start. */
export const SIGN_OUT_PENDING = 'livedesk:filing:sign-out-pending';

export interface FileResult {
  ok: boolean;
  /** Field → what is wrong, for the form. */
  errors?: Record<string, string>;
}

export interface ClearSummary {
  unsent: number;
  photos: number;
  composing: boolean;
}

export class FilingSession {
  phase: Phase = 'booting';
  account: AccountView | null = null;
  /** The outbox is paused for sign-in (a 401), or nobody is signed in: the sign-in form shows. */
  signInNotice = '';
  reach: Reach = 'unknown';
  liveFiles: LiveFileView[] = [];
  compose: ComposeRecord | null = null;
  photos = new Map<string, PhotoRecord>();
  items: OutboxItem[] = [];
  server: ServerFiling[] = [];
  /** When `server` was fetched (ISO); shown as "as of 14:05" while the list may be stale. */
  serverAsOf: string | null = null;
  serverFresh = false;
  places: string[] = [];
  /** Photos being prepared (resized) for the compose form: id → a thumbnail URL of the original. */
  preparing = new Map<string, string>();
  /** Thumbnails of prepared photos (object URLs of their blobs), by photo id. */
  private thumbs = new Map<string, string>();

  readonly db = new FilingDb();
  readonly accounts = new ApiClient();
  readonly api: FilingApi;
  readonly runner: OutboxRunner;
  private realtime?: RealtimeClient;
  private offRealtime: Array<() => void> = [];
  private readonly listeners = new Set<() => void>();
  private composeWrite: Promise<void> = Promise.resolve();
  private reloading = false;
  private reloadAgain = false;
  private channel?: BroadcastChannel;
  private releaseLock?: () => void;
  private locked = false;
  private pendingPrep = new Set<Promise<void>>();

  constructor() {
    this.api = new FilingApi('', (answered, ok) => this.onReach(answered, ok));
    this.runner = new OutboxRunner({ store: this.db, transport: this.api, newKey: newIdempotencyKey });
    this.runner.onChange(() => this.reloadOutbox());
    this.runner.onEntry((entry) => this.upsertEntry(entry as EntryView));
    this.runner.onSignedOut(() => this.sessionLost('expired'));
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit() {
    for (const fn of this.listeners) fn();
  }

  get view(): OutboxView {
    return buildOutboxView({
      items: this.items, photos: this.photos, server: this.server, progress: this.runner.progress, inFlight: this.runner.inFlight,
      signedOut: this.phase === 'signed-out' || this.runner.state === 'signed-out',
    });
  }

  get liveFile(): LiveFileView | undefined {
    return this.liveFiles.find((f) => f.id === this.compose?.liveFileId);
  }

  /** Live files that take filings (status live), the one being filed to first if it ended. */
  get openFiles(): LiveFileView[] {
    return this.liveFiles.filter((f) => f.status === 'live');
  }

  // ---- start, session ------------------------------------------------------------------------

  async boot(): Promise<void> {
    addEventListener('online', this.onOnlineHint);
    addEventListener('visibilitychange', this.onVisible);
    if ('BroadcastChannel' in window) {
      this.channel = new BroadcastChannel(CHANNEL);
      this.channel.onmessage = (e) => {
        if ((e.data as { type?: string })?.type === 'changed') {
          void this.reloadOutbox();
          this.runner.kick();
        }
      };
    }
    if (localStorage.getItem(SIGN_OUT_PENDING)) {
      try {
        await this.accounts.signOut();
        localStorage.removeItem(SIGN_OUT_PENDING);
      } catch {
        /* still offline: the flag stays; sign-in below shows */
      }
    }
    try {
      const { account } = await this.accounts.readSession();
      this.onReach(true);
      rememberAccount(account);
      await this.enter(account);
    } catch (err) {
      const refused = err instanceof ApiError && (err.status === 401 || err.status === 403);
      this.onReach(refused, false);
      const last = refused ? null : lastAccount();
      if (last && !localStorage.getItem(SIGN_OUT_PENDING)) {
        // Offline: this person's outbox and last-seen lists; filing works, sending waits.
        await this.enter(last);
      } else {
        if (refused) forgetAccount();
        const remembered = lastAccount();
        this.account = null;
        this.phase = 'signed-out';
        this.signInNotice = refused ? await this.keptNotice(remembered?.id) : "This phone can't reach the server. Sign in once it is back.";
        this.emit();
      }
    }
  }

  private async keptNotice(accountId: string | undefined): Promise<string> {
    if (!accountId) return '';
    const items = (await this.db.listItems(accountId).catch(() => [] as OutboxItem[])).filter((i) => !i.done);
    return items.length ? `Sign in to send: ${items.length} filing${items.length === 1 ? ' is' : 's are'} kept on this phone.` : '';
  }

  /** Signed in (or known from before, offline): load what the device has, then ask the server. */
  private async enter(account: AccountView): Promise<void> {
    this.db.reopen();
    const switched = this.account?.id !== account.id;
    this.account = account;
    this.phase = 'ready';
    this.signInNotice = '';
    if (switched) {
      this.compose = null;
      this.server = [];
      this.serverAsOf = null;
      this.liveFiles = (await this.db.readMeta<LiveFileView[]>(`liveFiles:${account.id}`)) ?? [];
      const cached = await this.db.readMeta<{ savedAt: string; filings: FilingRow[] }>(`filings:${account.id}`);
      if (cached) {
        this.server = cached.filings.map(toServerFiling);
        this.serverAsOf = cached.savedAt;
      }
      this.places = (await this.db.readMeta<string[]>(`places:${account.id}`)) ?? [];
      this.compose = (await this.db.readCompose(account.id)) ?? null;
      await this.reloadOutbox();
    }
    await this.ensureCompose();
    this.emit();
    this.startRunner(account.id);
    this.connectRealtime();
    void this.refresh();
  }

  /** One tab sends at a time (Web Locks); the others show and file, and take over when it closes. */
  private startRunner(accountId: string) {
    const locks = (navigator as Navigator & { locks?: LockManager }).locks;
    if (!locks) return this.runner.start(accountId);
    if (this.locked) return this.runner.start(accountId);
    void locks.request(LOCK, () => new Promise<void>((release) => {
      this.locked = true;
      this.releaseLock = release;
      if (this.account) this.runner.start(this.account.id);
    }));
  }

  private connectRealtime() {
    this.offRealtime.forEach((off) => off());
    this.realtime?.disconnect();
    const rt = new RealtimeClient();
    this.realtime = rt;
    this.offRealtime = [
      rt.on('entry:updated', (e) => this.upsertEntry(e)),
      rt.on('entry:created', (e) => this.upsertEntry(e)),
      rt.on('session:revoked', ({ reason }) => this.sessionLost(reason)),
      rt.onConnection((connected) => {
        if (!connected) {
          this.serverFresh = false;
          return this.emit();
        }
        this.onReach(true);
        void this.refresh();
      }),
    ];
  }

  /** The server answered something (`answered`; `ok` for a success) or nothing at all. A success ends the outbox's backoffs. */
  private onReach(answered: boolean, ok = answered) {
    const was = this.reach;
    this.reach = answered ? 'online' : 'offline';
    if (ok) this.runner.serverReached();
    if (was !== this.reach) this.emit();
  }

  /** The browser thinks it is online: ask the server (its word is the one that counts). */
  private onOnlineHint = () => {
    if (this.phase !== 'ready') return;
    void this.api.readSession().then(() => this.refresh(), () => {});
  };

  private onVisible = () => {
    if (document.visibilityState === 'visible' && this.phase === 'ready') {
      this.runner.kick();
      if (!this.serverFresh) void this.refresh();
    }
  };

  /** Live files and My filings from the server; kept on the device for offline opens. */
  async refresh(): Promise<void> {
    const account = this.account;
    if (!account || this.phase !== 'ready') return;
    try {
      const [{ liveFiles }, { filings }] = await Promise.all([this.api.listLiveFiles(), this.api.myFilings()]);
      if (this.account?.id !== account.id) return;
      this.liveFiles = liveFiles;
      this.server = filings.map(toServerFiling);
      this.serverAsOf = new Date().toISOString();
      this.serverFresh = true;
      await this.db.writeMeta(`liveFiles:${account.id}`, liveFiles);
      await this.db.writeMeta(`filings:${account.id}`, { savedAt: this.serverAsOf, filings });
      await this.ensureCompose();
      this.emit();
    } catch (err) {
      if (err instanceof Error && 'status' in err && (err as { status: number }).status === 401) this.sessionLost('expired');
      this.serverFresh = false;
      this.emit();
    }
  }

  private upsertEntry(e: EntryView) {
    if (!this.account || e.authorId !== this.account.id) return;
    const at = this.server.findIndex((s) => s.entry.id === e.id);
    const file = this.liveFiles.find((f) => f.id === e.liveFileId);
    const liveFile = at >= 0 ? this.server[at]!.liveFile : file ? refOf(file) : { id: e.liveFileId, slug: '', title: '' };
    const row: ServerFiling = { entry: e, liveFile };
    if (at >= 0) {
      if (this.server[at]!.entry.updatedAt > e.updatedAt && this.server[at]!.entry.version >= e.version) return;
      this.server = this.server.map((s, i) => (i === at ? row : s));
    } else {
      this.server = [row, ...this.server];
    }
    this.emit();
  }

  /** A 401 or a revoked session: the outbox keeps everything and waits; the sign-in form shows. */
  private sessionLost(reason: string) {
    if (this.phase === 'signed-out') return;
    this.phase = 'signed-out';
    forgetAccount();
    this.realtime?.disconnect();
    const waiting = this.items.filter((i) => !i.done).length;
    this.signInNotice = `${reason === 'signed-out' ? 'You were signed out.' : 'Your session ended.'} Sign in to ${waiting ? `send: ${waiting} filing${waiting === 1 ? ' is' : 's are'} kept on this phone` : 'carry on'}.`;
    this.emit();
  }

  async signedIn(account: AccountView): Promise<void> {
    rememberAccount(account);
    this.onReach(true);
    await this.enter(account);
    this.runner.resume();
  }

  async signOut(): Promise<void> {
    try {
      await this.accounts.signOut();
    } catch {
      /* offline: signed out here; the cookie ends with its session */
    }
    forgetAccount();
    this.runner.stop();
    this.realtime?.disconnect();
    const waiting = this.items.filter((i) => !i.done).length;
    this.phase = 'signed-out';
    this.signInNotice = waiting ? `Signed out. ${waiting} filing${waiting === 1 ? ' waits' : 's wait'} on this phone and will send after you sign in again.` : 'Signed out.';
    this.emit();
  }

  // ---- outbox ----------------------------------------------------------------------------------

  async reloadOutbox(): Promise<void> {
    if (!this.account) return;
    if (this.reloading) {
      this.reloadAgain = true;
      return;
    }
    this.reloading = true;
    try {
      do {
        this.reloadAgain = false;
        const id: string = this.account.id;
        const [items, photos] = await Promise.all([this.db.listItems(id), this.db.listPhotos(id)]);
        if (this.account?.id !== id) return;
        this.items = items;
        this.photos = new Map(photos.map((p) => [p.id, p]));
        this.emit();
      } while (this.reloadAgain);
    } finally {
      this.reloading = false;
    }
  }

  private announce() {
    this.channel?.postMessage({ type: 'changed' });
  }

  /** Not sent: try again now, with the same keys. */
  async retry(itemId: string): Promise<void> {
    const item = await this.db.updateItem(itemId, (i) => ({ ...i, failed: undefined, nextAttemptAt: 0 }));
    for (const ref of item?.content.photos ?? []) await this.db.updatePhoto(ref.photoId, (p) => (p.failed ? { ...p, failed: undefined, nextAttemptAt: 0 } : undefined));
    await this.reloadOutbox();
    this.runner.serverReached();
    this.announce();
  }

  /** Try everything waiting now (a person's "Send now"). */
  sendNow(): void {
    this.runner.serverReached();
  }

  // ---- the update being written ----------------------------------------------------------------

  private async ensureCompose() {
    const account = this.account;
    if (!account) return;
    if (this.compose && this.compose.accountId === account.id) {
      // Still filing to a file that takes filings? Else the first that does (never while editing an entry).
      if (!this.compose.editing?.entryId && this.liveFiles.length && !this.openFiles.some((f) => f.id === this.compose!.liveFileId)) {
        // Read the file first, then change only that field of the record as it is now: whatever is
        // typed while the read is under way stays.
        const liveFileId = (await this.preferredFile()) ?? '';
        if (this.compose?.accountId !== account.id || this.compose.editing?.entryId) return;
        this.compose = { ...this.compose, liveFileId };
        await this.saveCompose();
      }
      return;
    }
    const liveFileId = (await this.preferredFile()) ?? '';
    if (this.compose?.accountId === account.id) return;
    this.compose = { accountId: account.id, id: crypto.randomUUID(), liveFileId, content: emptyContent(), updatedAt: new Date().toISOString() };
  }

  private async preferredFile(): Promise<string | undefined> {
    const last = this.account ? await this.db.readMeta<string>(`lastFile:${this.account.id}`) : undefined;
    const open = this.openFiles;
    return open.find((f) => f.id === last)?.id ?? open[0]?.id;
  }

  /** Every keystroke: the whole record to IndexedDB, writes in order, none skipped. */
  updateCompose(patch: Partial<FilingContent>, liveFileId?: string): void {
    if (!this.compose) return;
    this.compose = {
      ...this.compose,
      content: { ...this.compose.content, ...patch },
      ...(liveFileId !== undefined ? { liveFileId } : {}),
      updatedAt: new Date().toISOString(),
    };
    if (liveFileId && this.account) void this.db.writeMeta(`lastFile:${this.account.id}`, liveFileId);
    void this.saveCompose();
    this.emit();
  }

  private saveCompose(): Promise<void> {
    const record = this.compose;
    if (!record) return Promise.resolve();
    this.composeWrite = this.composeWrite.then(() => this.db.writeCompose(record)).catch(() => {});
    return this.composeWrite;
  }

  thumbOf(photoId: string): string | undefined {
    const pending = this.preparing.get(photoId);
    if (pending) return pending;
    const cached = this.thumbs.get(photoId);
    if (cached) return cached;
    const p = this.photos.get(photoId);
    if (p?.blob) {
      const url = URL.createObjectURL(p.blob);
      this.thumbs.set(photoId, url);
      return url;
    }
    const r = p?.media?.renditions;
    return r?.find((x) => x.type === 'image/jpeg')?.url ?? r?.[0]?.url;
  }

  /** Camera or gallery: each photo is shown at once, prepared (resized, re-encoded) and stored with its upload key. */
  addPhotos(files: readonly File[]): void {
    const compose = this.compose;
    const account = this.account;
    if (!compose || !account) return;
    for (const file of files) {
      const id = crypto.randomUUID();
      const preview = URL.createObjectURL(file);
      this.preparing.set(id, preview);
      const credit = this.defaultCredit();
      this.updateCompose({ photos: [...this.compose!.content.photos, { photoId: id, caption: '', credit }] });
      const work = (async () => {
        try {
          const prepared = await preparePhoto(file);
          const record: PhotoRecord = {
            id, accountId: account.id, itemId: compose.id, blob: prepared.blob, type: prepared.type, width: prepared.width, height: prepared.height,
            bytes: prepared.blob.size, uploadKey: newIdempotencyKey(), attempts: 0, nextAttemptAt: 0, createdAt: new Date().toISOString(),
          };
          await this.db.putPhoto(record);
          this.photos.set(id, record);
        } catch {
          // Could not even be stored: take it off the form and say so.
          this.updateCompose({ photos: (this.compose?.content.photos ?? []).filter((p) => p.photoId !== id) });
          this.photoError = 'That photo could not be kept on this phone (storage full?). Try again, or file without it.';
        } finally {
          this.preparing.delete(id);
          URL.revokeObjectURL(preview);
          this.emit();
        }
      })();
      this.pendingPrep.add(work);
      void work.finally(() => this.pendingPrep.delete(work));
    }
  }

  photoError = '';

  private defaultCredit(): string {
    const last = [...(this.compose?.content.photos ?? [])].reverse().find((p) => p.credit.trim());
    return last?.credit ?? this.account?.displayName ?? '';
  }

  async removePhoto(photoId: string): Promise<void> {
    if (!this.compose) return;
    this.updateCompose({ photos: this.compose.content.photos.filter((p) => p.photoId !== photoId) });
    const p = this.photos.get(photoId);
    // Only a photo no filing still needs leaves the device.
    const used = this.items.some((i) => i.id !== this.compose!.id && i.content.photos.some((r) => r.photoId === photoId));
    if (p && !used) {
      await this.db.deletePhoto(photoId);
      this.photos.delete(photoId);
    }
    const url = this.thumbs.get(photoId);
    if (url) URL.revokeObjectURL(url);
    this.thumbs.delete(photoId);
    this.emit();
  }

  /** Checks what the server would refuse, before anything is filed. */
  validate(intent: Intent): Record<string, string> {
    const errors: Record<string, string> = {};
    const c = this.compose;
    if (!c) return { form: 'Nothing to file.' };
    const editingEntry = !!c.editing?.entryId;
    if (!editingEntry && !this.openFiles.some((f) => f.id === c.liveFileId)) {
      errors.file = this.liveFiles.length ? 'Pick a live file to file to.' : 'No live file takes filings right now (or this phone has not seen the list yet).';
    }
    if (intent === 'submit' && !c.content.text.trim() && !c.content.headline.trim() && c.content.photos.length === 0) errors.text = 'Write what happened, or add a photo.';
    if (intent === 'draft' && isEmptyContent(c.content)) errors.text = 'Nothing to save yet.';
    const bad = c.content.links.map((l) => l.trim()).filter((l) => l && !isHttpUrl(l));
    if (bad.length) errors.links = `Not a web link: ${bad[0]}. Links start with https://`;
    return errors;
  }

  /**
   * Submit or Save draft: into the outbox first (one IndexedDB transaction turns the update being
   * written into an outbox item, keys already on it), then the form is empty and sending starts.
   */
  async file(intent: Intent): Promise<FileResult> {
    await Promise.all([...this.pendingPrep]);
    const errors = this.validate(intent);
    if (Object.keys(errors).length) return { ok: false, errors };
    const c = this.compose!;
    const account = this.account!;
    await this.composeWrite;
    const now = new Date().toISOString();
    const content: FilingContent = { ...c.content, links: cleanLinks(c.content.links) };
    let item: OutboxItem;
    const held = c.editing?.itemId ? this.items.find((i) => i.id === c.editing!.itemId) : undefined;
    if (held) {
      // An outbox filing, edited: the same keys; a content update follows if its create already went out.
      item = { ...held, intent, content, held: false, updatedAt: now, contentDirty: held.contentDirty || !!held.createSent || !!held.entryId, failed: undefined, done: false };
    } else {
      const file = c.editing?.liveFile ?? refOf(this.liveFiles.find((f) => f.id === c.liveFileId)!);
      item = {
        id: c.id, accountId: account.id, liveFile: file, seq: await this.db.nextSeq(), intent, content,
        createKey: newIdempotencyKey(), submitKey: newIdempotencyKey(),
        ...(c.editing?.entryId ? { entryId: c.editing.entryId, version: c.editing.version } : {}),
        contentDirty: !!c.editing?.entryId, submitted: false, done: false, held: false, attempts: 0, nextAttemptAt: 0,
        createdAt: now, updatedAt: now,
      };
    }
    const next: ComposeRecord = { accountId: account.id, id: crypto.randomUUID(), liveFileId: c.editing?.entryId ? (await this.preferredFile()) ?? c.liveFileId : c.liveFileId, content: emptyContent(), updatedAt: now };
    // Its photos move with it (edits of a server entry reuse the photos already uploaded).
    for (const ref of content.photos) await this.db.updatePhoto(ref.photoId, (p) => (p.itemId === item.id ? undefined : { ...p, itemId: item.id }));
    await this.db.fileCompose(item, next);
    this.compose = next;
    await this.rememberPlace(content.place);
    await this.pruneSent();
    void requestPersistence();
    await this.reloadOutbox();
    this.runner.kick();
    this.announce();
    return { ok: true };
  }

  private async rememberPlace(place: string) {
    const p = place.trim();
    if (!p || !this.account) return;
    this.places = [p, ...this.places.filter((x) => x.toLowerCase() !== p.toLowerCase())].slice(0, RECENT_PLACES);
    await this.db.writeMeta(`places:${this.account.id}`, this.places);
  }

  /** Sent filings beyond the newest KEEP_SENT leave the device (with their photo records). */
  private async pruneSent() {
    const sent = this.items.filter((i) => i.done).sort((a, b) => b.seq - a.seq).slice(KEEP_SENT);
    for (const item of sent) {
      for (const ref of item.content.photos) await this.db.deletePhoto(ref.photoId);
      await this.db.deleteItem(item.id);
    }
  }

  /** Whether the compose form holds anything (so opening another filing would replace it). */
  get composing(): boolean {
    return !!this.compose && (!isEmptyContent(this.compose.content) || !!this.compose.editing);
  }

  /** Opens an outbox filing (not sent yet) in the form: held, so it is not sent half-edited. */
  async editItem(itemId: string): Promise<boolean> {
    if (this.composing || !this.account) return false;
    if (this.runner.inFlight.has(itemId)) return false;
    const item = await this.db.updateItem(itemId, (i) => (i.done ? undefined : { ...i, held: true, updatedAt: new Date().toISOString() }));
    if (!item || item.done) return false;
    this.compose = { accountId: this.account.id, id: item.id, liveFileId: item.liveFile.id, content: item.content, editing: { itemId: item.id, liveFile: item.liveFile, ...(item.entryId ? { entryId: item.entryId } : {}) }, updatedAt: new Date().toISOString() };
    await this.saveCompose();
    await this.reloadOutbox();
    return true;
  }

  /** Edit and resubmit (a rejected entry) or Edit (a draft on the server): the whole filing from this device's copy. */
  async editEntry(row: FilingRowView): Promise<boolean> {
    if (this.composing || !this.account || !row.entryId || !row.localContent) return false;
    const s = this.server.find((x) => x.entry.id === row.entryId);
    this.compose = {
      accountId: this.account.id, id: crypto.randomUUID(), liveFileId: row.liveFile.id,
      content: structuredClone(row.localContent),
      editing: { entryId: row.entryId, version: s?.entry.version, status: s?.entry.status, liveFile: row.liveFile },
      updatedAt: new Date().toISOString(),
    };
    await this.saveCompose();
    this.emit();
    return true;
  }

  /** Leave the edit: an outbox filing goes back as it was; nothing of a server entry changes. */
  async stopEditing(): Promise<void> {
    const c = this.compose;
    if (!c?.editing || !this.account) return;
    if (c.editing.itemId) await this.db.updateItem(c.editing.itemId, (i) => ({ ...i, held: false, updatedAt: new Date().toISOString() }));
    this.compose = { accountId: this.account.id, id: crypto.randomUUID(), liveFileId: (await this.preferredFile()) ?? c.liveFileId, content: emptyContent(), updatedAt: new Date().toISOString() };
    await this.saveCompose();
    await this.reloadOutbox();
    this.runner.kick();
  }

  // ---- Clear this device -----------------------------------------------------------------------

  async clearSummary(): Promise<ClearSummary> {
    const all = await this.db.counts().catch(() => ({ items: [], photos: [], composing: [] }));
    const unsent = all.items.filter((i) => !i.done).length;
    const composing = all.composing.some((c) => !isEmptyContent(c.content));
    return { unsent, photos: all.photos.filter((p) => p.blob).length, composing };
  }

  /** Wipes IndexedDB, the caches, the service workers, this app's local storage and the session. */
  async clearDevice(): Promise<void> {
    this.runner.stop();
    this.releaseLock?.();
    this.locked = false;
    this.realtime?.disconnect();
    for (const url of this.thumbs.values()) URL.revokeObjectURL(url);
    this.thumbs.clear();
    let endedOnServer = true;
    try {
      await this.accounts.signOut();
    } catch (err) {
      endedOnServer = err instanceof ApiError && err.status === 401;
    }
    await this.db.destroy().catch(() => {});
    const dbs = await (indexedDB.databases?.() ?? Promise.resolve([])).catch(() => []);
    await Promise.all(dbs.map((d) => (d.name ? new Promise<void>((r) => {
      const q = indexedDB.deleteDatabase(d.name!);
      q.onsuccess = q.onerror = q.onblocked = () => r();
    }) : undefined)));
    if ('caches' in window) await Promise.all((await caches.keys()).map((k) => caches.delete(k))).catch(() => {});
    const regs = await navigator.serviceWorker?.getRegistrations?.().catch(() => []) ?? [];
    await Promise.all(regs.map((r) => r.unregister().catch(() => false)));
    try {
      for (const key of Object.keys(localStorage)) if (key.startsWith('livedesk:')) localStorage.removeItem(key);
      sessionStorage.clear();
      if (!endedOnServer) localStorage.setItem(SIGN_OUT_PENDING, '1');
    } catch {
      /* storage off */
    }
    this.account = null;
    this.items = [];
    this.photos = new Map();
    this.server = [];
    this.compose = null;
    this.liveFiles = [];
    this.places = [];
    this.phase = 'signed-out';
    this.signInNotice = endedOnServer ? 'This phone is cleared.' : 'This phone is cleared. The session ends on the server the next time this page reaches it.';
    this.emit();
  }
}

function refOf(f: LiveFileView): LiveFileRef {
  return { id: f.id, slug: f.slug, title: f.title, timezone: f.timezone };
}

function toServerFiling(r: FilingRow): ServerFiling {
  return { entry: r.entry, liveFile: r.liveFile };
}

/** Asks the browser not to evict this site's storage under pressure (the outbox must survive). */
async function requestPersistence(): Promise<void> {
  try {
    if (navigator.storage?.persisted && !(await navigator.storage.persisted())) await navigator.storage.persist();
  } catch {
    /* not offered here */
  }
}
