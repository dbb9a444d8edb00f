import * as Y from 'yjs';

/** Local updates closer together than this are one change ("typed a sentence" = 1, not 40). */
export const BURST_GAP_MS = 1000;

/**
 * Counts unsent changes the way a person thinks of them: a run of local updates with pauses
 * shorter than `gapMs` is one change; with `gapMs = 0` every update is its own change
 * (desk actions: a pin and a move are two things even a second apart). Pure: time comes in.
 */
export class ChangeCounter {
  private last = Number.NEGATIVE_INFINITY;

  constructor(
    readonly gapMs = BURST_GAP_MS,
    private n = 0,
  ) {}

  get count(): number {
    return this.n;
  }

  /** One local update at `now` (ms). Returns the count after it. */
  record(now: number): number {
    if (this.n === 0 || this.gapMs <= 0 || now - this.last >= this.gapMs) this.n++;
    this.last = now;
    return this.n;
  }

  /** The server has everything: nothing is unsent, and the next update starts a new change. */
  clear(): void {
    this.n = 0;
    this.last = Number.NEGATIVE_INFINITY;
  }
}

/**
 * What the server is known to hold of one document, learnt only from what it sent us: its state
 * vector (sync step 1) and every update it sent (step 2, broadcasts, and the echo of our own
 * updates, which the server sends only once they are durable; docs/protocol.md). "Synced" alone is
 * not enough: the server's step 2 reaches us before our own step 2 reaches it.
 */
export class ServerKnowledge {
  private readonly sv = new Map<number, number>();
  private ds = Y.createDeleteSet();

  noteStateVector(encoded: Uint8Array): void {
    for (const [client, clock] of Y.decodeStateVector(encoded)) this.bump(client, clock);
  }

  noteUpdate(update: Uint8Array): void {
    const { to } = Y.parseUpdateMeta(update);
    for (const [client, clock] of to) this.bump(client, clock);
    const { ds } = Y.decodeUpdate(update);
    this.ds = Y.mergeDeleteSets([this.ds, ds]);
  }

  /** True when every struct and every deletion in `doc` is known to be on the server. */
  covers(doc: Y.Doc): boolean {
    for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(doc))) {
      if ((this.sv.get(client) ?? 0) < clock) return false;
    }
    return Y.snapshotContainsUpdate(Y.createSnapshot(this.ds, this.sv), Y.encodeStateAsUpdate(doc));
  }

  private bump(client: number, clock: number) {
    if ((this.sv.get(client) ?? 0) < clock) this.sv.set(client, clock);
  }
}
