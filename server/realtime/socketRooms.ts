import { AudienceRoom, connectionRooms, watchRooms } from '../features/access.js';
import type { DomainEvents } from '../events.js';
import type { AccountRecord, LiveFileRecord } from '../store/Store.js';
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
  // The latest record of each account changed since start (few: admins rarely change accounts), for
  // a socket whose sign-in read its account just before a change and joined just after it.
  const latest = new Map<string, AccountRecord>();

  const apply = (socket: LdSocket, account: AccountRecord) => {
    socket.data.auth = { ...socket.data.auth, account };
    if (account.active) return syncRooms(socket);
    socket.emit('session:revoked', { reason: 'deactivated' });
    socket.disconnect(true);
  };
  const onChanged = (account: AccountRecord) => {
    latest.set(account.id, account);
    const nsp = io.of('/');
    for (const id of [...(nsp.adapter.rooms.get(AudienceRoom.account(account.id)) ?? [])]) {
      const socket = nsp.sockets.get(id);
      if (socket) apply(socket, account);
    }
  };
  // Runs after createRealtime's own 'connection' listener (registered first), in the same tick.
  const onConnection = (socket: LdSocket) => {
    const fresh = latest.get(socket.data.auth.account.id);
    if (fresh && fresh.updatedAt > socket.data.auth.account.updatedAt) apply(socket, fresh);
  };

  // A file's members changed: every socket watching it takes the new record and re-joins.
  const onFileAccess = ({ after }: { after: LiveFileRecord }) => {
    for (const socket of io.of('/').sockets.values()) {
      if (!socket.data.watching?.has(after.id)) continue;
      socket.data.watching.set(after.id, after);
      syncRooms(socket);
    }
  };

  events.on('account:changed', onChanged);
  events.on('liveFile:accessChanged', onFileAccess);
  io.on('connection', onConnection);
  return () => {
    events.off('account:changed', onChanged);
    events.off('liveFile:accessChanged', onFileAccess);
    io.off('connection', onConnection);
  };
}
