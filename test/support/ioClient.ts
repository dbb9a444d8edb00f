import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/realtime/events.js';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A real Socket.IO client over WebSocket only, so it goes through upgrade.ts. */
export function connectIo(baseUrl: string, cookie: string | null, opts: { origin?: string; polling?: boolean } = {}): TestSocket {
  return io(baseUrl, {
    transports: opts.polling ? ['polling'] : ['websocket'],
    extraHeaders: { ...(cookie ? { cookie } : {}), ...(opts.origin ? { origin: opts.origin } : {}) },
    reconnection: false,
    forceNew: true,
  });
}

export function waitForConnect(socket: TestSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
}

/** Resolves with the payload of the next `event`; rejects after timeoutMs with a message. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: TestSocket,
  event: E,
  timeoutMs = 5000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${String(event)}' within ${timeoutMs} ms`)), timeoutMs);
    // The typed `once` overloads do not narrow generically over E.
    (socket as unknown as { once(e: string, fn: (p: unknown) => void): void }).once(event, (payload) => {
      clearTimeout(timer);
      resolve(payload as Parameters<ServerToClientEvents[E]>[0]);
    });
  });
}
