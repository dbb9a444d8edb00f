// Client updates whose dependencies the document lacks yet (say, a tab's edit on top of another
// tab's that is still on its way), held per connection instead of inside the Y.Doc: the document
// never holds pending structs, so a joiner never inherits orphans. Bounded in bytes and time.
import type { DecodedUpdate } from './checkUpdate.js';

export interface HeldUpdate {
  update: Uint8Array;
  decoded: DecodedUpdate;
  accountId: string;
}

export interface HeldLimits {
  maxBytes: number;
  maxAgeMs: number;
}

interface PeerHeld<P> {
  peer: P;
  updates: HeldUpdate[];
  bytes: number;
  timer: NodeJS.Timeout;
}

export class HeldUpdates<P> {
  private readonly byPeer = new Map<P, PeerHeld<P>>();

  constructor(
    private readonly limits: HeldLimits,
    /** A peer's oldest held update waited too long: its dependencies are not coming. */
    private readonly onExpired: (peer: P) => void,
  ) {}

  get size(): number {
    return this.byPeer.size;
  }

  /** False when holding it would pass the byte cap (the caller refuses the update). */
  hold(peer: P, held: HeldUpdate): boolean {
    let entry = this.byPeer.get(peer);
    if (!entry) {
      const timer = setTimeout(() => this.expire(peer), this.limits.maxAgeMs);
      timer.unref();
      entry = { peer, updates: [], bytes: 0, timer };
      this.byPeer.set(peer, entry);
    }
    if (entry.bytes + held.update.byteLength > this.limits.maxBytes) return false;
    entry.updates.push(held);
    entry.bytes += held.update.byteLength;
    return true;
  }

  /** Removes and returns the first held update `ready` accepts, in arrival order per peer. */
  takeReady(ready: (held: HeldUpdate) => boolean): { peer: P; held: HeldUpdate } | null {
    for (const entry of this.byPeer.values()) {
      const index = entry.updates.findIndex(ready);
      if (index < 0) continue;
      const [held] = entry.updates.splice(index, 1);
      entry.bytes -= held.update.byteLength;
      if (entry.updates.length === 0) this.drop(entry.peer);
      return { peer: entry.peer, held };
    }
    return null;
  }

  drop(peer: P): void {
    const entry = this.byPeer.get(peer);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.byPeer.delete(peer);
  }

  clear(): void {
    for (const peer of [...this.byPeer.keys()]) this.drop(peer);
  }

  private expire(peer: P): void {
    if (!this.byPeer.has(peer)) return;
    this.drop(peer);
    this.onExpired(peer);
  }
}
