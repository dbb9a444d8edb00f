import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as decoding from 'lib0/decoding';
import { ChangeCounter, ServerKnowledge, BURST_GAP_MS } from './unsent.js';
import { CollabClose, STAY_AWAY_CODES, TOO_LARGE_CODES, MESSAGE_READ_ONLY, MESSAGE_HEARTBEAT, HEARTBEAT_PARAM } from '../../shared/collab/closeCodes.js';
import { Liveness } from './liveness.js';
import type { AccountView } from '../../shared/schemas/account.js';
import type { ApiClient } from '../services/apiClient.js';
import { ApiError } from '../services/apiClient.js';
import { parseDocName } from '../../shared/collab/docName.js';

export interface CollabDocState {
  connected: boolean;
  synced: boolean;
  /** Content is present (from IndexedDB or the server): safe to make editable. */
  loaded: boolean;
  /** Changes (bursts of local updates) the server does not have yet; 0 once it holds them all. */
  unsent: number;
  /** The server drops our writes (MESSAGE_READ_ONLY) or told us to stay away. */
  readOnly: boolean;
  stayAway: { code: number; reason: string } | null;
  /** Encoded size of this device's copy (Y.encodeStateAsUpdate), measured at most every SIZE_EVERY_MS. */
  bytes: number;
  /**
   * The server refused an update that would take the document past Limits.maxDocBytes
   * (CollabClose.DocumentTooLarge, or a frame past maxCollabFrameBytes): nothing more is sent, and
   * what it refused stays on this device.
   */
  tooLarge: boolean;
}

export interface CollabDocOptions {
  url: string;
  docName: string;
  account: AccountView;
  api: ApiClient;
  onSessionLost(reason: string): void;
  /** Local updates closer than this count as one change; 0: every update is one (desk actions). */
  burstMs?: number;
}

function unsentKey(accountId: string, docName: string) {
  return `livedesk:unsent:${accountId}:${docName}`;
}

/** Refused upgrades (browser sees 1006) with a valid session before we give up on this doc. */
const MAX_REFUSALS = 3;

/**
 * While live, a change is shown as unsent only when the server has not acknowledged it after this
 * long: the echo normally comes within milliseconds, and a count blinking on every keystroke helps nobody.
 */
export const ACK_GRACE_MS = 1000;

/** queryAwareness (`varUint(3)`): the server answers with everyone's presence at once; our liveness probe. */
const PROBE_FRAME = Uint8Array.of(3);

/** The size is measured at most this often while the document changes (entries are a few KB). */
export const SIZE_EVERY_MS = 500;

/**
 * One Yjs document with its WebsocketProvider and IndexedDB copy (so unsent work survives reloads).
 * Not an element or controller: CollabHub owns these, controllers hand them to elements.
 */
export class CollabDoc {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  readonly persistence: IndexeddbPersistence;
  state: CollabDocState = { connected: false, synced: false, loaded: false, unsent: 0, readOnly: false, stayAway: null, bytes: 0, tooLarge: false };
  private readonly listeners = new Set<() => void>();
  private openedSinceClose = false;
  private refusals = 0;
  private readonly pendingKey: string;
  private destroyed = false;
  private readonly changes: ChangeCounter;
  private readonly server = new ServerKnowledge();
  private sizeTimer?: ReturnType<typeof setTimeout>;
  private sizeAt = Number.NEGATIVE_INFINITY;
  /** Whether the open socket still reaches the server (heartbeats, probes) [HB2]. */
  private readonly liveness = new Liveness();
  private livenessTimer?: ReturnType<typeof setTimeout>;
  private graceTimer?: ReturnType<typeof setTimeout>;

  /** True when an earlier visit left changes of this doc on the device that the server lacks. */
  static hasUnsent(accountId: string, docName: string): boolean {
    return Number(localStorage.getItem(unsentKey(accountId, docName)) ?? 0) > 0;
  }

