import type { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/realtime/events.js';
import type { SignedIn } from '../features/accounts/AccountService.js';
import type { LiveFileRecord } from '../store/Store.js';

export interface SocketData {
  auth: SignedIn;
  /** Live files this socket watches (`liveFile:watch`): its rooms are recomputed from these. */
  watching: Map<string, LiveFileRecord>;
}

export type RealtimeIo = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Connection rooms; audience rooms (who may receive what) come from features/access.ts. */
export const rooms = {
  session: (id: string) => `session:${id}`,
};
