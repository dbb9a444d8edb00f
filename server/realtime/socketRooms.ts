import { AudienceRoom, connectionRooms, watchRooms } from '../features/access.js';
import type { DomainEvents } from '../events.js';
import type { AccountRecord } from '../store/Store.js';
import type { LdSocket } from './onCommand.js';
import { rooms, type RealtimeIo, type SocketData } from './socketData.js';

/** The rooms a socket belongs in, from its account and what it watches; access.ts decides. */
export function roomsOf(data: SocketData): Set<string> {
  const { account, session } = data.auth;
  const wanted = new Set([rooms.session(session.id), ...connectionRooms(account)]);
  for (const file of data.watching.values()) for (const room of watchRooms(account, file)) wanted.add(room);
  return wanted;
}

/**
 * Leaves and joins so the socket is in exactly roomsOf(it) besides its own id room. Synchronous
 * with the in-memory adapter: no broadcast sent after this returns reaches a room it left.
 */
export function syncRooms(socket: LdSocket): void {
  const wanted = roomsOf(socket.data);
  for (const room of [...socket.rooms]) if (room !== socket.id && !wanted.has(room)) void socket.leave(room);
  void socket.join([...wanted]);
}

/**
 * On 'account:changed' each open socket of the account on this node takes the new record and
 * re-joins its rooms (a demoted editor leaves every desk room at once); an inactive account's
 * sockets are told and disconnected. Local sockets only: each node re-checks its own.
 */
export function startReauthorizer(io: RealtimeIo, events: DomainEvents): () => void {
  const onChanged = (account: AccountRecord) => {
    const nsp = io.of('/');
    for (const id of [...(nsp.adapter.rooms.get(AudienceRoom.account(account.id)) ?? [])]) {
      const socket = nsp.sockets.get(id);
      if (!socket) continue;
      socket.data.auth = { ...socket.data.auth, account };
      if (account.active) {
        syncRooms(socket);
      } else {
        socket.emit('session:revoked', { reason: 'deactivated' });
        socket.disconnect(true);
      }
    }
  };
  events.on('account:changed', onChanged);
  return () => events.off('account:changed', onChanged);
}