  constructor(private readonly opts: CollabDocOptions) {
    this.pendingKey = unsentKey(opts.account.id, opts.docName);
    this.state.unsent = Number(localStorage.getItem(this.pendingKey) ?? 0) || 0;
    this.changes = new ChangeCounter(opts.burstMs ?? BURST_GAP_MS, this.state.unsent);
    this.persistence = new IndexeddbPersistence(`livedesk:${opts.account.id}:${opts.docName}`, this.doc);
    this.persistence.whenSynced.then(() => this.patch({ loaded: this.state.loaded || this.doc.store.clients.size > 0 }));
    this.provider = new WebsocketProvider(opts.url, opts.docName, this.doc, {
      maxBackoffTime: 5000,
      // Ask for the heartbeat message (102): the stock client would log every one it cannot read.
      params: { [HEARTBEAT_PARAM]: '1' },
      shouldReconnect: (event) => !STAY_AWAY_CODES.has(event.code),
    });
    // The identity the server will stamp anyway; set here so carets have a name before it does.
    this.provider.awareness.setLocalStateField('user', { id: opts.account.id, name: opts.account.displayName, color: opts.account.color });
    this.provider.messageHandlers[MESSAGE_READ_ONLY] = () => this.patch({ readOnly: true });
    this.provider.messageHandlers[MESSAGE_HEARTBEAT] = (_encoder, decoder) => {
      const period = decoding.readVarUint(decoder);
      if (period === this.liveness.period) return;
      this.liveness.setPeriod(period);
      this.scheduleLiveness();
    };
    addEventListener('offline', this.onBrowserOffline);
    this.watchServerSync();
    this.greetNewcomers();
    this.provider.on('status', ({ status }) => {
      if (status === 'connected') {
        this.openedSinceClose = true;
        this.refusals = 0;
        this.listenForLife();
      } else {
        clearTimeout(this.livenessTimer);
        this.showUnsentNow();
      }
      this.patch({ connected: status === 'connected' });
    });
    this.provider.on('sync', (synced: boolean) => {
      this.patch({ synced, loaded: this.state.loaded || synced });
      this.checkDelivered();
    });
    this.provider.on('connection-close', (event) => this.onClose(event));
    this.doc.on('update', this.onUpdate);
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Stop syncing for good (session over): no reconnects; the text stays readable and on the device. */
  halt(): void {
    this.provider.shouldConnect = false;
    this.provider.disconnect();
    this.patch({ readOnly: true });
  }

  destroy(): void {
    this.destroyed = true;
    clearTimeout(this.sizeTimer);
    clearTimeout(this.livenessTimer);
    clearTimeout(this.graceTimer);
    removeEventListener('offline', this.onBrowserOffline);
    this.doc.off('update', this.onUpdate);
    this.provider.destroy();
    void this.persistence.destroy();
    this.doc.destroy();
    this.listeners.clear();
  }

  /**
   * Every local change counts until the server is known to hold it (ServerKnowledge), live or not:
   * a socket can look open while nothing reaches the server. While live the echo is expected at once,
   * so the count is shown only if it has not come after ACK_GRACE_MS, and silence is suspected.
   */
  private onUpdate = (_update: Uint8Array, origin: unknown) => {
    this.measureSoon();
    if (origin === this.provider || origin === this.persistence) return;
    const now = Date.now();
    const n = this.changes.record(now);
    if (!this.provider.wsconnected || !this.provider.synced) return this.setUnsent(n);
    this.liveness.doubt(now);
    this.scheduleLiveness();
    this.graceTimer ??= setTimeout(() => {
      this.graceTimer = undefined;
      this.showUnsentNow();
    }, ACK_GRACE_MS);
  };

  /** Shows every change the server has not acknowledged (the grace is over, or the connection went). */
  private showUnsentNow() {
    clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
    if (!this.destroyed && this.changes.count > this.state.unsent) this.setUnsent(this.changes.count);
  }

  /** A new socket opened: everything it receives is a sign of life. */
  private listenForLife() {
    const ws = this.provider.ws;
    this.liveness.heard(Date.now());
    ws?.addEventListener('message', () => {
      if (this.provider.ws === ws) this.liveness.heard(Date.now());
    });
    this.scheduleLiveness();
  }

  /** The browser says it lost its network: an open socket is probably dead unless a heartbeat still comes. */
  private onBrowserOffline = () => {
    if (!this.provider.wsconnected) return;
    this.liveness.browserOffline(Date.now());
    this.scheduleLiveness();
  };

  private scheduleLiveness() {
    clearTimeout(this.livenessTimer);
    if (this.destroyed || !this.provider.wsconnected) return;
    const wait = this.liveness.nextCheckIn(Date.now());
    if (!Number.isFinite(wait)) return;
    this.livenessTimer = setTimeout(() => {
      this.livenessTimer = undefined;
      if (this.destroyed || !this.provider.wsconnected) return;
      const verdict = this.liveness.check(Date.now());
      if (verdict === 'silent') return this.reconnectSilent();
      if (verdict === 'probe' && this.provider.ws?.readyState === WebSocket.OPEN) this.provider.ws.send(PROBE_FRAME);
      this.scheduleLiveness();
    }, wait);
  }

  /**
   * The server went silent on an open socket: drop it and connect again, as the stock provider does
   * after 30 s of silence (its timeout is not configurable in y-websocket 3.1). Until a new socket
   * syncs the page shows Reconnecting (or Offline) and every change not acknowledged as unsent.
   */
  private reconnectSilent() {
    if (!this.provider.shouldConnect) return;
    this.provider.disconnect();
    this.provider.connect();
  }

  /**
   * Measures the encoded size after a change, at most once per SIZE_EVERY_MS (the first change after
   * a quiet spell is measured at once, the rest of a burst at the end of its window).
   */
  private measureSoon() {
    if (this.sizeTimer !== undefined || this.destroyed) return;
    this.sizeTimer = setTimeout(() => {
      this.sizeTimer = undefined;
      if (this.destroyed) return;
      this.sizeAt = Date.now();
      const bytes = Y.encodeStateAsUpdate(this.doc).byteLength;
      if (bytes !== this.state.bytes) this.patch({ bytes });
    }, Math.max(0, this.sizeAt + SIZE_EVERY_MS - Date.now()));
  }

  /**
   * When someone new appears, announce ourselves again (at most once a second) so they see us at
   * once: the server's join greeting has been observed to miss people already present, who would
   * then stay invisible (no facepile avatar, no caret) until their 15 s awareness renewal.
   */
  private greetNewcomers() {
    const aw = this.provider.awareness;
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const announce = () => {
      timer = undefined;
      last = Date.now();
      const me = aw.getLocalState();
      if (me && this.provider.wsconnected && !this.destroyed) aw.setLocalState({ ...me });
    };
    aw.on('change', ({ added }: { added: number[] }, origin: unknown) => {
      if (origin === 'local' || !added.some((id) => id !== aw.clientID) || timer) return;
      timer = setTimeout(announce, Math.max(0, 1000 - (Date.now() - last)));
    });
  }

  /**
   * Learns what the server holds from the sync frames it sends (not from BroadcastChannel peers:
   * y-websocket passes emitSynced=false for those), then lets the stock handler apply them.
   */
  private watchServerSync() {
    const handlers = this.provider.messageHandlers;
    const stock = handlers[0]!;
    handlers[0] = (encoder, decoder, provider, emitSynced, messageType) => {
      if (emitSynced) this.noteServerFrame(decoder);
      stock(encoder, decoder, provider, emitSynced, messageType);
      if (emitSynced) this.checkDelivered();
    };
  }

  private noteServerFrame(decoder: decoding.Decoder) {
    try {
      const peek = decoding.createDecoder(decoder.arr.subarray(decoder.pos));
      const kind = decoding.readVarUint(peek);
      const payload = decoding.readVarUint8Array(peek);
      if (kind === 0) this.server.noteStateVector(payload);
      else if (kind === 1 || kind === 2) this.server.noteUpdate(payload);
    } catch {
      /* a frame we can't read: the stock handler reports it; the count just waits */
    }
  }

  /** Unsent goes to 0 only when the server is known to hold every change of this doc. */
  private checkDelivered() {
    if (this.changes.count === 0 && this.state.unsent === 0) return;
    if (!this.provider.wsconnected || !this.provider.synced) return;
    if (!this.server.covers(this.doc)) return;
    this.changes.clear();
    clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
    this.setUnsent(0);
  }

  private setUnsent(n: number) {
    if (n === this.state.unsent) return;
    if (n === 0) localStorage.removeItem(this.pendingKey);
    else localStorage.setItem(this.pendingKey, String(n));
    this.patch({ unsent: n });
  }

  private onClose(event: CloseEvent | null) {
    if (!event || this.destroyed) return;
    const opened = this.openedSinceClose;
    this.openedSinceClose = false;
    // Still true here when the closing connection had synced: what the server sent is all it holds.
    const wasSynced = this.provider.synced;
    if (STAY_AWAY_CODES.has(event.code)) {
      this.provider.disconnect();
      // Whatever the server did not acknowledge (refused, or the close beat it) is unsent now.
      if (this.changes.count === 0 && wasSynced && !this.server.covers(this.doc)) this.changes.record(Date.now());
      this.showUnsentNow();
      const tooLarge = TOO_LARGE_CODES.has(event.code);
      this.patch({ readOnly: true, tooLarge, stayAway: { code: event.code, reason: event.reason || (tooLarge ? CollabClose.DocumentTooLarge.reason : 'access-revoked') } });
      return;
    }
    // The server re-checked our access and we may write again: the reconnect tells us if not.
    if (event.code === CollabClose.AccessChanged.code) this.patch({ readOnly: false });
    // 1006 before the socket ever opened: the server refused the upgrade, or is simply unreachable.
    if (event.code === 1006 && !opened) void this.checkRefusal();
  }

  private async checkRefusal() {
    try {
      await this.opts.api.readSession();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        this.provider.disconnect();
        this.opts.onSessionLost('signed-out');
      }
      return; // network trouble: keep retrying
    }
    if (++this.refusals < MAX_REFUSALS) return;
    this.refusals = 0;
    // A browser sees every refused upgrade as 1006: only call it a revocation if the API agrees.
    // Refused for another reason (too many connections from this address, a busy server): retry.
    if (await this.stillVisible()) return;
    this.provider.disconnect();
    this.patch({ readOnly: true, stayAway: { code: 1006, reason: 'refused' } });
  }

  /** Whether this account may still see the document (false only on a clear 403 or 404). */
  private async stillVisible(): Promise<boolean> {
    const ref = parseDocName(this.opts.docName);
    if (!ref) return false;
    try {
      await (ref.kind === 'entry' ? this.opts.api.readEntry(ref.id) : this.opts.api.readLiveFile(ref.id));
      return true;
    } catch (err) {
      return !(err instanceof ApiError && (err.status === 403 || err.status === 404));
    }
  }

  private patch(p: Partial<CollabDocState>) {
    this.state = { ...this.state, ...p };
    for (const fn of this.listeners) fn();
  }
}
