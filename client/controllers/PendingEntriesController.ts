import type { ReactiveController, ReactiveControllerHost } from 'lit';
import * as Y from 'yjs';
import { fromBase64, toBase64 } from 'lib0/buffer';
import type { EntryView } from '../../shared/schemas/entry.js';
import { entryDocName } from '../../shared/collab/docName.js';
import { EntryOutbox, type PendingEntryRecord } from '../services/entryOutbox.js';
import { ApiError } from '../services/apiClient.js';
import { plainError } from '../services/plainError.js';
import type { Services } from '../services/services.js';
import type { CollabHub } from './CollabHub.js';
import type { CollabDoc } from './CollabDoc.js';
import type { LdEntryCard } from '../components/ld-entry-card.js';
import type { LdPendingEntry, PendingState } from '../components/ld-pending-entry.js';
import type { FocusOptions } from '../components/ld-entry-editor.js';

/** One new entry on its way to the server, with the document its text is typed into meanwhile. */
export interface PendingEntry {
  key: string;
  createdAt: string;
  doc: Y.Doc;
  state: PendingState;
  reason: string;
  /** Set once the server created it: its text is handed over to `entry:<entryId>`. */
  entryId?: string;
}

interface Internal extends PendingEntry {
  record: PendingEntryRecord;
  /** Still written to the outbox on every change (until the real entry's copy is on the device). */
  persist: boolean;
  attempts: number;
  inFlight: boolean;
  forward?: (update: Uint8Array) => void;
  /** Set in hostUpdate when the real card appears in this render: the pending one goes, focus moves over. */
  swap?: { at: { anchor: number; head: number } | null; focused: boolean };
}

export interface PendingEntriesDeps {
  services(): Services | undefined;
  liveFileId(): string | undefined;
  hub(): CollabHub | undefined;
  /** The server created it: show it (the page adds it to its entries, opens it, clears a hiding filter). */
  created(entry: EntryView): void;
  /** The entry's card is on the desk in the render about to happen. */
  shown(entryId: string): boolean;
  pendingElement(key: string): LdPendingEntry | null;
  card(entryId: string): LdEntryCard | null;
  /** The desk's connection is live (a request can get through): waiting entries are tried at once. */
  connected(): boolean;
  /** Focus the real card's editor at the caret the pending one had, typing held meanwhile (TypeAheadController). */
  handOver(card: LdEntryCard, opts: FocusOptions): void;
}

const RETRY_MIN_MS = 2000;
const RETRY_MAX_MS = 30_000;

/**
 * The outbox of new entries for one live file [OB1, OB2]. A create that cannot reach the server
 * leaves its entry here, on the device: a local Y.Doc the person keeps typing into, saved to the
 * outbox (localStorage, per account) on every change. The create is retried with the same
 * idempotency key and the same payload (the key alone, no text) when the browser says it is online,
 * when the desk's connection comes back, and on a backoff timer: the server answers a repeat with
 * the entry it made, so it exists once however many tries reach it. Once created, the local text is
 * applied to the real entry's document (its update goes out like any typing, counted as unsent until
 * the server has it) and later keystrokes are forwarded until the real card takes over, with the
 * caret where it was. The text never rides in the request: a create that carried it could not be
 * repeated after more typing (another payload under the same key is a conflict), and what was typed
 * while the request was on its way would need a second path. Here there is one path for every word.
 */
