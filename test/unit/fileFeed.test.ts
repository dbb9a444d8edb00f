// The reader fan-out's per-file stream (server/realtime/readers/FileFeed.ts) over fake rooms: what
// each shard is sent, in which turn, and where a joining socket's pushes start.
import { describe, expect, it } from 'vitest';
import { FanoutPace, FileFeed, SHARDS, type FeedOutput, type FeedPace } from '../../server/realtime/readers/FileFeed.js';
import type { PublicChange } from '../../server/features/publishing/presentPublic.js';

const change = (seq: number): PublicChange => ({ seq, kind: 'published', entryId: `e${seq}`, entry: { id: `e${seq}`, seq } as PublicChange['entry'] });

/** Shard rooms with `sizes[i]` sockets; records each broadcast with the turn it ran in. */
function fakeRooms(sizes: number[]) {
  const sent: Array<{ turn: number; shards: number[]; seq: number }> = [];
  const later: Array<() => void> = [];
  let turn = 0;
  const out: FeedOutput = {
    size: (shard) => sizes[shard] ?? 0,
    send: (shards, c) => sent.push({ turn, shards: [...shards], seq: c.seq }),
    defer: (fn) => later.push(fn),
  };
  return {
    out,
    sent,
    /** Runs the deferred steps, one turn each. */
    runTurns() {
      while (later.length) {
        turn++;
        later.shift()!();
      }
    },
    seqsOf: (shard: number) => sent.filter((s) => s.shards.includes(shard)).map((s) => s.seq),
  };
}

function store(upTo: number) {
  const reads: number[] = [];
  return {
    reads,
    source: {
      changesAfter: async (after: number, limit: number) => {
        reads.push(after);
        return Array.from({ length: Math.max(0, Math.min(limit, upTo - after)) }, (_, i) => change(after + 1 + i));
      },
      onError: (err: unknown) => { throw err; },
    },
  };
}

/** A pace of a fixed batch size. */
const fixed = (n: number): FeedPace => ({ batch: () => n, took: () => undefined });

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('reader file feed', () => {
  it('[RD8] a small room gets each change as one broadcast to all its shards, at once; a crowded one in batches of the pace\'s size, one batch per turn, every shard each change once in order', async () => {
    const small = fakeRooms(Array.from({ length: SHARDS }, (_, i) => (i % 2 ? 3 : 0)));
    const feed = new FileFeed(small.out, store(0).source, fixed(2000));
    feed.init(10);
    feed.offer(change(11));
    feed.offer(change(12));
    expect(small.sent).toEqual([
      { turn: 0, shards: Array.from({ length: SHARDS / 2 }, (_, i) => 2 * i + 1), seq: 11 },
      { turn: 0, shards: Array.from({ length: SHARDS / 2 }, (_, i) => 2 * i + 1), seq: 12 },
    ]);

    // Shards of 150 sockets, 1000 a turn: 6 shards a turn.
    const big = fakeRooms(new Array(SHARDS).fill(150));
    const spread = new FileFeed(big.out, store(0).source, fixed(1000));
    spread.init(0);
    spread.offer(change(1));
    expect(big.sent.map((s) => s.shards.length)).toEqual([6]);
    // A change during the round waits for it: it goes out in the next round, after 1 on every shard.
    spread.offer(change(2));
    big.runTurns();
    const turns = new Set(big.sent.map((s) => s.turn));
    expect(turns.size).toBe(2 * Math.ceil(SHARDS / 6));
    const perTurn = new Map<number, number>();
    for (const s of big.sent) perTurn.set(s.turn, (perTurn.get(s.turn) ?? 0) + s.shards.length * 150);
    expect(Math.max(...perTurn.values())).toBeLessThanOrEqual(1000);
    for (let shard = 0; shard < SHARDS; shard++) expect(big.seqsOf(shard)).toEqual([1, 2]);
  });

  it('[RD2] the join point is per shard: a socket joining a shard already sent gets the next change, one joining a shard not reached yet gets it from the round', () => {
    const rooms = fakeRooms(new Array(SHARDS).fill(10));
    const feed = new FileFeed(rooms.out, store(0).source, fixed(10));
    feed.init(5);
    feed.offer(change(6));
    // Turn 0 sent shard 0 only.
    expect(feed.sentTo(0)).toBe(6);
    expect(feed.sentTo(1)).toBe(5);
    // A subscribe now acks up to the join point of its shard, the missing ones from memory.
    expect(feed.recent(5, feed.sentTo(0))!.map((c) => c.seq)).toEqual([6]);
    expect(feed.recent(5, feed.sentTo(1))).toEqual([]);
    rooms.runTurns();
    expect(feed.sentTo(SHARDS - 1)).toBe(6);
    expect(rooms.seqsOf(1)).toEqual([6]);
  });

  it('[RD2] events before the first read are kept, late events are dropped, a gap is read from the store first', async () => {
    const rooms = fakeRooms([1]);
    const { source, reads } = store(9);
    const feed = new FileFeed(rooms.out, source, fixed(100));
    // Before init: kept, then the part after the start is sent.
    feed.offer(change(4));
    feed.offer(change(5));
    feed.init(4);
    expect(rooms.seqsOf(0)).toEqual([5]);
    // Stored before its event and already acked by a subscribe that moved the stream on: dropped.
    feed.offer(change(5));
    // 6 and 7 never had an event here (another process, a crash): 8 makes the feed read them.
    feed.offer(change(8));
    await flush();
    expect(reads).toEqual([5]);
    feed.offer(change(9));
    await flush();
    expect(rooms.seqsOf(0)).toEqual([5, 6, 7, 8, 9]);
    // A subscribe that saw the store ahead (ensure) fills without waiting for an event.
    const ahead = new FileFeed(rooms.out, store(12).source, fixed(100));
    ahead.init(9);
    ahead.ensure(12);
    await flush();
    expect(rooms.seqsOf(0)).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('[RD7] whenIdle runs after every change committed so far has gone to every shard', () => {
    const rooms = fakeRooms(new Array(SHARDS).fill(5));
    const feed = new FileFeed(rooms.out, store(0).source, fixed(5));
    feed.init(0);
    feed.offer(change(1));
    const order: string[] = [];
    feed.whenIdle(() => order.push(`ended after ${rooms.sent.length} sends`));
    expect(order).toEqual([]);
    rooms.runTurns();
    expect(order).toEqual([`ended after ${SHARDS} sends`]);
  });

  it('[RD8] the pace sizes batches from the measured cost of a socket write, so a turn stays near its budget on a slow machine and a fast one', () => {
    const pace = new FanoutPace(10);
    for (let i = 0; i < 20; i++) pace.took(1000, 50); // 50 µs a socket: a loaded machine
    expect(pace.batch()).toBeGreaterThanOrEqual(190);
    expect(pace.batch()).toBeLessThanOrEqual(210);
    for (let i = 0; i < 20; i++) pace.took(1000, 5); // 5 µs
    expect(pace.batch()).toBeGreaterThan(1900);
    expect(new FanoutPace(0).batch()).toBe(Infinity);
  });
});
