import type { Server } from 'socket.io';
import { READER_NAMESPACE, ReaderLimits } from '../../../shared/realtime/liveEvents.js';

/** engine.io, through socket.io (not a direct dependency). */
type EngineServer = Server['engine'];
interface EngineSocket {
  on(event: 'packet', fn: (this: GuardedConn, packet: { type: string; data?: unknown }) => void): unknown;
  close(discard?: boolean): void;
}

/**
 * A Socket.IO packet addressed to the reader namespace: `<type>[<attachments>-]/live[,…]`
 * (socket.io-parser's encoding; the default namespace's packets carry no name).
 */
const LIVE_PACKET = new RegExp(`^[0-6](?:\\d+-)?${READER_NAMESPACE.replace('/', '\\/')}(?:,|$)`);
/**
 * The one event a reader may send: `2/live,<ack id>["subscribe"…` (socket.io-parser writes the
 * name as JSON.stringify does). Any other event is refused here, before decoding, instead of by a
 * catch-all listener on every reader socket.
 */
const SUBSCRIBE_EVENT = new RegExp(`^2${READER_NAMESPACE.replace('/', '\\/')},\\d*\\["subscribe"[,\\]]`);

/**
 * Before Socket.IO decodes anything: an engine connection that sends the reader namespace a packet
 * over ReaderLimits.maxPacketChars, a binary packet, an event other than `subscribe`, or more
 * packets than the bucket allows
 * (ReaderLimits.packetBurst, then packetsPerSecond) is closed at once. Closing from the engine's
 * 'packet' event drops the packet undecoded (websocket: Socket.IO's data listener is gone by the
 * time the engine hands it on). Only that connection is touched.
 */
export function guardReaderPackets(engine: EngineServer): void {
  engine.on('connection', (conn: GuardedConn) => void conn.on('packet', checkPacket));
}

/** The bucket lives on the connection and one listener serves them all: nothing per reader but two numbers. */
interface GuardedConn extends EngineSocket {
  readerTokens?: number;
  readerRefilledAt?: number;
}

function checkPacket(this: GuardedConn, packet: { type: string; data?: unknown }): void {
  if (packet.type !== 'message' || typeof packet.data !== 'string') return;
  const data = packet.data;
  if (!LIVE_PACKET.test(data.slice(0, 24))) return;
  const now = Date.now();
  const tokens = this.readerTokens === undefined
    ? ReaderLimits.packetBurst
    : Math.min(ReaderLimits.packetBurst, this.readerTokens + ((now - (this.readerRefilledAt ?? now)) / 1000) * ReaderLimits.packetsPerSecond);
  this.readerTokens = tokens - 1;
  this.readerRefilledAt = now;
  const binary = data[0] === '5' || data[0] === '6';
  const otherEvent = data[0] === '2' && !SUBSCRIBE_EVENT.test(data.slice(0, 40));
  if (this.readerTokens < 0 || binary || otherEvent || data.length > ReaderLimits.maxPacketChars) this.close(true);
}
