// One loaded Y.Doc with its presence, its connections and its update log.
import * as Y from 'yjs';
import type { Logger } from 'pino';
import type { DocRepo } from '../store/Store.js';
import { CollabClose } from '../../shared/collab/closeCodes.js';
import { Limits } from '../../shared/limits.js';
import { AwarenessStore, type AwarenessPeer } from './AwarenessStore.js';
import { DocPersistence } from './DocPersistence.js';
import type { EntryEditTracker } from './EntryEditTracker.js';
import { loadDoc } from './loadDoc.js';
import { STORE_ORIGIN } from './origins.js';
import { SyncType, writeAwareness, writeSync } from './protocol.js';
import { mergeInTree } from './mergeInTree.js';
import { checkUpdateV1, countPendingStructs } from './checkUpdate.js';
import { WireFrame } from './wireFrame.js';
import { LateLineages } from './LateLineages.js';
import { LINEAGE_MAP, retiredDocName, squashIfHeavy } from './squash.js';
import { parseDocName } from '../../shared/collab/docName.js';

/** What a SharedDoc needs of a connection. */
export interface DocPeer extends AwarenessPeer {
  /** A WireFrame is one broadcast's frame, shared by every peer. */
  send(frame: Uint8Array | WireFrame): void;
  close(close: { code: number; reason: string }, why?: string): void;
  /** Replays frames queued while the doc was not ready. */
  resume(): void;
}

export interface SharedDocDeps {
  docs: DocRepo;
  logger: Logger;
  compactEvery: number;
  maxPendingStructs?: number;
  /** Squash an idle entry doc at unload when its state is at least this big and mostly history. */
  squashMinBytes?: number;
}

/** Why the sender's connection must close (the doc reloads itself from the store). */
export interface Rejection {
  close: { code: number; reason: string };
  why: string;
}

type State = 'ready' | 'reloading' | 'failed';

export class SharedDoc {
  readonly peers = new Set<DocPeer>();
  readonly awareness = new AwarenessStore();
  edits: EntryEditTracker | null = null;
  /** Devices holding a lineage this doc replaced (squash.ts); set by the first attach. */
  lateLineages!: LateLineages;
  /** Set by an observer of the lineage map: only the server writes it (at a squash). */
  private lineageWritten = false;
  private readonly onLineageWrite = (): void => {
    this.lineageWritten = true;
  };
  private state: State = 'ready';
  private persistence!: DocPersistence;
  private captured: Uint8Array[] | null = null;
  private readyWaiters: Array<() => void> = [];
  private pendingRef: Uint8Array | null = null;
  private pendingCount = 0;
  /** The whole state, encoded, until the next change: what every new client (empty state vector) gets. */
  private fullState: Uint8Array | null = null;
  private readonly onUpdate = (update: Uint8Array, origin: unknown): void => {
    this.fullState = null;
    if (origin !== STORE_ORIGIN) this.captured?.push(update);
  };

  constructor(
    readonly name: string,
    public doc: Y.Doc,
    updateIds: string[],
    private readonly deps: SharedDocDeps,
    fullState: Uint8Array | null = null,
  ) {
    this.attach(doc, updateIds);
    this.fullState = fullState;
  }

  static async load(name: string, deps: SharedDocDeps, onRead?: (loneSnapshot: Uint8Array | null) => Promise<void>): Promise<SharedDoc> {
    const { doc, updateIds, fullState } = await loadDoc(deps.docs, name, deps.logger, onRead);
    return new SharedDoc(name, doc, updateIds, deps, fullState);
  }

  /** Encoding a big entry costs ~0.1 s per MB: done once per version, not once per joiner. */
  encodeFullState(): Uint8Array {
    this.fullState ??= Y.encodeStateAsUpdate(this.doc);
    return this.fullState;
  }

  get ready(): boolean {
    return this.state === 'ready';
  }

  /**
   * Check, apply, persist, broadcast. Throws ProtocolError for an undecodable update;
   * returns a close for the sender when the doc had to be reloaded, else null.
   */
  applyClientUpdate(peer: DocPeer, update: Uint8Array, accountId: string): Rejection | null {
    checkUpdateV1(update); // V1 only: V2 or garbage fails here, before it touches the doc
    this.lineageWritten = false;
    const emitted = this.capture(() => Y.applyUpdate(this.doc, update, peer));
    if (emitted instanceof Error || this.lineageWritten) {
      void this.reload(); // memory goes back to what is stored
      const why = emitted instanceof Error ? `update failed to apply: ${emitted.message}` : 'clients may not write the lineage record';
      return { close: CollabClose.MalformedMessage, why };
    }
    // Before persisting: an orphan flood must never reach the store.
    if (this.countPending() > (this.deps.maxPendingStructs ?? Limits.maxPendingStructsPerDoc)) {
      void this.reload();
      return { close: CollabClose.PendingOverflow, why: 'too many pending structs' };
    }
    if (emitted) this.commit(emitted, accountId);
    return null;
  }

  /** A server-side edit: same path as a client's, resolves once durable and broadcast. */
  async applyServerChange(fn: (doc: Y.Doc) => void, origin: object): Promise<void> {
    await this.whenSettled();
    if (this.state === 'failed') throw new Error(`collab doc ${this.name} failed; retry after it unloads`);
    const emitted = this.capture(() => this.doc.transact(() => fn(this.doc), origin));
    if (emitted instanceof Error) throw emitted;
    if (emitted) this.commit(emitted, null);
    await new Promise<void>((resolve) => this.persistence.whenDurable(resolve));
  }

