// One loaded Y.Doc with its presence, its connections and its update log.
import * as Y from 'yjs';
import type { Logger } from 'pino';
import type { DocRepo } from '../store/Store.js';
import { CollabClose } from '../../shared/collab/closeCodes.js';
import { DOC_ROOTS } from '../../shared/collab/docRoots.js';
import { parseDocName } from '../../shared/collab/docName.js';
import { Limits } from '../../shared/limits.js';
import { DocTooLargeError } from '../features/entries/EntryDocs.js';
import { AwarenessStore, type AwarenessPeer } from './AwarenessStore.js';
import { DocPersistence } from './DocPersistence.js';
import type { EntryEditTracker } from './EntryEditTracker.js';
import { loadDoc } from './loadDoc.js';
import { STORE_ORIGIN } from './origins.js';
import { SyncType, writeAwareness, writeSync } from './protocol.js';
import { mergeInTree } from './mergeInTree.js';
import { WireFrame } from '../edgeSupport/wireFrame.js';
import { ClientOwners, SERVER_ACCOUNT } from './ClientOwners.js';
import type { HeldLimits } from './HeldUpdates.js';
import { ClientUpdateIntake, type IntakeResult } from './ClientUpdateIntake.js';
import { DocSize } from './DocSize.js';

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
  /** Cap on a document's stored state (Limits.maxDocBytes unless a test says otherwise). */
  maxDocBytes?: number;
  /** Updates waiting for their dependencies, per connection. */
  held?: HeldLimits;
}

/** Why the sender's connection must close. */
export interface Rejection {
  close: { code: number; reason: string };
  why: string;
}

type State = 'ready' | 'reloading' | 'failed';

const reject = (close: Rejection['close'], why: string): Rejection => ({ close, why });

export class SharedDoc {
  readonly peers = new Set<DocPeer>();
  readonly awareness: AwarenessStore;
  edits: EntryEditTracker | null = null;
  private state: State = 'ready';
  private persistence!: DocPersistence;
  private captured: Uint8Array[] | null = null;
  private readyWaiters: Array<() => void> = [];
  /** Server-side changes and reads waiting to be durable: rejected if the doc fails instead. */
  private readonly durableWaiters = new Set<{ resolve: () => void; reject: (err: unknown) => void }>();
  /** The whole state, encoded, until the next change: what every new client (empty state vector) gets. */
  private fullState: Uint8Array | null = null;
  private readonly size: DocSize;
  private readonly intake: ClientUpdateIntake;
  private readonly onUpdate = (update: Uint8Array, origin: unknown): void => {
    this.fullState = null;
    if (origin === STORE_ORIGIN) return;
    this.size.grew(update.byteLength);
    this.captured?.push(update);
  };

  constructor(
    readonly name: string,
    public doc: Y.Doc,
    loaded: { updateIds: string[]; storedBytes: number; fullState: Uint8Array | null },
    readonly owners: ClientOwners,
    private readonly deps: SharedDocDeps,
  ) {
    const kind = parseDocName(name)?.kind;
    if (!kind) throw new Error(`not a collab doc name: ${name}`);
    this.awareness = new AwarenessStore(owners);
    this.size = new DocSize(deps.maxDocBytes ?? Limits.maxDocBytes);
    this.intake = new ClientUpdateIntake(this, DOC_ROOTS[kind], owners, deps.held ?? { maxBytes: Limits.maxHeldBytesPerConnection, maxAgeMs: Limits.maxHeldMs });
    this.attach(doc, loaded);
  }

  static async load(name: string, deps: SharedDocDeps): Promise<SharedDoc> {
    const [loaded, owners] = await Promise.all([loadDoc(deps.docs, name, deps.logger), deps.docs.loadClientOwners(name)]);
    return new SharedDoc(name, loaded.doc, loaded, new ClientOwners(deps.docs, name, owners), deps);
  }

  /** Encoding a big entry costs ~0.1 s per MB: done once per version, not once per joiner. */
  encodeFullState(): Uint8Array {
    if (!this.fullState) {
      this.fullState = Y.encodeStateAsUpdate(this.doc);
      this.size.measured(this.fullState.byteLength);
    }
    return this.fullState;
  }

  get ready(): boolean {
    return this.state === 'ready';
  }

  get failed(): boolean {
    return this.state === 'failed';
  }

  /** Vet, apply, persist, broadcast (ClientUpdateIntake): see IntakeResult. */
  receiveClientUpdate(peer: DocPeer, update: Uint8Array, accountId: string): IntakeResult {
    return this.intake.receive(peer, update, accountId);
  }

  /** For the intake: dependencies present, client ids claimed. Cap, apply, store. */
  applyVetted(peer: DocPeer, update: Uint8Array, accountId: string): Rejection | null {
    if (this.size.wouldExceed(update.byteLength, () => this.encodeFullState().byteLength)) {
      return reject(CollabClose.DocumentTooLarge, `document past ${this.size.max} bytes`);
    }
    const emitted = this.capture(() => Y.applyUpdate(this.doc, update, peer));
    if (emitted instanceof Error || this.doc.store.pendingStructs || this.doc.store.pendingDs) {
      void this.reload(); // memory goes back to what is stored
      const why = emitted instanceof Error ? `update failed to apply: ${emitted.message}` : 'update left structs pending';
      return reject(CollabClose.MalformedMessage, why);
    }
    if (emitted) this.commit(emitted, accountId);
    return null;
  }

  clockOf(client: number): number {
    return Y.getState(this.doc.store, client);
  }

