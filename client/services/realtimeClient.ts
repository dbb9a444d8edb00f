import type { Socket, io as ioFn } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, AckResult } from '../../shared/realtime/events.js';
import type { EntryView } from '../../shared/schemas/entry.js';
import type { QueueItem } from '../../shared/schemas/workflow.js';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type Listener<E extends keyof ServerToClientEvents> = ServerToClientEvents[E];
type Io = typeof ioFn;

let ioModule: Promise<Io> | undefined;
/** socket.io-client is its own chunk, fetched once signed in: the sign-in page never waits for it. */
function loadIo(): Promise<Io> {
  ioModule ??= import('socket.io-client').then((m) => m.io, (err: unknown) => {
    ioModule = undefined; // offline and not cached: the next connect() tries again
    throw err;
  });
  return ioModule;
}

/**
 * One Socket.IO connection per signed-in tab (same origin, cookie auth). Controllers subscribe
 * through `on()` and get an unsubscribe function back; nothing else touches the socket.
 */
export class RealtimeClient {
  private socket?: ClientSocket;
  /** Resolves with the socket once socket.io-client has arrived and the socket exists. */
  private opening?: Promise<ClientSocket>;
  /** Bumped by disconnect(): an open() still waiting for the code then makes no socket. */
  private generation = 0;
  /** Every `on()` listener, attached to the socket when it exists (it may come after them). */
  private readonly listeners = new Set<{ event: string; fn: unknown }>();
  private readonly watched = new Map<string, number>();
  private readonly watchListeners = new Set<(liveFileId: string, entries: EntryView[]) => void>();
  /** How many watchers of the approval queue (the chief's header count, the queue page). */
  private queueWatchers = 0;
  private readonly queueListeners = new Set<(items: QueueItem[]) => void>();
  private readonly connectionListeners = new Set<(connected: boolean) => void>();
  /** The socket is connected right now (false before the first connect and while reconnecting). */
  connected = false;

  connect(): void {
    void this.open().catch(() => {});
  }

  private open(): Promise<ClientSocket> {
    if (this.opening) return this.opening;
    const generation = this.generation;
    const opening = loadIo().then((io) => {
      if (generation !== this.generation) throw new Error('disconnected');
      const socket: ClientSocket = io({ path: '/socket.io', withCredentials: true, transports: ['websocket', 'polling'] });
      // Rooms do not survive a reconnect: join again and let watchers catch up from the ack.
      socket.on('connect', () => {
        for (const id of this.watched.keys()) void this.emitWatch(socket, id).catch(() => {});
        if (this.queueWatchers > 0) void this.emitQueueWatch(socket).catch(() => {});
        this.setConnected(true);
      });
      socket.on('disconnect', () => this.setConnected(false));
      // socket.io-client's typed overloads do not accept a generic event key.
      for (const l of this.listeners) (socket.on as (e: string, f: unknown) => void)(l.event, l.fn);
      this.socket = socket;
      return socket;
    });
    this.opening = opening;
    opening.catch(() => {
      if (this.opening === opening) this.opening = undefined;
    });
    return opening;
  }

  disconnect(): void {
    this.generation++;
    this.socket?.disconnect();
    this.socket = undefined;
    this.opening = undefined;
    this.listeners.clear(); // they lived on the socket, as before
    this.watched.clear();
    this.queueWatchers = 0;
    this.setConnected(false);
  }

  /** Called with true on every (re)connect, false on every drop. */
  onConnection(fn: (connected: boolean) => void): () => void {
    this.connectionListeners.add(fn);
    return () => this.connectionListeners.delete(fn);
  }

  private setConnected(connected: boolean) {
    if (this.connected === connected) return;
    this.connected = connected;
    for (const fn of this.connectionListeners) fn(connected);
  }

  /**
   * Watches the approval queue (chiefs): acks the queue, after which this socket gets the entry
   * events of every file the chief may see. Re-sent on every reconnect while anyone watches.
   */
  async watchQueue(): Promise<QueueItem[]> {
    this.queueWatchers++;
    return this.emitQueueWatch(await this.open());
  }

  /** One watcher fewer; the server keeps the socket in its rooms until it disconnects (no unwatch command). */
  unwatchQueue(): void {
    this.queueWatchers = Math.max(0, this.queueWatchers - 1);
  }

  /** Called with the queue each time a queue watch (re)joins. */
  onQueueAck(fn: (items: QueueItem[]) => void): () => void {
    this.queueListeners.add(fn);
    return () => this.queueListeners.delete(fn);
  }

  private emitQueueWatch(socket: ClientSocket): Promise<QueueItem[]> {
    return new Promise((resolve, reject) => {
      socket.timeout(10_000).emit('queue:watch', {}, (err: Error | null, result: AckResult<{ items: QueueItem[] }>) => {
        if (err) return reject(err);
        if (!result.ok) return reject(new Error(result.error.message));
        for (const fn of this.queueListeners) fn(result.data.items);
        resolve(result.data.items);
      });
    });
  }

  on<E extends keyof ServerToClientEvents>(event: E, fn: Listener<E>): () => void {
    this.connect();
    const l = { event: event as string, fn: fn as unknown };
    this.listeners.add(l);
    if (this.socket) (this.socket.on as (e: string, f: unknown) => void)(event, fn);
    return () => {
      this.listeners.delete(l);
      if (this.socket) (this.socket.off as (e: string, f: unknown) => void)(event, fn);
    };
  }

  /** Joins a live file's desk room; returns the entries from the ack. Ref-counted. */
  async watch(liveFileId: string): Promise<EntryView[]> {
    this.watched.set(liveFileId, (this.watched.get(liveFileId) ?? 0) + 1);
    return this.emitWatch(await this.open(), liveFileId);
  }

  unwatch(liveFileId: string): void {
    const n = (this.watched.get(liveFileId) ?? 0) - 1;
    if (n > 0) return void this.watched.set(liveFileId, n);
    this.watched.delete(liveFileId);
    this.socket?.emit('liveFile:unwatch', { liveFileId }, () => {});
  }

  /** Called with the entry list each time a watch (re)joins, e.g. after a reconnect. */
  onWatchAck(fn: (liveFileId: string, entries: EntryView[]) => void): () => void {
    this.watchListeners.add(fn);
    return () => this.watchListeners.delete(fn);
  }

  private emitWatch(socket: ClientSocket, liveFileId: string): Promise<EntryView[]> {
    return new Promise((resolve, reject) => {
      socket.timeout(10_000).emit('liveFile:watch', { liveFileId }, (err: Error | null, result: AckResult<{ entries: EntryView[] }>) => {
        if (err) return reject(err);
        if (!result.ok) return reject(new Error(result.error.message));
        for (const fn of this.watchListeners) fn(liveFileId, result.data.entries);
        resolve(result.data.entries);
      });
    });
  }
}
