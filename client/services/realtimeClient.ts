import type { Socket, io as ioFn } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, AckResult } from '../../shared/realtime/events.js';
import type { EntryView } from '../../shared/schemas/entry.js';

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
      });
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
