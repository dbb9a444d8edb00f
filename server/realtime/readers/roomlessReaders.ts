import { Adapter, type Room, type SocketId } from 'socket.io-adapter';
import { READER_NAMESPACE } from '../../../shared/realtime/liveEvents.js';

/**
 * Socket.IO's own in-memory adapter, except that reader sockets (`/live`) join no room, not even
 * the one Socket.IO makes of each socket's id: a file's readers are written through ReaderShards,
 * so that room would only hold two Sets and two map entries per reader for nothing. Readers are
 * never addressed through the adapter: every change goes out through their file's shards.
 */
export class RoomlessReadersAdapter extends Adapter {
  override addAll(id: SocketId, rooms: Set<Room>): void {
    if (this.nsp.name === READER_NAMESPACE) return;
    super.addAll(id, rooms);
  }
}
