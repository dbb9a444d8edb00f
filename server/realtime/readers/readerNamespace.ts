import type { Namespace, Server, Socket } from 'socket.io';
import {
  READER_NAMESPACE,
  ReaderLimits,
  type ReaderClientToServer,
  type ReaderServerToClient,
  type SubscribeAck,
} from '../../../shared/realtime/liveEvents.js';
import { SubscribeRequestSchema } from '../../../shared/realtime/subscribeRequest.js';
import type { DomainEvents } from '../../events.js';
import type { ReaderCatchUp } from '../../features/publishing/ReaderCatchUp.js';
import { presentPublicChange, type PublicChange } from '../../features/publishing/presentPublic.js';
import type { Logger } from '../../logger.js';
import type { LiveFileRecord, ReaderChangeRecord } from '../../store/Store.js';
import { FanoutPace, FileFeed } from './FileFeed.js';
import { guardReaderPackets } from './readerGuards.js';
import { HeldFeeds } from './HeldFeeds.js';
import { ReaderPacket, ReaderShards, type ReaderSink } from './ReaderShards.js';

interface ReaderSocketData {
  /** Bumped by every subscribe: an older one still reading the store gives up. */
  token: number;
  /** The live file whose feed this socket holds (subscribing or subscribed). */
  held: string | null;
  /** Its shard, once subscribed (a member of the feed's ReaderShards). */
  shard: number | null;
}
type ReaderNamespace = Namespace<ReaderClientToServer, ReaderServerToClient, Record<string, never>, ReaderSocketData>;
type ReaderSocket = Socket<ReaderClientToServer, ReaderServerToClient, Record<string, never>, ReaderSocketData>;

const ENDED = new Set(['ended', 'archived']);
/** Slugs (and statuses) remembered; the least recently added are dropped, then read again. */
const CACHE_MAX = 10_000;
/** A subscribe retries its read this often when changes moved on under it, then says reload. */
const ATTEMPTS = 4;
/** A subscribe answered from the feed's memory asks the store about its file at most this often. */
const STORE_CHECK_MS = 250;
/** How long a subscribe waits for the feed to reach a seq the reader already has. */
const WAIT_FOR_FEED_MS = 3000;

/** A file's feed outlives its last reader this long (HeldFeeds): a reconnect storm finds it. */
export const FEED_LINGER_MS = 60_000;

/** A fan-out writes sockets for about this long per event-loop turn (READER_FANOUT_TURN_MS). */
export const FANOUT_TURN_MS = 5;

/** A Socket.IO socket is a ReaderSink: its engine.io connection (read field by field) and disconnect. */
const sinkOf = (socket: ReaderSocket): ReaderSink => socket as unknown as ReaderSink;

/** Socket.IO's EVENT packet type (socket.io-parser's PacketType.EVENT). */
const EVENT_PACKET = 2;

/**
 * The readers' namespace `/live` (docs/spec.md RD): anonymous, no session, one event (`subscribe`).
 * Each live file with readers has a FileFeed over its ReaderShards; 'reader:change' goes to it and
 * out as one encoded packet per change, one frame write per reader; a subscribe acks exactly the
 * changes between the reader's seq and the feed's join point for the socket's shard, then joins
 * that shard, in one turn of the event loop.
 */
