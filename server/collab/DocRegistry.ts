// Loaded docs by name. The first acquire loads (concurrent ones share the promise); the last
// release unloads after draining and compacting. A re-acquire during an unload waits for it,
// so a fresh load always sees everything the previous instance stored.
import { EventEmitter } from 'node:events';
import type { DeskEditedHook, EntryEditedHook } from './CollabService.js';
import { parseDocName } from '../../shared/collab/docName.js';
import { EntryEditTracker } from './EntryEditTracker.js';
import { SharedDoc, type SharedDocDeps } from './SharedDoc.js';

export interface Lease {
  readonly shared: Promise<SharedDoc>;
  /** Idempotent. */
  release(): void;
}

interface Entry {
  promise: Promise<SharedDoc>;
  refs: number;
}

export class DocRegistry {
  /** 'loaded' and 'unloaded' with the doc name: for stats watchers and tests. */
  readonly events = new EventEmitter();
  private readonly entries = new Map<string, Entry>();
  private readonly unloading = new Map<string, Promise<void>>();

  constructor(private readonly deps: SharedDocDeps & { onEntryEdited?: EntryEditedHook; onDeskEdited?: DeskEditedHook }) {}

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
    const promise = prior.then(() => SharedDoc.load(name, this.deps)).then((shared) => {
      const ref = parseDocName(name);
      const hook = ref?.kind === 'entry' ? this.deps.onEntryEdited : this.deps.onDeskEdited;
      if (ref && hook) shared.edits = new EntryEditTracker(ref.id, hook, this.deps.logger);
      this.events.emit('loaded', name);
      return shared;
    });
    const entry: Entry = { promise, refs: 0 };
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
