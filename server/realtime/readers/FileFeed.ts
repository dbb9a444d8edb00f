import type { PublicChange } from '../../features/publishing/presentPublic.js';

/** A file's readers are spread over this many shards, in join order (ReaderShards.place). */
export const SHARDS = 256;
/** Recent changes kept past what every shard was sent, for subscribes that join meanwhile. */
const KEEP_RECENT = 64;
/** A gap fill reads this many changes at a time. */
const FILL_PAGE = 500;

/** Where a feed's changes go: the shard rooms of one file (socket.io in production, fakes in tests). */
export interface FeedOutput {
  /** Sockets in shard `shard` now. */
  size(shard: number): number;
  /** `change` to every socket of these shards: one write per socket (a change is encoded once, whatever the batches). */
  send(shards: number[], change: PublicChange): void;
  /** Runs `fn` on a later event-loop turn (setImmediate), so editors' requests run in between. */
  defer(fn: () => void): void;
}

export interface FeedSource {
  /** Stored changes after `after`, ascending, gap-free, at most `limit`. */
  changesAfter(after: number, limit: number): Promise<PublicChange[]>;
  onError(err: unknown): void;
}

/** How many sockets one broadcast may write before the loop is let go (FanoutPace). */
export interface FeedPace {
  batch(): number;
  /** A broadcast wrote `sockets` sockets in `ms`. */
  took(sockets: number, ms: number): void;
}

const MIN_BATCH = 50;

/**
 * Batches sized so one turn of writes takes about `turnMs`: the cost of a socket write is
 * measured as the fan-outs run (a moving average over every feed: it is the machine's), since it
 * varies tenfold between an idle server and a loaded one. `turnMs` 0: everything at once.
 */
export class FanoutPace implements FeedPace {
  private perSocketMs = 0.05; // a loaded machine's cost, until measured
  constructor(private readonly turnMs: number) {}

  batch(): number {
    if (this.turnMs <= 0) return Infinity;
    return Math.max(MIN_BATCH, Math.floor(this.turnMs / this.perSocketMs));
  }

  took(sockets: number, ms: number): void {
    if (sockets < MIN_BATCH) return; // too few to time
    this.perSocketMs = 0.7 * this.perSocketMs + 0.3 * Math.max(ms / sockets, 0.0005);
  }

  /** The current estimate of one socket write, in ms. */
  get socketWriteMs(): number {
    return this.perSocketMs;
  }
}

/**
 * One live file's push stream to its readers: every change exactly once per shard, in seq order.
 *
 * `sentTo(shard)` is the join point: a socket that joins shard `i` now gets by push exactly the
 * changes after `sentTo(i)`, so its subscribe ack must carry everything up to there (from the
 * store and from `recent`). Domain events are only a hint: one at or below what was committed is
 * dropped (the change reached the store before its event, a subscribe that read it moved the
 * stream on), one past the next seq makes the feed read the gap from the store first. Nothing in
 * here looks at a socket: a change costs one send per batch of shards.
 *
 * A round sends everything committed to every shard, in batches of shards of at most
 * `pace.batch()` sockets, the first at once and each further batch on a later event-loop turn; a
 * round finishes before the next starts, so each shard gets changes in seq order.
 */
export class FileFeed {
  private initialized = false;
  private committed = 0;
  private readonly sent = new Array<number>(SHARDS).fill(0);
  /** Contiguous changes ending at `committed`. */
  private log: PublicChange[] = [];
  /** Events that came before the first subscribe's read told where the stream starts. */
  private early: PublicChange[] = [];
  private filling = false;
  /** Events that came while a fill reads the store. */
  private waiting: PublicChange[] = [];
  private draining = false;
  private closed = false;
  private idle: Array<() => void> = [];
  private waiters: Array<{ shard: number; seq: number; done: (ok: boolean) => void }> = [];

  constructor(
    private readonly out: FeedOutput,
    private readonly source: FeedSource,
    private readonly pace: FeedPace,
  ) {}

  get isInitialized(): boolean {
    return this.initialized;
  }

  /** The stream starts after `seq` (the first subscribe's read of the store). No-op later. */
  init(seq: number): void {
    if (this.initialized || this.closed) return;
    this.initialized = true;
    this.committed = seq;
    this.sent.fill(seq);
    const early = this.early.sort((a, b) => a.seq - b.seq);
    this.early = [];
    for (const c of early) this.offer(c);
  }

  /** A change was stored ('reader:change'). */
  offer(change: PublicChange): void {
    if (this.closed) return;
    if (!this.initialized) return void this.early.push(change);
    if (this.filling) return void this.waiting.push(change);
    if (change.seq <= this.committed) return;
    if (change.seq !== this.committed + 1) {
      this.waiting.push(change);
      return this.fill(change.seq);
    }
    this.commit(change);
    this.drain();
  }

  /** The store holds changes up to `seq` (a subscribe read it): make sure they are pushed. */
  ensure(seq: number): void {
    if (this.initialized && !this.closed && this.committed < seq) this.fill(seq);
  }