export function startReaderNamespace(
  io: Server,
  deps: { logger: Logger; events: DomainEvents; readerCatchUp: ReaderCatchUp; fanoutTurnMs?: number },
): { stop(): void } {
  const { logger, events, readerCatchUp } = deps;
  const log = logger.child({ part: 'readers' });
  const nsp = io.of(READER_NAMESPACE) as unknown as ReaderNamespace;
  const pace = new FanoutPace(deps.fanoutTurnMs ?? FANOUT_TURN_MS);
  guardReaderPackets(io.engine);

  const fileIds = new Map<string, string>(); // slug → live file id (slugs never change)
  const statuses = new Map<string, string>(); // live file id → status (lifecycle events win)
  const remember = (map: Map<string, string>, key: string, value: string) => {
    map.delete(key);
    map.set(key, value);
    if (map.size > CACHE_MAX) map.delete(map.keys().next().value!);
  };

  // The `change` event as Socket.IO's own encoder writes it for this namespace, once per change:
  // a fan-out sends a change in many batches (and a late round again), always the same object.
  const encoded = new WeakMap<PublicChange, ReaderPacket>();
  const packetOf = (change: PublicChange): ReaderPacket => {
    const known = encoded.get(change);
    if (known) return known;
    const [packet] = io.encoder.encode({ type: EVENT_PACKET, nsp: READER_NAMESPACE, data: ['change', change] }) as unknown[];
    if (typeof packet !== 'string') throw new Error('a reader change encodes to one text packet');
    const made = new ReaderPacket(packet);
    encoded.set(change, made);
    return made;
  };

  const feeds = new HeldFeeds((liveFileId) => {
    const readers = new ReaderShards();
    const feed = new FileFeed(
      {
        size: (shard) => readers.size(shard),
        send: (shards, change) => void readers.send(shards, packetOf(change)),
        defer: (fn) => setImmediate(fn),
      },
      {
        changesAfter: (after, limit) => readerCatchUp.changesAfter(liveFileId, after, limit),
        onError: (err) => log.error({ err, liveFileId }, 'reader feed could not read the store'),
      },
      pace,
    );
    return { feed, readers, close: () => feed.close() };
  }, FEED_LINGER_MS);

  function release(socket: ReaderSocket): void {
    const { held, shard } = socket.data;
    socket.data.shard = null;
    socket.data.held = null;
    if (!held) return;
    const entry = feeds.get(held);
    if (!entry) return;
    if (shard !== null) entry.readers.remove(shard, sinkOf(socket));
    feeds.release(held);
  }

  async function fileOf(slug: string): Promise<string | null> {
    const known = fileIds.get(slug);
    if (known) return known;
    const file = await readerCatchUp.fileOf(slug);
    if (!file) return null;
    remember(fileIds, slug, file.liveFileId);
    if (!statuses.has(file.liveFileId)) remember(statuses, file.liveFileId, file.status);
    return file.liveFileId;
  }

  async function subscribe(socket: ReaderSocket, raw: unknown, ack: (res: SubscribeAck) => void): Promise<void> {
    const token = ++socket.data.token;
    const current = () => token === socket.data.token && socket.connected;
    const parsed = SubscribeRequestSchema.safeParse(raw);
    if (!parsed.success) {
      ack({ error: { code: 'invalid_input', message: 'subscribe takes { slug, after }: after is the last seq applied, 0 for none.' } });
      return void socket.disconnect(true);
    }
    const { slug, after } = parsed.data;
    const liveFileId = await fileOf(slug);
    if (!current()) return;
    release(socket); // one file per socket: a second subscribe switches
    if (!liveFileId) {
      ack({ error: { code: 'not_found', message: 'No live file has this slug.' } });
      return void socket.disconnect(true);
    }
    const { feed, readers } = feeds.hold(liveFileId);
    socket.data.held = liveFileId;
    const shard = readers.place();

    // The ack goes to engine.io first, so no pushed change can overtake it (ReaderShards).
    const join = (res: SubscribeAck) => {
      ack(res);
      socket.data.shard = shard;
      readers.add(shard, sinkOf(socket));
    };

    // Near the stream (the usual reconnect): answered from the feed's memory, no store read; the
    // store is still asked, once per file per STORE_CHECK_MS, whether it holds more than the feed.
    const nearby = fromMemory(liveFileId, feed, shard, after);
    if (nearby) return join(nearby);

    for (let attempt = 1; ; attempt++) {
      const read = await readerCatchUp.catchUp(liveFileId, after, ReaderLimits.maxCatchUp);
      if (!current()) return;
      const storeEnd = Math.max(read.lastSeq, read.changes?.at(-1)?.seq ?? 0);

      if (ENDED.has(statuses.get(liveFileId) ?? '')) {
        // The page is static now: what it missed, then goodbye.
        release(socket);
        ack(read.changes === null ? { reload: true, ended: true } : { changes: read.changes, lastSeq: Math.max(storeEnd, after), ended: true });
        return void socket.disconnect(true);
      }

      feed.init(storeEnd);
      const joinAt = feed.sentTo(shard);
      // The store is ahead of the stream (a change stored, its event not yet out; or never out).
      if (storeEnd > joinAt) feed.ensure(storeEnd);
      if (read.changes === null || joinAt - after > ReaderLimits.maxCatchUp) return join({ reload: true });
      if (after > joinAt) {
        // A seq the server never stored: this reader's page is from elsewhere.
        if (after > storeEnd) return join({ reload: true });
        // It has a change the stream has not pushed yet (read from the page): wait for it.
        const reached = await feed.whenSent(shard, after, WAIT_FOR_FEED_MS);
        if (!current()) return;
        if (!reached) return join({ reload: true });
        continue;
      }
      const stored = read.changes.filter((c) => c.seq <= joinAt);
      const storedEnd = stored.at(-1)?.seq ?? after;
      // Pushed while the store was read: the feed still has them.
      const pushed = feed.recent(storedEnd, joinAt);
      const changes = pushed ? [...stored, ...pushed] : null;
      const exact = changes !== null && changes.every((c, i) => c.seq === after + 1 + i) && (changes.at(-1)?.seq ?? after) === joinAt;
      if (exact) return join({ changes, lastSeq: joinAt });
      if (attempt >= ATTEMPTS) return join({ reload: true });
    }
  }

  // A socket must subscribe within ReaderLimits.subscribeWithinMs: one sweep for all of them, not
  // a timer each (insertion order is deadline order).
  const unsubscribed = new Map<ReaderSocket, number>();
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [socket, deadline] of unsubscribed) {
      if (deadline > now) break;
      unsubscribed.delete(socket);
      socket.disconnect(true);
    }
  }, Math.min(1000, ReaderLimits.subscribeWithinMs / 4));
  sweep.unref();

  // One set of handlers for every reader (`this` is the socket): a connected reader costs its
  // data and its place in a shard, no closures of its own.
  function onSubscribe(this: ReaderSocket, req: unknown, ack: unknown): void {
    unsubscribed.delete(this);
    if (typeof ack !== 'function') return void this.disconnect(true);
    subscribe(this, req, ack as (res: SubscribeAck) => void).catch((err: unknown) => {
      log.error({ err }, 'reader subscribe failed');
      this.disconnect(true); // the client reconnects and subscribes again
    });
  }
  function onDisconnect(this: ReaderSocket): void {
    unsubscribed.delete(this);
    this.data.token++;
    release(this);
  }

  /**
   * The ack for a reader at `after` from the feed alone: exactly the changes after `after` up to
   * the join point of its shard, when the feed still keeps them all. Null when the store must
   * answer: the feed not started yet, the file ended, the reader ahead of the stream or too far
   * behind it.
   */
  function fromMemory(liveFileId: string, feed: FileFeed, shard: number, after: number): SubscribeAck | null {
    if (!feed.isInitialized || ENDED.has(statuses.get(liveFileId) ?? '')) return null;
    const joinAt = feed.sentTo(shard);
    if (after > joinAt || joinAt - after > ReaderLimits.maxCatchUp) return null;
    const changes = feed.recent(after, joinAt);
    if (!changes) return null;
    checkStore(liveFileId, feed);
    return { changes, lastSeq: joinAt };
  }

  // What the store holds past the feed (a change whose event never came: another process wrote
  // it) is pushed once the feed reads it; one read per file per STORE_CHECK_MS serves every
  // subscribe meanwhile.
  const storeChecks = new Map<string, number>();
  function checkStore(liveFileId: string, feed: FileFeed): void {
    const now = Date.now();
    if ((storeChecks.get(liveFileId) ?? -Infinity) > now - STORE_CHECK_MS) return;
    storeChecks.set(liveFileId, now);
    if (storeChecks.size > CACHE_MAX) storeChecks.delete(storeChecks.keys().next().value!);
    readerCatchUp.lastSeq(liveFileId).then((seq) => feed.ensure(seq), (err: unknown) => log.error({ err, liveFileId }, 'reader feed could not read the store'));
  }

  nsp.on('connection', (socket: ReaderSocket) => {
    // Never a session: nothing here reads the request's cookies, and the desk namespace's
    // middleware does not run for this one.
    socket.data = { token: 0, held: null, shard: null };
    unsubscribed.set(socket, Date.now() + ReaderLimits.subscribeWithinMs);
    // Any other event never gets here: readerGuards closes the connection before decoding it.
    socket.on('subscribe', onSubscribe);
    socket.on('disconnect', onDisconnect);
  });

  const onChange = (record: ReaderChangeRecord) => {
    const entry = feeds.get(record.liveFileId);
    if (entry) entry.feed.offer(presentPublicChange(record));
  };
  const onLifecycle = ({ after }: { before: LiveFileRecord; after: LiveFileRecord }) => {
    remember(statuses, after.id, after.status);
    if (!ENDED.has(after.status)) return;
    const entry = feeds.get(after.id);
    if (!entry) return;
    // After every change stored before the end: then its readers are told and let go.
    entry.feed.whenIdle(() => {
      for (const reader of entry.readers.readers()) {
        const socket = reader as unknown as ReaderSocket;
        socket.emit('ended', { slug: after.slug });
        socket.disconnect(true);
      }
    });
  };
  events.on('reader:change', onChange);
  events.on('liveFile:lifecycle', onLifecycle);

  return {
    stop() {
      clearInterval(sweep);
      unsubscribed.clear();
      events.off('reader:change', onChange);
      events.off('liveFile:lifecycle', onLifecycle);
      feeds.clear();
    },
  };
}
