// The update log of one loaded doc: group-commit appends, then compaction.
// Appends are serialized per doc so the store never holds an update without its predecessors,
// and a batch is broadcast (as one merged update) only after its append resolved: the durable ack.
import { mergeInTree } from './mergeInTree.js';
import type { Logger } from 'pino';
import type { DocRepo } from '../store/Store.js';

interface Batch {
  updates: Uint8Array[];
  after: Array<() => void>;
}

export interface DocPersistenceOptions {
  docs: DocRepo;
  docName: string;
  logger: Logger;
  compactEvery: number;
  /** Ids of the updates the load returned: the next compaction covers them. */
  loadedIds: string[];
  /** The state to snapshot; null while the doc in memory must not be trusted. */
  snapshot: () => Uint8Array | null;
  /** An append failed: what is in memory is no longer what is stored. */
  onFailure: (err: unknown) => void;
  /** A batch is durable: its updates merged into one (before the batch's `after` callbacks). */
  onDurable: (merged: Uint8Array) => void;
}

export class DocPersistence {
  private open: Batch | null = null;
  private inFlight: Batch | null = null;
  private readonly coveredIds: string[];
  private appendsSinceCompact = 0;
  private failed = false;
  /** One flush loop per doc at a time (it spans appends and compactions). */
  private flushing = false;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly opts: DocPersistenceOptions) {
    this.coveredIds = [...opts.loadedIds];
  }

  get idle(): boolean {
    return !this.open && !this.flushing;
  }

  /** Queues an update; `after` runs once it is durable (never if the append fails). */
  enqueue(update: Uint8Array, after?: () => void): void {
    if (this.failed) return;
    if (!this.open) {
      this.open = { updates: [], after: [] };
      // setImmediate, not a microtask: collects every frame read in this poll phase.
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    }
    this.open.updates.push(update);
    if (after) this.open.after.push(after);
  }

  /** Runs fn once everything enqueued so far is durable; at once when idle. */
  whenDurable(fn: () => void): void {
    const last = this.open ?? this.inFlight;
    if (last) last.after.push(fn);
    else fn();
  }

  drain(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** On unload and shutdown: drain, then fold the log into one snapshot. */
  async finish(): Promise<void> {
    await this.drain();
    if (!this.failed && this.coveredIds.length > 0) await this.compact();
  }

  private async flush(): Promise<void> {
    while (this.open && !this.failed) {
      const batch = this.open;
      this.open = null;
      this.inFlight = batch;
      let merged: Uint8Array;
      try {
        merged = mergeInTree(batch.updates);
        this.coveredIds.push(await this.opts.docs.append(this.opts.docName, merged));
        this.appendsSinceCompact++;
      } catch (err) {
        this.failed = true;
        this.open = null;
        this.inFlight = null;
        this.opts.onFailure(err);
        break;
      }
      this.inFlight = null;
      this.opts.onDurable(merged);
      for (const fn of batch.after) fn();
      if (this.appendsSinceCompact >= this.opts.compactEvery) await this.compact();
    }
    this.flushing = false;
    {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private async compact(): Promise<void> {
    const snapshot = this.opts.snapshot();
    if (!snapshot) return;
    const ids = this.coveredIds.slice();
    try {
      await this.opts.docs.compact(this.opts.docName, snapshot, ids);
      this.coveredIds.splice(0, ids.length);
      this.appendsSinceCompact = 0;
    } catch (err) {
      // Not fatal: the log still holds everything; the next compaction retries.
      this.opts.logger.warn({ err, docName: this.opts.docName }, 'collab compaction failed');
    }
  }
}