  sentTo(shard: number): number {
    return this.sent[shard];
  }

  /** Changes after `after` up to `upTo` from memory, or null when they are no longer kept. */
  recent(after: number, upTo: number): PublicChange[] | null {
    if (upTo <= after) return [];
    const start = this.committed - this.log.length + 1;
    if (after + 1 < start || upTo > this.committed) return null;
    return this.log.slice(after + 1 - start, upTo + 1 - start);
  }

  /** Resolves true once shard `shard` was sent `seq`, false after `timeoutMs` or on close. */
  whenSent(shard: number, seq: number, timeoutMs: number): Promise<boolean> {
    if (this.sent[shard] >= seq) return Promise.resolve(true);
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter = {
        shard,
        seq,
        done: (ok: boolean) => {
          clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== waiter);
          resolve(ok);
        },
      };
      const timer = setTimeout(() => waiter.done(false), timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Runs `fn` once everything committed so far (and any fill under way) has been sent. */
  whenIdle(fn: () => void): void {
    if (!this.draining && !this.filling) fn();
    else this.idle.push(fn);
  }

  close(): void {
    this.closed = true;
    this.idle = [];
    for (const w of [...this.waiters]) w.done(false);
  }

  private commit(change: PublicChange): void {
    this.log.push(change);
    this.committed = change.seq;
  }

  private fill(target: number): void {
    if (this.filling) return;
    this.filling = true;
    void (async () => {
      let fruitless = 0;
      let delay = 100;
      while (!this.closed && this.committed < target) {
        let list: PublicChange[];
        try {
          list = await this.source.changesAfter(this.committed, FILL_PAGE);
        } catch (err) {
          this.source.onError(err);
          await sleep(delay);
          delay = Math.min(delay * 2, 5000);
          continue;
        }
        if (this.closed) return;
        const before = this.committed;
        for (const c of list) if (c.seq === this.committed + 1) this.commit(c);
        if (this.committed > before) {
          fruitless = 0;
          this.drain();
          continue;
        }
        // The store does not have it (yet): a replica behind, say. Wait, then give up on the gap:
        // readers see a seq jump, subscribe again and catch up from the store.
        if (++fruitless > 5) {
          this.source.onError(new Error(`reader feed: seq ${before + 1} not in the store; skipping to ${target}`));
          this.committed = target - 1;
          this.log = [];
          break;
        }
        await sleep(delay);
      }
      this.filling = false;
      if (this.closed) return;
      const waiting = this.waiting.sort((a, b) => a.seq - b.seq);
      this.waiting = [];
      for (const c of waiting) this.offer(c);
      this.settled();
    })();
  }

  private drain(): void {
    if (this.draining || this.closed) return;
    this.draining = true;
    this.round();
  }

  private round(): void {
    const target = this.committed;
    let shard = 0;
    const step = () => {
      if (this.closed) return;
      let budget = this.pace.batch();
      const batch: number[] = [];
      while (shard < SHARDS) {
        const n = this.out.size(shard);
        if (n === 0) {
          // Nobody to write to: a socket joining it now starts after `target`.
          this.sent[shard] = target;
          shard++;
          continue;
        }
        if (batch.length > 0 && n > budget) break;
        batch.push(shard);
        budget -= n;
        shard++;
      }
      const started = performance.now();
      const written = this.sendBatch(batch, target);
      // Timed once the writes' own callbacks (queued as ticks while writing) have run: they are
      // part of what the batch holds the loop for.
      if (written > 0) process.nextTick(() => this.pace.took(written, performance.now() - started));
      if (shard < SHARDS) return this.out.defer(step);
      // More came during the round: the next one on a later turn (this one wrote its share).
      if (this.committed > target) return this.out.defer(() => this.round());
      this.draining = false;
      this.trim();
      this.settled();
    };
    step();
  }

  /** One send per change per group of shards that were sent the same so far. Returns the socket writes it made. */
  private sendBatch(batch: number[], target: number): number {
    const groups = new Map<number, number[]>();
    for (const s of batch) {
      const from = this.sent[s];
      if (from >= target) continue;
      const group = groups.get(from);
      if (group) group.push(s);
      else groups.set(from, [s]);
    }
    let written = 0;
    for (const [from, shards] of groups) {
      const sockets = shards.reduce((n, s) => n + this.out.size(s), 0);
      for (const change of this.recent(from, target) ?? []) {
        this.out.send(shards, change);
        written += sockets;
      }
      for (const s of shards) this.sent[s] = target;
    }
    for (const w of [...this.waiters]) if (this.sent[w.shard] >= w.seq) w.done(true);
    return written;
  }

  private trim(): void {
    const keepFrom = Math.min(...this.sent) - KEEP_RECENT + 1;
    const start = this.committed - this.log.length + 1;
    if (keepFrom > start) this.log = this.log.slice(keepFrom - start);
  }

  private settled(): void {
    if (this.draining || this.filling) return;
    const idle = this.idle;
    this.idle = [];
    for (const fn of idle) fn();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
