import type { WebSocket } from 'ws';
import { sendWireFrame, WireFrame } from '../../edgeSupport/wireFrame.js';
import { SHARDS } from './FileFeed.js';

/**
 * The parts of an engine.io connection a reader write reads (engine.io 6; not all public API, so
 * every field is checked on each write and anything unexpected takes engine.io's own path).
 */
export interface ReaderConn {
  readyState: string;
  upgrading?: boolean;
  writeBuffer?: unknown[];
  transport?: { name?: string; socket?: unknown };
  /** engine.io's own write: queued behind whatever it holds, framed per socket. */
  write(data: string, options: { compress: boolean }): unknown;
}

/** A subscribed reader: its engine.io connection, and how to let it go. */
export interface ReaderSink {
  readonly conn: ReaderConn;
  disconnect(close: boolean): unknown;
}

/**
 * One event for readers, encoded once: the Socket.IO packet (`2/live,[…]`, without engine.io's
 * `4`) for engine.io's queue, and the WebSocket text frame around `4<packet>` for direct writes.
 */
export class ReaderPacket {
  readonly frame: WireFrame;
  constructor(readonly packet: string) {
    this.frame = new WireFrame(Buffer.from('4' + packet, 'utf8'), true);
  }
}

/** Readers that join one after another share a shard, this many to a shard before the next. */
export const JOIN_BLOCK = 64;

/** A reader whose socket holds this many unsent bytes cannot keep up: it is let go and catches up by seq. */
export const READER_BACKLOG_BYTES = 1 << 20;

/**
 * One live file's subscribed readers, by shard. A change goes out as one ReaderPacket, encoded
 * and framed once however many batches it goes out in, and written to each websocket reader's TCP
 * socket in one write: no engine.io packet, no ws framing, no lookup per reader (RD12).
 *
 * A frame never overtakes what engine.io already holds for the same connection (an ack still in
 * its write buffer, a polling transport, an upgrade in flight): then the packet goes through
 * engine.io's own queue, behind it.
 */
export class ReaderShards {
  private readonly shards = Array.from({ length: SHARDS }, () => new Set<ReaderSink>());
  private count = 0;
  private joined = 0;

  constructor(private readonly backlogBytes = READER_BACKLOG_BYTES) {}

  /**
   * The shard for the next reader to join: readers go in join order, JOIN_BLOCK to a shard, so a
   * broadcast writes sockets in about the order they connected, as ws and Socket.IO rooms do
   * (insertion order). A hash-scattered order costs far more: on loopback it wakes every client
   * process for a handful of messages at a time (bench:readers measured 1.58× the floor scattered,
   * 1.09× in join order, the same build and run length).
   */
  place(): number {
    return Math.floor(this.joined++ / JOIN_BLOCK) % SHARDS;
  }

  add(shard: number, reader: ReaderSink): void {
    const set = this.shards[shard]!;
    if (set.has(reader)) return;
    set.add(reader);
    this.count++;
  }

  remove(shard: number, reader: ReaderSink): void {
    if (this.shards[shard]!.delete(reader)) this.count--;
  }

  size(shard: number): number {
    return this.shards[shard]!.size;
  }

  get total(): number {
    return this.count;
  }

  /** Every subscribed reader (a copy: the caller may disconnect them). */
  readers(): ReaderSink[] {
    return this.shards.flatMap((set) => [...set]);
  }

  /** Writes `packet` to every reader of `shards`. Returns the sockets written. */
  send(shards: number[], packet: ReaderPacket): number {
    let written = 0;
    for (const shard of shards) {
      for (const reader of this.shards[shard]!) {
        this.write(reader, packet);
        written++;
      }
    }
    return written;
  }

  private write(reader: ReaderSink, packet: ReaderPacket): void {
    const conn = reader.conn;
    if (conn.readyState !== 'open') return; // closing: it reconnects and catches up by seq
    const ws = directWebSocket(conn);
    if (!ws) return void conn.write(packet.packet, { compress: false });
    const tcp = (ws as unknown as { _socket?: { writableLength?: number } | null })._socket;
    if ((tcp?.writableLength ?? 0) > this.backlogBytes) return void reader.disconnect(true);
    sendWireFrame(ws, packet.frame);
  }
}

/** The connection's ws WebSocket when a frame written to it now lands after everything engine.io took. */
function directWebSocket(conn: ReaderConn): WebSocket | null {
  if (conn.upgrading || conn.writeBuffer?.length !== 0) return null;
  const transport = conn.transport;
  if (transport?.name !== 'websocket') return null;
  const ws = transport.socket as WebSocket | undefined;
  return ws && ws.readyState === 1 ? ws : null;
}
