import type { SignedIn } from '../features/accounts/AccountService.js';

export interface SocketData {
  auth: SignedIn;
}

export const rooms = {
  newsroom: (id: string) => `newsroom:${id}`,
  session: (id: string) => `session:${id}`,
  liveFile: (id: string) => `liveFile:${id}`,
};