  /** Resolves once no reload is in progress (the doc is ready or failed). */
  async whenSettled(): Promise<void> {
    while (this.state === 'reloading') await new Promise<void>((resolve) => this.readyWaiters.push(resolve));
  }

  /** Runs fn once everything accepted so far is durable (step 2 replies wait for it too). */
  whenDurable(fn: () => void): void {
    this.persistence.whenDurable(fn);
  }

  broadcast(frame: Uint8Array): void {
    const shared = new WireFrame(frame);
    const late = this.lateLineages;
    for (const peer of this.peers) if (!late.has(peer)) peer.send(shared);
  }

  removePeer(peer: DocPeer): void {
    if (!this.peers.delete(peer)) return;
    this.lateLineages.remove(peer);
    const removal = this.awareness.removePeer(peer);
    if (removal) this.broadcast(writeAwareness(removal));
  }

  /** Before unload: flush the hook, drain, compact. */
  async finish(): Promise<void> {
    await this.lateLineages.close();
    const logIsOneSnapshot = await this.persistence.finish();
    if (logIsOneSnapshot && this.state === 'ready') {
      // Not fatal: until the doc itself is replaced, the stored lineage is the old one, whole.
      await this.squashIfHeavy().catch((err: unknown) => this.deps.logger.warn({ err, docName: this.name }, 'collab squash failed'));
    }
    this.edits?.flush();
    this.doc.off('update', this.onUpdate);
    this.doc.destroy();
  }

  /** Idle and compacted: replace a history-heavy entry by a new lineage (squash.ts). */
  private async squashIfHeavy(): Promise<void> {
    if (parseDocName(this.name)?.kind !== 'entry') return;
    const full = this.encodeFullState();
    const squashed = squashIfHeavy(this.doc, full, this.deps.squashMinBytes ?? 0);
    if (!squashed) return;
    // Retired lineage first: until the doc itself is replaced, nothing refers to it.
    await this.deps.docs.compact(retiredDocName(this.name, squashed.lineage), full, []);
    await this.deps.docs.compact(this.name, squashed.state, []);
    this.deps.logger.info({ docName: this.name, lineage: squashed.lineage, fromBytes: full.byteLength, toBytes: squashed.state.byteLength }, 'collab doc squashed');
  }

  private commit(update: Uint8Array, accountId: string | null): void {
    // Broadcast happens once per durable batch (onDurable): the echo to the sender is its ack.
    this.persistence.enqueue(update, accountId ? () => this.edits?.note(accountId) : undefined);
  }

  private capture(apply: () => void): Uint8Array | null | Error {
    const captured: Uint8Array[] = [];
    this.captured = captured;
    try {
      apply();
    } catch (err) {
      return err instanceof Error ? err : new Error(String(err));
    } finally {
      this.captured = null;
    }
    if (captured.length === 0) return null;
    return mergeInTree(captured);
  }

  private countPending(): number {
    const pending = this.doc.store.pendingStructs;
    if (!pending) return 0;
    if (pending.update !== this.pendingRef) {
      this.pendingRef = pending.update; // recount only when yjs replaced the pending update
      this.pendingCount = countPendingStructs(pending.update);
    }
    return this.pendingCount;
  }

  /** Memory may hold a partial or orphan update: replace it with what the store has. */
  private async reload(): Promise<void> {
    if (this.state !== 'ready') return;
    this.state = 'reloading'; // peers queue their frames; compaction is off (snapshot() → null)
    try {
      await this.persistence.drain();
      const fresh = await loadDoc(this.deps.docs, this.name, this.deps.logger);
      this.doc.off('update', this.onUpdate);
      this.doc.destroy();
      this.doc = fresh.doc;
      this.attach(fresh.doc, fresh.updateIds);
      this.fullState = fresh.fullState;
      this.state = 'ready';
      for (const peer of [...this.peers]) peer.resume();
    } catch (err) {
      this.fail(err);
    }
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const w of waiters) w();
  }

  private attach(doc: Y.Doc, updateIds: string[]): void {
    this.pendingRef = null;
    if (this.lateLineages) this.lateLineages.reindex();
    else {
      this.lateLineages = new LateLineages({
        name: this.name,
        currentDoc: () => this.doc,
        applyServerChange: (fn, origin) => this.applyServerChange(fn, origin),
        noteContributor: (accountId) => this.edits?.note(accountId),
      }, this.deps.docs, this.deps.logger);
    }
    doc.on('update', this.onUpdate);
    // Observing one map costs nothing per update unless an update touches it.
    doc.getMap(LINEAGE_MAP).observe(this.onLineageWrite);
    this.persistence = new DocPersistence({
      docs: this.deps.docs,
      docName: this.name,
      logger: this.deps.logger,
      compactEvery: this.deps.compactEvery,
      loadedIds: updateIds,
      snapshot: () => (this.state === 'ready' && this.doc === doc ? this.encodeFullState() : null),
      onFailure: (err) => this.fail(err),
      // One frame per batch, encoded once for every peer: fewer sends when edits arrive together.
      onDurable: (merged) => this.broadcast(writeSync(SyncType.Update, merged)),
    });
  }

  /** Memory and store disagree for good: everyone reconnects to a fresh load. */
  private fail(err: unknown): void {
    this.state = 'failed';
    this.deps.logger.error({ err, docName: this.name }, 'collab doc failed; closing its connections');
    for (const peer of [...this.peers]) peer.close(CollabClose.Internal, 'doc failed');
  }

  get failed(): boolean {
    return this.state === 'failed';
  }
}