export class PendingEntriesController implements ReactiveController {
  private list: Internal[] = [];
  private outbox?: EntryOutbox;
  private timer?: ReturnType<typeof setTimeout>;
  private loadedFor?: string;
  private wasConnected = true;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly deps: PendingEntriesDeps,
  ) {
    host.addController(this);
  }

  /** The pending entries to show (a created one stays until its real card is on the desk). */
  get items(): readonly PendingEntry[] {
    return this.list.filter((p) => !p.swap);
  }

  /** Entries not yet created on the server (for the "not sent" count). */
  get unsent(): number {
    return this.list.filter((p) => p.state !== 'created').length;
  }

  hostConnected() {
    addEventListener('online', this.onOnline);
    this.load();
  }

  hostDisconnected() {
    removeEventListener('online', this.onOnline);
    clearTimeout(this.timer);
    for (const p of this.list) this.release(p);
    this.list = [];
    this.loadedFor = undefined;
  }

  /** A new entry the server could not be asked to create: kept here, under the key the create used. */
  add(key: string): PendingEntry {
    this.load();
    const record: PendingEntryRecord = { key, liveFileId: this.deps.liveFileId() ?? '', createdAt: new Date().toISOString(), update: '' };
    const p = this.track(record);
    this.save(p);
    this.host.requestUpdate();
    this.schedule(RETRY_MIN_MS);
    return p;
  }

  /** Try every waiting entry now (the connection came back, or a request just got through). */
  kick() {
    for (const p of this.list) p.attempts = 0;
    void this.flush();
  }

  retry(key: string) {
    const p = this.list.find((x) => x.key === key);
    if (!p || p.state !== 'refused') return;
    p.state = 'waiting';
    p.attempts = 0;
    void this.send(p);
  }

  discard(key: string) {
    const p = this.list.find((x) => x.key === key);
    if (!p || p.state === 'created') return;
    this.outbox?.remove(key);
    this.release(p);
    this.list = this.list.filter((x) => x !== p);
    this.host.requestUpdate();
  }

  /** Before the host renders: a created entry whose card appears now hands over its caret and goes. */
  hostUpdate() {
    this.load(); // the services arrive by context, maybe after hostConnected
    const connected = this.deps.connected();
    if (connected && !this.wasConnected && this.list.some((p) => p.state === 'waiting')) queueMicrotask(() => this.kick());
    this.wasConnected = connected;
    for (const p of this.list) {
      if (p.state !== 'created' || p.swap || !p.entryId || !this.deps.shown(p.entryId)) continue;
      const el = this.deps.pendingElement(p.key);
      p.swap = el?.caret ?? { at: null, focused: false };
    }
  }

  hostUpdated() {
    const done = this.list.filter((p) => p.swap);
    if (done.length === 0) return;
    this.list = this.list.filter((p) => !p.swap);
    for (const p of done) {
      const card = this.deps.card(p.entryId!);
      if (card && p.swap!.focused) this.deps.handOver(card, { at: p.swap!.at ?? undefined });
      this.release(p);
    }
  }

  private load() {
    const services = this.deps.services();
    const fileId = this.deps.liveFileId();
    if (!services || !fileId || this.loadedFor === fileId) return;
    if (this.loadedFor !== undefined) {
      // Another live file in the same page element: its entries wait in the outbox for its next visit.
      for (const p of this.list) this.release(p);
      this.list = [];
    }
    this.loadedFor = fileId;
    this.outbox = new EntryOutbox(services.account.id);
    for (const r of this.outbox.forFile(fileId)) if (!this.list.some((p) => p.key === r.key)) this.track(r);
    if (this.list.length) void this.flush();
  }

  private track(record: PendingEntryRecord): Internal {
    // No garbage collection: a deletion stays a deletion in the updates this doc hands over (a GC'd
    // struct travels as "already gone", which the server's echo never names, so the desk's count of
    // changes not sent would wait for it forever).
    const doc = new Y.Doc({ gc: false });
    if (record.update) Y.applyUpdate(doc, fromBase64(record.update));
    const p: Internal = { key: record.key, createdAt: record.createdAt, doc, state: 'waiting', reason: '', record, persist: true, attempts: 0, inFlight: false };
    doc.on('update', () => {
      if (p.persist) this.save(p);
    });
    this.list.push(p);
    return p;
  }

  private save(p: Internal) {
    p.record = { ...p.record, update: toBase64(Y.encodeStateAsUpdate(p.doc)) };
    try {
      this.outbox?.put(p.record);
    } catch {
      // Storage full: the text is still in this page; say so rather than pretend it is safe.
      p.reason = "this device's storage is full, so this text is only in this tab until it is sent";
    }
  }

  private release(p: Internal) {
    if (p.forward) p.doc.off('update', p.forward);
    p.persist = false;
    p.doc.destroy();
  }

  private onOnline = () => this.kick();

  private schedule(ms: number) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), ms);
  }

  private async flush() {
    clearTimeout(this.timer);
    await Promise.all(this.list.filter((p) => p.state === 'waiting' && !p.inFlight).map((p) => this.send(p)));
    const waiting = this.list.filter((p) => p.state === 'waiting');
    if (waiting.length) {
      const attempts = Math.min(...waiting.map((p) => p.attempts));
      this.schedule(Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** attempts));
    }
  }

  private async send(p: Internal) {
    const services = this.deps.services();
    const fileId = this.deps.liveFileId();
    if (!services || !fileId || p.inFlight) return;
    p.inFlight = true;
    p.state = 'sending';
    this.host.requestUpdate();
    let entry: EntryView;
    try {
      // The key alone: the same payload on every try, so the server answers a repeat with its entry.
      entry = await services.api.createEntry(fileId, { idempotencyKey: p.key });
    } catch (err) {
      if (!this.list.includes(p)) return;
      const e = plainError(err);
      if (e.transient || (err instanceof ApiError && err.status === 401)) {
        p.state = 'waiting';
        p.attempts += 1;
      } else {
        p.state = 'refused';
        p.reason = e.reason;
      }
      p.inFlight = false;
      this.host.requestUpdate();
      return;
    }
    p.inFlight = false;
    if (this.list.includes(p)) this.handOverText(p, entry);
    this.host.requestUpdate();
  }

  /** The server made the entry: its text goes into `entry:<id>`, and so does every later keystroke. */
  private handOverText(p: Internal, entry: EntryView) {
    const hub = this.deps.hub();
    if (!hub) {
      p.state = 'waiting'; // no page to hand over to (it is going away): the next visit finishes it
      return;
    }
    const target = hub.open(entryDocName(entry.id));
    Y.applyUpdate(target.doc, Y.encodeStateAsUpdate(p.doc));
    p.forward = (update) => Y.applyUpdate(target.doc, update);
    p.doc.on('update', p.forward);
    p.state = 'created';
    p.entryId = entry.id;
    this.deps.created(entry);
    // The outbox keeps the text until the real entry's copy on this device has it (a reload before
    // then asks again under the same key, gets the same entry and applies the same update: no-op).
    void storedOnDevice(target).then(() => {
      p.persist = false;
      this.outbox?.remove(p.key);
    });
  }
}

/** Resolves once the document's IndexedDB copy holds every update applied to it before the call. */
async function storedOnDevice(d: CollabDoc): Promise<void> {
  await d.persistence.whenSynced;
  const db = d.persistence.db;
  if (!db) return;
  // Transactions on one store run in order: a read started now ends after every earlier write.
  await new Promise<void>((resolve) => {
    const t = db.transaction(['updates'], 'readonly');
    t.oncomplete = t.onerror = t.onabort = () => resolve();
  });
}
