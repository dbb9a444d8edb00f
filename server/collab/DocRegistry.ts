// Loaded docs by name. The first acquire loads (concurrent ones share the promise); the last
// release unloads after draining and compacting. A re-acquire during an unload waits for it,
// so a fresh load always sees everything the previous instance stored.
import { EventEmitter } from 'node:events';
import type { EntryEditedHook } from './CollabService.js';
import { parseDocName } from '../../shared/collab/docName.js';
import { EntryEditTracker } from './EntryEditTracker.js';
import { SharedDoc, type SharedDocDeps } from './SharedDoc.js';

/** Above this a doc takes ~50 ms or more to build. */
const BIG_DOC_BYTES = 256 * 1024;
const FIRST_FRAME_WAIT_MS = 20;
const MAX_HOLD_MS = 2000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface Lease {
  readonly shared: Promise<SharedDoc>;
  /** The stored whole state, once read and before the doc is built: null if not a lone snapshot. */
  readonly stored: Promise<Uint8Array | null>;
  /** The build waits (briefly, capped) for this: e.g. an early answer still being written out. */
  holdBuild(until: Promise<void>): void;
  /** Idempotent. */
  release(): void;
}

interface Entry {
  promise: Promise<SharedDoc>;
  stored: Promise<Uint8Array | null>;
  holds: Promise<void>[];
  refs: number;
}

export class DocRegistry {
  /** 'loaded' and 'unloaded' with the doc name: for stats watchers and tests. */
  readonly events = new EventEmitter();
  private readonly entries = new Map<string, Entry>();
  private readonly unloading = new Map<string, Promise<void>>();

  constructor(private readonly deps: SharedDocDeps & { onEntryEdited?: EntryEditedHook }) {}

  get loadedDocs(): number {
    return new Set([...this.entries.keys(), ...this.unloading.keys()]).size;
  }

  acquire(name: string): Lease {
    let entry = this.entries.get(name);
    if (!entry) entry = this.load(name);
    entry.refs++;
    let released = false;
    const owned = entry;
    return {
      shared: entry.promise,
      stored: entry.stored,
      holdBuild: (until) => owned.holds.push(until),
      release: () => {
        if (released) return;
        released = true;
        if (--owned.refs === 0) this.unload(name, owned);
      },
    };
  }

  /** Resolves when no unload is in progress. */
  async idle(): Promise<void> {
    while (this.unloading.size > 0) await Promise.all(this.unloading.values());
  }

  private load(name: string): Entry {
    const prior = this.unloading.get(name) ?? Promise.resolve();
    let resolveStored: (loneSnapshot: Uint8Array | null) => void = () => undefined;
    const stored = new Promise<Uint8Array | null>((resolve) => (resolveStored = resolve));
    const holds: Promise<void>[] = [];
    const onRead = async (loneSnapshot: Uint8Array | null) => {
      resolveStored(loneSnapshot);
      if (!loneSnapshot || loneSnapshot.byteLength < BIG_DOC_BYTES) return new Promise<void>((resolve) => setImmediate(resolve));
      // A big doc blocks this process while it builds: first let new clients' step 1 arrive, be
      // answered from the stored bytes, and those bytes leave, so their apply overlaps ours.
      await sleep(FIRST_FRAME_WAIT_MS);
      await Promise.race([Promise.all(holds), sleep(MAX_HOLD_MS)]);
    };
    const promise = prior.then(() => SharedDoc.load(name, this.deps, onRead)).then((shared) => {
      const ref = parseDocName(name);
      const hook = this.deps.onEntryEdited;
      if (ref?.kind === 'entry' && hook) shared.edits = new EntryEditTracker(ref.id, hook, this.deps.logger);
      this.events.emit('loaded', name);
      return shared;
    });
    // A doc loaded already: its stored bytes are no longer the news, the doc is.
    void promise.then(() => resolveStored(null), () => resolveStored(null));
    const entry: Entry = { promise, stored, holds, refs: 0 };
    this.entries.set(name, entry);
    promise.catch((err: unknown) => {
      this.deps.logger.error({ err, docName: name }, 'collab doc load failed');
      if (this.entries.get(name) === entry) this.entries.delete(name);
    });
    return entry;
  }

  private unload(name: string, entry: Entry): void {
    if (this.entries.get(name) === entry) this.entries.delete(name);
    const done: Promise<void> = entry.promise
      .then((shared) => shared.finish())
      .catch((err: unknown) => this.deps.logger.error({ err, docName: name }, 'collab doc unload failed'))
      .finally(() => {
        if (this.unloading.get(name) === done) this.unloading.delete(name);
        this.events.emit('unloaded', name);
      });
    this.unloading.set(name, done);
  }
}
