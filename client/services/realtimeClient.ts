import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, AckResult } from '../../shared/realtime/events.js';
import type { EntryView } from '../../shared/schemas/entry.js';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type Listener<E extends keyof ServerToClientEvents> = ServerToClientEvents[E];

/**
 * One Socket.IO connection per signed-in tab (same origin, cookie auth). Controllers subscribe
 * through `on()` and get an unsubscribe function back; nothing else touches the socket.
 */
export class RealtimeClient {
  private socket?: ClientSocket;
  private readonly watched = new Map<string, number>();
  private readonly watchListeners = new Set<(liveFileId: string, entries: EntryView[]) => void>();

  connect(): void {
    if (this.socket) return;
    const socket: ClientSocket = io({ path: '/socket.io', withCredentials: true, transports: ['websocket', 'polling'] });
    // Rooms do not survive a reconnect: join again and let watchers catch up from the ack.
    socket.on('connect', () => {
      for (const id of this.watched.keys()) void this.emitWatch(id);
    });
    this.socket = socket;
  }

  disconnect(): void {
    this.socket?.disconnect();
    this.socket = undefined;
    this.watched.clear();
  }

  on<E extends keyof ServerToClientEvents>(event: E, fn: Listener<E>): () => void {
    this.connect();
    const s = this.socket!;
    // socket.io-client's typed overloads do not accept a generic event key.
    (s.on as (e: string, f: unknown) => void)(event, fn);
    return () => (s.off as (e: string, f: unknown) => void)(event, fn);
  }

  /** Joins a live file's desk room; returns the entries from the ack. Ref-counted. */
  async watch(liveFileId: string): Promise<EntryView[]> {
    this.connect();
    this.watched.set(liveFileId, (this.watched.get(liveFileId) ?? 0) + 1);
    return this.emitWatch(liveFileId);
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

  private emitWatch(liveFileId: string): Promise<EntryView[]> {
    return new Promise((resolve, reject) => {
      this.socket!.timeout(10_000).emit('liveFile:watch', { liveFileId }, (err: Error | null, result: AckResult<{ entries: EntryView[] }>) => {
        if (err) return reject(err);
        if (!result.ok) return reject(new Error(result.error.message));
        for (const fn of this.watchListeners) fn(liveFileId, result.data.entries);
        resolve(result.data.entries);
      });
    });
  }
}
