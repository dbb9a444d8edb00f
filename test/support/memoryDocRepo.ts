// An in-memory DocRepo for collab tests: same contract as the adapters, plus hooks to slow or
// fail a load/append, and counters.
import { EventEmitter } from 'node:events';
import type { DocRepo, StoredDoc, StoredUpdate } from '../../server/store/Store.js';

export interface MemoryDocRepo extends DocRepo {
  /** Awaited before each load resolves (a slow disk). */
  loadGate: (docName: string) => Promise<void>;
  /** Awaited before each append is stored. */
  appendGate: (docName: string, update: Uint8Array) => Promise<void>;
  /**
   * Holds the next append in flight: `requested` resolves when it starts, `release()` lets it
   * finish. For tests that act while a write is pending.
   */
  holdNextAppend(): { requested: Promise<void>; release(): void };
  /** 'load', 'append', 'compact' with the doc name, after the operation. */
  events: EventEmitter;
  appends: number;
  compactions: number;
  loads: number;
  raw(docName: string): StoredDoc;
}

export function memoryDocRepo(): MemoryDocRepo {
  const docs = new Map<string, { snapshot: Uint8Array | null; updates: StoredUpdate[] }>();
  const owners = new Map<string, Map<number, string>>();
  const ownersOf = (name: string) => {
    let o = owners.get(name);
    if (!o) owners.set(name, (o = new Map()));
    return o;
  };
  let nextId = 1;
  const get = (name: string) => {
    let d = docs.get(name);
    if (!d) docs.set(name, (d = { snapshot: null, updates: [] }));
    return d;
  };
  const copy = (u: Uint8Array) => new Uint8Array(u);
  const repo: MemoryDocRepo = {
    loadGate: async () => {},
    appendGate: async () => {},
    holdNextAppend() {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const requested = new Promise<void>((resolve) => {
        repo.appendGate = () => {
          repo.appendGate = async () => {};
          resolve();
          return released;
        };
      });
      return { requested, release };
    },
    events: new EventEmitter(),
    appends: 0,
    compactions: 0,
    loads: 0,
    async load(name) {
      repo.loads++;
      await repo.loadGate(name);
      const out = repo.raw(name);
      repo.events.emit('load', name);
      return out;
    },
    async append(name, update) {
      await repo.appendGate(name, update);
      const id = String(nextId++).padStart(10, '0');
      get(name).updates.push({ id, update: copy(update) });
      repo.appends++;
      repo.events.emit('append', name);
      return id;
    },
    async compact(name, snapshot, covered) {
      const d = get(name);
      d.snapshot = copy(snapshot);
      const drop = new Set(covered);
      d.updates = d.updates.filter((u) => !drop.has(u.id));
      repo.compactions++;
      repo.events.emit('compact', name);
    },
    async delete(name) {
      docs.delete(name);
      owners.delete(name);
    },
    async listNames() {
      const stored = [...docs].filter(([, d]) => d.snapshot || d.updates.length > 0).map(([name]) => name);
      const owned = [...owners].filter(([, o]) => o.size > 0).map(([name]) => name);
      return [...new Set([...stored, ...owned])];
    },
    async loadClientOwners(name) {
      return new Map(ownersOf(name));
    },
    async claimClientIds(name, clientIds, accountId) {
      const o = ownersOf(name);
      for (const id of clientIds) if (!o.has(id)) o.set(id, accountId); // first claim wins
      return new Map(clientIds.map((id) => [id, o.get(id)!]));
    },
    raw(name) {
      const d = get(name);
      return { snapshot: d.snapshot && copy(d.snapshot), updates: d.updates.map((u) => ({ id: u.id, update: copy(u.update) })) };
    },
  };
  return repo;
}
