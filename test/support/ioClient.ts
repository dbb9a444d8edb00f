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

type Payload<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>[0];

/** Every event a socket receives, in order, to wait on and to prove what did not arrive. */
export interface EventLog {
  readonly seen: ReadonlyArray<{ event: string; payload: unknown }>;
  /** The first matching event, already seen or still to come; rejects after timeoutMs with a message. */
  waitFor<E extends keyof ServerToClientEvents>(event: E, match?: (payload: Payload<E>) => boolean, timeoutMs?: number): Promise<Payload<E>>;
}

export function recordEvents(socket: TestSocket): EventLog {
  const seen: Array<{ event: string; payload: unknown }> = [];
  const waiters = new Set<(event: string, payload: unknown) => void>();
  socket.onAny((event: string, payload: unknown) => {
    seen.push({ event, payload });
    for (const waiter of [...waiters]) waiter(event, payload);
  });
  return {
    seen,
    waitFor(event, match = () => true, timeoutMs = 5000) {
      type P = Payload<typeof event>;
      const hit = seen.find((e) => e.event === event && match(e.payload as P));
      if (hit) return Promise.resolve(hit.payload as P);
      return new Promise((resolve, reject) => {
        const waiter = (name: string, payload: unknown) => {
          if (name !== event || !match(payload as P)) return;
          waiters.delete(waiter);
          clearTimeout(timer);
          resolve(payload as P);
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching '${String(event)}' within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
  };
}

/** Resolves on the socket's next disconnect with its reason. */
export function nextDisconnect(socket: TestSocket, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no disconnect within ${timeoutMs} ms`)), timeoutMs);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}