  /** A server-side edit: same path as a client's, resolves once durable and broadcast. */
  async applyServerChange(fn: (doc: Y.Doc) => void, origin: object): Promise<void> {
    await this.whenSettled();
    if (this.state === 'failed') throw new Error(`collab doc ${this.name} failed; retry after it unloads`);
    await this.claimServerClientId();
    const emitted = this.capture(() => this.doc.transact(() => fn(this.doc), origin));
    if (emitted instanceof Error) {
      void this.reload();
      throw emitted;
    }
    if (emitted && this.size.wouldExceed(0, () => this.encodeFullState().byteLength)) {
      void this.reload(); // the change is in memory only: drop it
      throw new DocTooLargeError(this.name, this.size.lastMeasured, this.size.max);
    }
    if (emitted) this.commit(emitted, null);
    this.intake.retryHeld();
    await this.durable();
  }

  /** Resolves once everything accepted so far is stored; rejects if the store write fails. */
  private durable(): Promise<void> {
    if (this.state === 'failed') return Promise.reject(new Error(`collab doc ${this.name} failed`));
    return new Promise((resolve, reject) => {
      const waiter = { resolve, reject };
      this.durableWaiters.add(waiter);
      this.persistence.whenDurable(() => {
        this.durableWaiters.delete(waiter);
        resolve();
      });
    });
  }

  /** The server's own structs are owned too, so no client can write under its id. */
  private async claimServerClientId(): Promise<void> {
    while (this.owners.ownerOf(this.doc.clientID) !== SERVER_ACCOUNT) {
      if (this.owners.ownerOf(this.doc.clientID) !== undefined || !(await this.owners.claim([this.doc.clientID], SERVER_ACCOUNT))) {
        this.doc.clientID = Math.floor(Math.random() * 0x100000000); // taken: yjs ids are uint32
      }
      await this.whenSettled();
    }
  }

  /** Resolves once no reload is in progress (the doc is ready or failed). */
  async whenSettled(): Promise<void> {
    while (this.state === 'reloading') await new Promise<void>((resolve) => this.readyWaiters.push(resolve));
  }

  /** Runs fn once everything accepted so far is durable (step 2 replies wait for it too). */
  whenDurable(fn: () => void): void {
    this.persistence.whenDurable(fn);
  }

  /** The state as stored: everything accepted so far, once durable. */
  async readDurable(): Promise<Uint8Array> {
    await this.whenSettled();
    await this.durable();
    return this.encodeFullState();
  }

  /** `fn` on the doc once everything accepted so far is durable (a reload meanwhile: waited for). */
  async viewDurable<T>(fn: (doc: Y.Doc) => T): Promise<T> {
    for (;;) {
      await this.whenSettled();
      await this.durable();
      if (this.state !== 'reloading') return fn(this.doc);
    }
  }

  broadcast(frame: Uint8Array): void {
    const shared = new WireFrame(frame);
    for (const peer of this.peers) peer.send(shared);
  }

  removePeer(peer: DocPeer): void {
    if (!this.peers.delete(peer)) return;
    this.intake.forget(peer);
    const removal = this.awareness.removePeer(peer);
    if (removal) this.broadcast(writeAwareness(removal));
  }

  /** Before unload: drain, compact, flush the edit hook. */
  async finish(): Promise<void> {
    this.intake.clear();
    await this.persistence.finish();
    this.edits?.flush();
    this.doc.off('update', this.onUpdate);
    this.doc.destroy();
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

  /** Memory may hold a partial update or a change that must not stay: replace it with what the store has. */
  private async reload(): Promise<void> {
    if (this.state !== 'ready') return;
    this.state = 'reloading'; // peers queue their frames; compaction is off (snapshot() → null)
    this.intake.clear();
    try {
      await this.persistence.drain();
      const fresh = await loadDoc(this.deps.docs, this.name, this.deps.logger);
      this.doc.off('update', this.onUpdate);
      this.doc.destroy();
      this.doc = fresh.doc;
      this.attach(fresh.doc, fresh);
      this.state = 'ready';
      for (const peer of [...this.peers]) peer.resume();
    } catch (err) {
      this.fail(err);
    }
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const w of waiters) w();
  }

  private attach(doc: Y.Doc, loaded: { updateIds: string[]; storedBytes: number; fullState: Uint8Array | null }): void {
    this.fullState = loaded.fullState;
    this.size.measured(loaded.storedBytes);
    doc.on('update', this.onUpdate);
    this.persistence = new DocPersistence({
      docs: this.deps.docs,
      docName: this.name,
      logger: this.deps.logger,
      compactEvery: this.deps.compactEvery,
      loadedIds: loaded.updateIds,
      snapshot: () => (this.state === 'ready' && this.doc === doc ? this.encodeFullState() : null),
      onFailure: (err) => this.fail(err),
      // One frame per batch, encoded once for every peer: fewer sends when edits arrive together.
      onDurable: (merged) => this.broadcast(writeSync(SyncType.Update, merged)),
    });
  }

  /** Memory and store disagree for good: everyone reconnects to a fresh load. */
  private fail(err: unknown): void {
    this.state = 'failed';
    this.intake.clear();
    for (const waiter of this.durableWaiters) waiter.reject(err);
    this.durableWaiters.clear();
    this.deps.logger.error({ err, docName: this.name }, 'collab doc failed; closing its connections');
    for (const peer of [...this.peers]) peer.close(CollabClose.Internal, 'doc failed');
  }
}
