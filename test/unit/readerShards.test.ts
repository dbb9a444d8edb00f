import { describe, expect, it } from 'vitest';
import { SHARDS } from '../../server/realtime/readers/FileFeed.js';
import { JOIN_BLOCK, ReaderPacket, ReaderShards, type ReaderConn, type ReaderSink } from '../../server/realtime/readers/ReaderShards.js';

/** A fake reader: an engine.io connection over a ws whose TCP socket records each write. */
function fakeReader(opts: { transport?: string; writeBuffer?: unknown[]; upgrading?: boolean; readyState?: string; wsState?: number; backlog?: number } = {}) {
  const tcpWrites: Buffer[] = [];
  const engineWrites: string[] = [];
  let disconnects = 0;
  const tcp = { writable: true, writableLength: opts.backlog ?? 0, write: (b: Buffer) => void tcpWrites.push(b) };
  const ws = {
    readyState: opts.wsState ?? 1,
    _socket: tcp,
    _sender: { _state: 0, _queue: [] },
    send: () => {
      throw new Error('ws.send: the prebuilt frame was not used');
    },
  };
  const conn: ReaderConn = {
    readyState: opts.readyState ?? 'open',
    upgrading: opts.upgrading ?? false,
    writeBuffer: opts.writeBuffer ?? [],
    transport: { name: opts.transport ?? 'websocket', socket: ws },
    write: (data) => void engineWrites.push(data),
  };
  const sink: ReaderSink = { conn, disconnect: () => void disconnects++ };
  return { sink, tcpWrites, engineWrites, disconnects: () => disconnects };
}

const PACKET = '2/live,["change",{"seq":1,"text":"Жаңалық — خبر"}]';
const packet = new ReaderPacket(PACKET);

describe('ReaderShards: one frame per change, written to each reader', () => {
  it('[RD8] every websocket reader of the shards sent gets the same prebuilt text frame in one write; other shards get nothing', () => {
    const shards = new ReaderShards();
    const a = fakeReader(), b = fakeReader(), other = fakeReader();
    shards.add(3, a.sink);
    shards.add(3, b.sink);
    shards.add(7, other.sink);
    expect(shards.send([3], packet)).toBe(2);
    expect(a.tcpWrites).toHaveLength(1);
    expect(b.tcpWrites[0]).toBe(a.tcpWrites[0]); // the same bytes, built once
    const frame = a.tcpWrites[0]!;
    expect(frame[0]).toBe(0x81); // FIN + text
    expect(frame.subarray(frame.length - Buffer.byteLength('4' + PACKET)).toString('utf8')).toBe('4' + PACKET);
    expect(other.tcpWrites).toEqual([]);
  });

  it('[RD8] a reader whose engine.io connection still holds packets, polls, or upgrades gets the packet through engine.io, behind them', () => {
    const shards = new ReaderShards();
    const held = fakeReader({ writeBuffer: [{ type: 'message', data: '3/live,0[…]' }] });
    const polling = fakeReader({ transport: 'polling' });
    const upgrading = fakeReader({ upgrading: true });
    const closingWs = fakeReader({ wsState: 2 });
    for (const r of [held, polling, upgrading, closingWs]) shards.add(0, r.sink);
    shards.send([0], packet);
    for (const r of [held, polling, upgrading, closingWs]) {
      expect(r.tcpWrites).toEqual([]);
      expect(r.engineWrites).toEqual([PACKET]);
    }
  });

  it('[RD8] a closing connection is skipped; a reader too far behind is disconnected and the others still get the frame', () => {
    const shards = new ReaderShards(1000);
    const closing = fakeReader({ readyState: 'closing' });
    const stalled = fakeReader({ backlog: 1001 });
    const fine = fakeReader({ backlog: 1000 });
    for (const r of [closing, stalled, fine]) shards.add(1, r.sink);
    shards.send([1], packet);
    expect(closing.tcpWrites.length + closing.engineWrites.length).toBe(0);
    expect(stalled.disconnects()).toBe(1);
    expect(stalled.tcpWrites).toEqual([]);
    expect(fine.tcpWrites).toHaveLength(1);
  });

  it('[RD8] sizes follow adds and removes (an add twice counts once)', () => {
    const shards = new ReaderShards();
    const a = fakeReader(), b = fakeReader();
    shards.add(5, a.sink);
    shards.add(5, a.sink);
    shards.add(9, b.sink);
    expect([shards.size(5), shards.size(9), shards.total]).toEqual([1, 1, 2]);
    shards.remove(5, a.sink);
    shards.remove(5, a.sink);
    expect([shards.size(5), shards.total]).toEqual([0, 1]);
    expect(shards.readers()).toEqual([b.sink]);
  });

  it('[RD8] readers are placed in join order, JOIN_BLOCK to a shard, so a broadcast over every shard writes them in the order they joined', () => {
    const shards = new ReaderShards();
    const readers = Array.from({ length: 3 * JOIN_BLOCK + 5 }, () => fakeReader());
    const placed = readers.map((r) => {
      const shard = shards.place();
      shards.add(shard, r.sink);
      return shard;
    });
    expect(placed.slice(0, JOIN_BLOCK)).toEqual(new Array(JOIN_BLOCK).fill(0));
    expect(placed[JOIN_BLOCK]).toBe(1);
    expect(placed.at(-1)).toBe(3);
    const order: number[] = [];
    readers.forEach((r, i) => (r.sink.conn.transport!.socket as { _socket: { write: () => void } })._socket.write = () => void order.push(i));
    shards.send(Array.from({ length: SHARDS }, (_, i) => i), packet);
    expect(order).toEqual(readers.map((_, i) => i));
  });

  it('[RD8] placement wraps round the shards once every shard had its block', () => {
    const shards = new ReaderShards();
    for (let i = 0; i < SHARDS * JOIN_BLOCK; i++) shards.place();
    expect(shards.place()).toBe(0);
  });
});
